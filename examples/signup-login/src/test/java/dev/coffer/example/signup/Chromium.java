package dev.coffer.example.signup;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Headless Chromium from Debian's {@code chromium} and {@code chromium-driver} packages, driven by
 * Selenium through the system's {@code /usr/bin/chromedriver} (never a driver Selenium would
 * download). When the packages are missing, {@link #driver} installs them ({@code apt-get update}
 * once, then {@code apt-get install -y chromium chromium-driver}); when that cannot be done (not
 * root, no apt-get, no network) it aborts the calling test with a JUnit assumption that says why,
 * so the test is reported as skipped, not failed.
 */
final class Chromium {
  static final Path BROWSER = Path.of("/usr/bin/chromium");
  static final Path DRIVER = Path.of("/usr/bin/chromedriver");
  private static final long INSTALL_MINUTES = 15;

  private static boolean installTried;

  private Chromium() {}

  /** A new headless Chromium with a fresh profile in {@code profile}; the caller quits it. */
  static ChromeDriver driver(Path profile) {
    ensureInstalled();
    ChromeOptions options = new ChromeOptions();
    options.setBinary(BROWSER.toFile());
    // The flags that keep Chromium from stalling on a closed network (shared/DESIGN.md section 13).
    options.addArguments(
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--user-data-dir=" + profile,
        "--window-size=1100,760");
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(DRIVER.toFile())
            .usingAnyFreePort()
            .build();
    return new ChromeDriver(service, options);
  }

  private static synchronized void ensureInstalled() {
    if (Files.isExecutable(BROWSER) && Files.isExecutable(DRIVER)) {
      return;
    }
    Assumptions.assumeFalse(
        installTried, "Chromium could not be installed earlier in this run: skipping");
    installTried = true;
    Assumptions.assumeTrue(
        new File("/usr/bin/apt-get").canExecute(),
        "headless Chromium is needed and apt-get is not available: skipping the browser test. Install Debian's"
            + " chromium and chromium-driver packages (or their equivalents at "
            + BROWSER
            + " and "
            + DRIVER
            + ").");
    Assumptions.assumeTrue(
        "root".equals(System.getProperty("user.name")),
        "headless Chromium is needed and only root may apt-get install it: skipping the browser test. Run"
            + " 'apt-get update && apt-get install -y chromium chromium-driver' as root.");
    String update = apt("update");
    String install = apt("install", "-y", "chromium", "chromium-driver");
    Assumptions.assumeTrue(
        Files.isExecutable(BROWSER) && Files.isExecutable(DRIVER),
        "apt-get could not install chromium and chromium-driver (no network?): skipping the browser test."
            + " apt-get update said: "
            + update
            + " | apt-get install said: "
            + install);
  }

  /**
   * Runs apt-get non-interactively, waiting for a dpkg lock another process holds; its last lines.
   */
  private static String apt(String... args) {
    List<String> command =
        new ArrayList<>(List.of("apt-get", "-q", "-o", "DPkg::Lock::Timeout=600"));
    command.addAll(List.of(args));
    try {
      Path log =
          Files.createTempFile(Files.createDirectories(Path.of("target")), "apt-get", ".log");
      try {
        ProcessBuilder pb =
            new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("DEBIAN_FRONTEND", "noninteractive");
        Process p = pb.start();
        if (!p.waitFor(
            INSTALL_MINUTES, TimeUnit.MINUTES)) { // a guard against a hang, not a timing assertion
          p.destroyForcibly();
          return "(still running after " + INSTALL_MINUTES + " minutes: stopped)";
        }
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        return "exit "
            + p.exitValue()
            + ": "
            + String.join(" | ", lines.subList(Math.max(0, lines.size() - 4), lines.size()));
      } finally {
        Files.deleteIfExists(log);
      }
    } catch (IOException e) {
      return "cannot run apt-get: " + e.getMessage();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted";
    }
  }
}
