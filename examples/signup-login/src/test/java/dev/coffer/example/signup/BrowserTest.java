package dev.coffer.example.signup;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coffer.example.signup.Backend.Kind;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * End to end in headless Chromium ({@link Chromium}): the application's pages, served by {@link
 * SignupLoginApp}, over DynamoDB and KMS through the AWS SDK. Scenario: sign up, the same address
 * again refused, log in (the phone number decrypted through KMS), a wrong password refused. Each
 * step's page is saved as a PNG in {@code target/screenshots} (the README shows one).
 *
 * <p>The whole scenario runs against dynalite (with coffer serve's KMS) and against coffer serve
 * (the sign-up's conditional create included).
 */
class BrowserTest {
  private static final String EMAIL = "alice@example.com";
  private static final String PASSWORD = "correct horse battery staple";
  private static final String PHONE = "+44 20 7946 0123";

  @TempDir Path dir;

  @Test
  void theWholeScenarioOnDynaliteWithCofferServeKms() throws IOException {
    scenario(Kind.DYNALITE);
  }

  @Test
  void theWholeScenarioOnCofferServe() throws IOException {
    scenario(Kind.COFFER_SERVE);
  }

  private void scenario(Kind kind) throws IOException {
    try (Backend backend = Backend.start(kind, dir.resolve("store"))) {
      Accounts accounts = backend.accounts();
      ChromeDriver browser =
          Chromium.driver(Files.createDirectories(dir.resolve("chromium-profile")));
      try (SignupLoginApp app =
          SignupLoginApp.start(
              accounts, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
        Steps steps = new Steps(browser, kind.name().toLowerCase(Locale.ROOT).replace('_', '-'));
        browser.get(app.uri().toString());
        assertThat(browser.getTitle()).isEqualTo("Sign up / Log in");
        steps.shot("0-forms");
        steps.signUp(EMAIL, PASSWORD, PHONE);
        steps.expect("success", "Account created for " + EMAIL + ". You can log in now.");
        steps.shot("1-signed-up");

        steps.signUp(EMAIL.toUpperCase(Locale.ROOT), "a different password", "");
        steps.expect("error", "An account with the email address " + EMAIL + " already exists.");
        assertThat(steps.detail()).isEqualTo("Log in instead, or use another address.");
        steps.shot("2-duplicate-refused");
        steps.logIn(EMAIL, PASSWORD);
        steps.expect("success", "Welcome back, " + EMAIL + "!");
        assertThat(steps.detail())
            .startsWith(
                "Phone number on file, decrypted with KMS just now: +\u2022\u2022"
                    + " \u2022\u2022 \u2022\u2022\u2022\u2022 0123.");
        steps.shot("3-logged-in");

        steps.logIn(EMAIL, "correct horse battery stable");
        steps.expect("error", "Wrong email address or password.");
        steps.shot("4-wrong-password");

        // the refused duplicate did not replace the first account's password
        steps.logIn(EMAIL, "a different password");
        steps.expect("error", "Wrong email address or password.");
      } finally {
        browser.quit();
      }
    }
  }

  /** The steps a user takes on the page, and what the page then shows. */
  private static final class Steps {
    private final WebDriver browser;
    private final String prefix;

    Steps(WebDriver browser, String prefix) {
      this.browser = browser;
      this.prefix = prefix;
    }

    void signUp(String email, String password, String phone) {
      type("signup-email", email);
      type("signup-password", password);
      type("signup-phone", phone);
      submit("signup-submit");
    }

    void logIn(String email, String password) {
      type("login-email", email);
      type("login-password", password);
      submit("login-submit");
    }

    void expect(String kind, String message) {
      WebElement box = browser.findElement(By.id("message"));
      assertThat(box.getAttribute("class")).isEqualTo("message " + kind);
      assertThat(box.findElement(By.tagName("strong")).getText()).isEqualTo(message);
    }

    String detail() {
      return browser.findElement(By.id("detail")).getText();
    }

    void shot(String name) throws IOException {
      Path to =
          Path.of(System.getProperty("signup.screenshots.dir", "target/screenshots"))
              .resolve(prefix + "-" + name + ".png");
      Files.createDirectories(to.getParent());
      Files.write(to, ((ChromeDriver) browser).getScreenshotAs(OutputType.BYTES));
    }

    private void type(String id, String text) {
      WebElement field = browser.findElement(By.id(id));
      field.clear();
      field.sendKeys(text);
    }

    /**
     * Whether the page that held {@code element} has gone. Chromium answers a call on an element of
     * a page being replaced either as stale or, while the new document loads, with "Node with given
     * id does not belong to the document": both mean the old page is gone ({@code
     * ExpectedConditions.stalenessOf} counts only the first and failed the test once).
     */
    private static boolean gone(WebElement element) {
      try {
        element.isEnabled();
        return false;
      } catch (StaleElementReferenceException e) {
        return true;
      } catch (WebDriverException e) {
        if (String.valueOf(e.getMessage()).contains("does not belong to the document")) {
          return true;
        }
        throw e;
      }
    }

    /** Clicks and waits for the next page (a guard against a hang, not a timing assertion). */
    private void submit(String id) {
      WebElement button = browser.findElement(By.id(id));
      button.click();
      new WebDriverWait(browser, Duration.ofSeconds(60)).until(d -> gone(button));
      new WebDriverWait(browser, Duration.ofSeconds(60))
          .until(ExpectedConditions.presenceOfElementLocated(By.id("message")));
    }
  }
}
