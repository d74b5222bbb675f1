package dev.coffer.example.signup;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coffer.example.signup.Backend.Kind;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.kms.KmsClient;

/**
 * The web front over HTTP without a browser: status codes, what each page says, escaping of what
 * users typed, refusals of bad requests, and an AWS refusal shown on the page.
 */
class SignupLoginAppTest {
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @TempDir Path dir;

  private static HttpResponse<String> post(URI app, String path, Map<String, String> form)
      throws Exception {
    String body =
        form.entrySet().stream()
            .map(
                e ->
                    URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8)
                        + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
            .collect(Collectors.joining("&"));
    return HTTP.send(
        HttpRequest.newBuilder(app.resolve(path))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> send(URI app, String method, String path, String body)
      throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(app.resolve(path))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void statusesAndMessagesOnDynalite() throws Exception {
    try (Backend backend = Backend.start(Kind.DYNALITE, dir);
        SignupLoginApp app =
            SignupLoginApp.start(
                backend.accounts(), new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
      URI uri = app.uri();
      HttpResponse<String> home = send(uri, "GET", "/", null);
      assertThat(home.statusCode()).isEqualTo(200);
      assertThat(home.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
      assertThat(home.body())
          .contains("<form id=\"signup\"")
          .contains("<form id=\"login\"")
          .doesNotContain("id=\"message\"");

      Map<String, String> alice =
          Map.of("email", "alice@example.com", "password", "correct horse", "phone", "");
      assertThat(post(uri, "/signup", alice))
          .satisfies(
              r -> {
                assertThat(r.statusCode()).isEqualTo(201);
                assertThat(r.body()).contains("Account created for alice@example.com.");
              });
      assertThat(post(uri, "/signup", alice))
          .satisfies(
              r -> {
                assertThat(r.statusCode()).isEqualTo(409);
                assertThat(r.body())
                    .contains(
                        "An account with the email address alice@example.com already exists.");
              });
      assertThat(
              post(
                  uri, "/login", Map.of("email", "alice@example.com", "password", "correct horse")))
          .satisfies(
              r -> {
                assertThat(r.statusCode()).isEqualTo(200);
                assertThat(r.body())
                    .contains("Welcome back, alice@example.com!")
                    .contains("No phone number on file.");
              });
      for (Map<String, String> wrong :
          List.of(
              Map.of("email", "alice@example.com", "password", "wrong"),
              Map.of("email", "nobody@example.com", "password", "correct horse"),
              Map.of("email", "alice@example.com"))) {
        HttpResponse<String> r = post(uri, "/login", wrong);
        assertThat(r.statusCode()).as(wrong.toString()).isEqualTo(401);
        assertThat(r.body()).contains("Wrong email address or password.");
      }

      // what a user typed is escaped wherever the page shows it
      HttpResponse<String> xss =
          post(
              uri,
              "/signup",
              Map.of("email", "<script>alert(1)</script>@x.example", "password", "long enough"));
      assertThat(xss.statusCode()).isEqualTo(201);
      assertThat(xss.body())
          .contains("&lt;script&gt;alert(1)&lt;/script&gt;@x.example")
          .doesNotContain("<script>");
      assertThat(xss.headers().firstValue("Content-Security-Policy"))
          .hasValueSatisfying(csp -> assertThat(csp).startsWith("default-src 'none'"));

      assertThat(post(uri, "/signup", Map.of("email", "bob@example.com", "password", "short")))
          .satisfies(
              r -> {
                assertThat(r.statusCode()).isEqualTo(400);
                assertThat(r.body()).contains("Please choose a password of at least 8 characters.");
              });
      assertThat(send(uri, "POST", "/signup", "email=" + "x".repeat(20_000)).statusCode())
          .isEqualTo(413);
      HttpResponse<String> get = send(uri, "GET", "/login", null);
      assertThat(get.statusCode()).isEqualTo(405);
      assertThat(get.headers().firstValue("Allow")).hasValue("POST");
      assertThat(send(uri, "GET", "/admin", null).statusCode()).isEqualTo(404);
    }
  }

  /** An AWS refusal is shown with its service, code and message, not a stack trace. */
  @Test
  void anAwsRefusalIsShownOnThePage() throws Exception {
    try (Backend backend = Backend.start(Kind.COFFER_SERVE, dir);
        SignupLoginApp app =
            SignupLoginApp.start(
                backend.accounts(), new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
      // the application's key disabled by its administrator: the application cannot seal a phone
      // number
      try (KmsClient admin = backend.coffer.kms("admin")) {
        admin.disableKey(b -> b.keyId("alias/signup-login"));
      }
      Map<String, AttributeValue> item =
          backend.accounts().newItem("carol@example.com", "long enough", null);
      backend.dynamo.putItem(b -> b.tableName("users").item(item));
      HttpResponse<String> r =
          post(
              app.uri(),
              "/signup",
              Map.of(
                  "email", "dave@example.com", "password", "long enough", "phone", "+1 555 0100"));
      assertThat(r.statusCode()).isEqualTo(502);
      assertThat(r.body())
          .contains("Sign-up failed.")
          .contains("Kms refused the request (DisabledException): ")
          .doesNotContain("at software.amazon");
      // log-in of an account without a sealed field needs no KMS call
      assertThat(
              post(
                      app.uri(),
                      "/login",
                      Map.of("email", "carol@example.com", "password", "long enough"))
                  .statusCode())
          .isEqualTo(200);

      // a damaged item is a 500 with a plain message; the details go to the log only
      backend.dynamo.putItem(
          b ->
              b.tableName("users")
                  .item(
                      Map.of(
                          "email",
                          AttributeValue.fromS("eve@example.com"),
                          "passwordHash",
                          AttributeValue.fromS("not a hash"),
                          "createdAt",
                          AttributeValue.fromS("2026-01-01T00:00:00Z"))));
      HttpResponse<String> damaged =
          post(app.uri(), "/login", Map.of("email", "eve@example.com", "password", "long enough"));
      assertThat(damaged.statusCode()).isEqualTo(500);
      assertThat(damaged.body())
          .contains("Something went wrong on our side.")
          .doesNotContain("PHC string")
          .doesNotContain("Exception");
    }
  }
}
