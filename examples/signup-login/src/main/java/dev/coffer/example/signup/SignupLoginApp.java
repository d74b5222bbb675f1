package dev.coffer.example.signup;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;

/**
 * The web front: {@code GET /} shows the sign-up and log-in forms, {@code POST /signup} creates an
 * account, {@code POST /login} checks one; each answers with the same page and a message on top. It
 * uses the JDK's HTTP server to stay dependency-free; a production application would sit behind a
 * framework with CSRF protection, sessions and rate limits, which this example leaves out.
 *
 * <p>Answers: 201 account created, 409 the address is taken, 200 logged in, 401 wrong address or
 * password (never which), 400 a form the application refuses, 502 when DynamoDB or KMS refused or
 * could not be reached (the page names the AWS error code and message), 500 for anything else (a
 * damaged item, a bug: logged with its stack trace, never shown).
 *
 * <p>Thread-safe; {@link #close()} stops it.
 */
public final class SignupLoginApp implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(SignupLoginApp.class.getName());
  private static final int MAX_FORM_BYTES = 16 * 1024;

  private final Accounts accounts;
  private final HttpServer http;
  private final ThreadPoolExecutor workers;

  private SignupLoginApp(Accounts accounts, InetSocketAddress address) throws IOException {
    this.accounts = accounts;
    this.workers = new ThreadPoolExecutor(4, 4, 60, TimeUnit.SECONDS, new ArrayBlockingQueue<>(64));
    this.http = HttpServer.create(address, 64);
    http.createContext("/", this::handle);
    http.setExecutor(workers);
    http.start();
  }

  /**
   * Starts the application on {@code address} (port 0: a free one).
   *
   * @throws IOException when the address cannot be bound
   */
  public static SignupLoginApp start(Accounts accounts, InetSocketAddress address)
      throws IOException {
    return new SignupLoginApp(accounts, address);
  }

  /** {@code http://127.0.0.1:<port>/} (or the bound host). */
  public URI uri() {
    InetSocketAddress a = http.getAddress();
    return URI.create("http://" + a.getHostString() + ":" + a.getPort() + "/");
  }

  /** Stops accepting, lets running requests finish (up to a second), stops the threads. */
  @Override
  public void close() {
    http.stop(1);
    workers.shutdown();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      try {
        route(exchange);
      } catch (RuntimeException e) {
        LOG.log(
            Level.SEVERE,
            "request failed",
            e); // a bug or a damaged item: the stack trace goes to the log only
        if (exchange.getResponseCode() == -1) {
          send(
              exchange,
              500,
              Page.render(Page.Kind.ERROR, "Something went wrong on our side.", null));
        }
      }
    }
  }

  private void route(HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getPath();
    String method = exchange.getRequestMethod();
    if (path.equals("/") && (method.equals("GET") || method.equals("HEAD"))) {
      send(exchange, 200, Page.render(null, null, null));
    } else if ((path.equals("/signup") || path.equals("/login")) && method.equals("POST")) {
      Map<String, String> form = readForm(exchange);
      if (form == null) {
        send(exchange, 413, Page.render(Page.Kind.ERROR, "The form is too large.", null));
      } else if (path.equals("/signup")) {
        signUp(exchange, form);
      } else {
        logIn(exchange, form);
      }
    } else if (path.equals("/") || path.equals("/signup") || path.equals("/login")) {
      exchange.getResponseHeaders().set("Allow", path.equals("/") ? "GET, HEAD" : "POST");
      send(exchange, 405, Page.render(Page.Kind.ERROR, "Method not allowed.", null));
    } else {
      send(exchange, 404, Page.render(Page.Kind.ERROR, "Not found.", null));
    }
  }

  private void signUp(HttpExchange exchange, Map<String, String> form) throws IOException {
    try {
      accounts.signUp(form.get("email"), form.get("password"), form.get("phone"));
      send(
          exchange,
          201,
          Page.render(
              Page.Kind.SUCCESS,
              "Account created for "
                  + Accounts.normalizeEmail(form.get("email"))
                  + ". You can log in now.",
              null));
    } catch (Accounts.EmailTakenException e) {
      send(
          exchange,
          409,
          Page.render(Page.Kind.ERROR, e.getMessage(), "Log in instead, or use another address."));
    } catch (IllegalArgumentException e) {
      send(exchange, 400, Page.render(Page.Kind.ERROR, e.getMessage(), null));
    } catch (AwsServiceException | SdkClientException e) {
      awsFailure(exchange, "Sign-up failed", e);
    }
  }

  private void logIn(HttpExchange exchange, Map<String, String> form) throws IOException {
    try {
      Optional<Accounts.Account> account = accounts.logIn(form.get("email"), form.get("password"));
      if (account.isEmpty()) {
        send(exchange, 401, Page.render(Page.Kind.ERROR, "Wrong email address or password.", null));
        return;
      }
      Accounts.Account a = account.get();
      String phone =
          a.phone() == null
              ? "No phone number on file."
              : "Phone number on file, decrypted with KMS just now: " + mask(a.phone()) + ".";
      send(
          exchange,
          200,
          Page.render(
              Page.Kind.SUCCESS,
              "Welcome back, " + a.email() + "!",
              phone + " Member since " + a.createdAt().toString().substring(0, 10) + "."));
    } catch (AwsServiceException | SdkClientException e) {
      awsFailure(exchange, "Log-in failed", e);
    }
  }

  private static void awsFailure(HttpExchange exchange, String what, RuntimeException e)
      throws IOException {
    String detail =
        e instanceof AwsServiceException s && s.awsErrorDetails() != null
            ? s.awsErrorDetails().serviceName()
                + " refused the request ("
                + s.awsErrorDetails().errorCode()
                + "): "
                + s.awsErrorDetails().errorMessage()
            : "The service could not be reached: " + e.getMessage();
    LOG.warning(
        what + ": " + detail); // an answer from AWS, not a bug here: one line, no stack trace
    send(exchange, 502, Page.render(Page.Kind.ERROR, what + ".", detail));
  }

  /** All but the last four digits hidden: {@code ••• ••• 4567}. */
  static String mask(String phone) {
    StringBuilder out = new StringBuilder(phone);
    int digits = 0;
    for (int i = out.length() - 1; i >= 0; i--) {
      if (Character.isDigit(out.charAt(i)) && ++digits > 4) {
        out.setCharAt(i, '\u2022');
      }
    }
    return out.toString();
  }

  /** The urlencoded form, or null when it is larger than {@value #MAX_FORM_BYTES} bytes. */
  private static Map<String, String> readForm(HttpExchange exchange) throws IOException {
    byte[] body;
    try (InputStream in = exchange.getRequestBody()) {
      body = in.readNBytes(MAX_FORM_BYTES + 1);
    }
    if (body.length > MAX_FORM_BYTES) {
      return null;
    }
    Map<String, String> form = new HashMap<>();
    for (String pair : new String(body, StandardCharsets.US_ASCII).split("&")) {
      int eq = pair.indexOf('=');
      if (eq > 0) {
        try {
          form.putIfAbsent(
              URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
              URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        } catch (IllegalArgumentException malformed) {
          // a malformed %-escape: the field is left out, and the page says what is missing
        }
      }
    }
    return form;
  }

  private static void send(HttpExchange exchange, int status, String html) throws IOException {
    byte[] body = html.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
    exchange.getResponseHeaders().set("Cache-Control", "no-store");
    exchange
        .getResponseHeaders()
        .set(
            "Content-Security-Policy",
            "default-src 'none'; style-src 'unsafe-inline';" + " form-action 'self'");
    exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
    boolean head = exchange.getRequestMethod().equals("HEAD");
    exchange.sendResponseHeaders(status, head ? -1 : body.length);
    if (!head) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }
}
