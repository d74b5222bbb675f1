package dev.coffer.example.signup;

import java.util.Locale;

/**
 * The application's one HTML page: a message (when there is one) above the sign-up and log-in
 * forms. Every value that came from a user goes through {@link #escape}.
 */
final class Page {
  /** What the message box shows: its kind (a CSS class) and its text. */
  enum Kind {
    SUCCESS,
    ERROR
  }

  private Page() {}

  static String render(Kind kind, String message, String detail) {
    String box =
        message == null
            ? ""
            : """
          <div id="message" class="message %s" role="status"><strong>%s</strong>%s</div>
        """
                .formatted(
                    kind.name().toLowerCase(Locale.ROOT),
                    escape(message),
                    detail == null ? "" : "<br><span id=\"detail\">" + escape(detail) + "</span>");
    return """
        <!DOCTYPE html>
        <html lang="en">
        <head>
          <meta charset="utf-8">
          <title>Sign up / Log in</title>
          <style>
            body { font-family: sans-serif; max-width: 46em; margin: 2em auto; color: #222; }
            h1 { font-size: 1.5em; }
            .forms { display: flex; gap: 2em; }
            form { flex: 1; border: 1px solid #ccc; border-radius: 6px; padding: 1em; }
            label { display: block; margin: .6em 0 .2em; }
            input { width: 100%%; box-sizing: border-box; padding: .4em; }
            button { margin-top: 1em; padding: .5em 1.2em; }
            .message { padding: .8em; border-radius: 6px; margin-bottom: 1.5em; }
            .success { background: #e6f4ea; border: 1px solid #34a853; }
            .error { background: #fce8e6; border: 1px solid #d93025; }
            footer { margin-top: 2em; font-size: .85em; color: #666; }
          </style>
        </head>
        <body>
          <h1>Sign up / Log in</h1>
        %s  <div class="forms">
            <form id="signup" method="post" action="/signup">
              <h2>Sign up</h2>
              <label for="signup-email">Email</label>
              <input id="signup-email" name="email" type="email" required autocomplete="username">
              <label for="signup-password">Password (at least 8 characters)</label>
              <input id="signup-password" name="password" type="password" required minlength="8"
                     autocomplete="new-password">
              <label for="signup-phone">Phone (optional, stored encrypted with KMS)</label>
              <input id="signup-phone" name="phone" type="tel" autocomplete="tel">
              <button id="signup-submit" type="submit">Sign up</button>
            </form>
            <form id="login" method="post" action="/login">
              <h2>Log in</h2>
              <label for="login-email">Email</label>
              <input id="login-email" name="email" type="email" required autocomplete="username">
              <label for="login-password">Password</label>
              <input id="login-password" name="password" type="password" required
                     autocomplete="current-password">
              <button id="login-submit" type="submit">Log in</button>
            </form>
          </div>
          <footer>Users in DynamoDB (Argon2id password hashes, conditional create); phone numbers sealed
            under a KMS data key. The same code runs against AWS or against <code>coffer serve</code>.</footer>
        </body>
        </html>
        """
        .formatted(box);
  }

  /** {@code s} with HTML's special characters escaped, for text and attribute values. */
  static String escape(String s) {
    StringBuilder out = new StringBuilder(s.length() + 16);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '&' -> out.append("&amp;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }
}
