package dev.coffer.server.internal.auth;

/**
 * The parts of a SigV4 {@code Authorization} header, read by hand (no regular expression per
 * request). Accepts exactly what {@code AWS4-HMAC-SHA256\s+Credential=([^,\s]+)\s*,\s*
 * SignedHeaders=([^,\s]+)\s*,\s*Signature=([0-9a-fA-F]+)\s*} matches in full, where {@code \s} is
 * one of space, tab, line feed, vertical tab, form feed and carriage return.
 */
record Authorization(String credential, String signedHeaders, String signature) {
  private static final String ALGORITHM = "AWS4-HMAC-SHA256";

  /** The parts of {@code header}, or null when it does not have that form. */
  static Authorization parse(String header) {
    Cursor c = new Cursor(header);
    if (!c.literal(ALGORITHM) || c.blanks() == 0 || !c.literal("Credential=")) {
      return null;
    }
    String credential = c.token();
    if (credential == null) {
      return null;
    }
    c.blanks();
    if (!c.literal(",")) {
      return null;
    }
    c.blanks();
    if (!c.literal("SignedHeaders=")) {
      return null;
    }
    String signed = c.token();
    if (signed == null) {
      return null;
    }
    c.blanks();
    if (!c.literal(",")) {
      return null;
    }
    c.blanks();
    if (!c.literal("Signature=")) {
      return null;
    }
    String signature = c.hex();
    if (signature == null) {
      return null;
    }
    c.blanks();
    return c.atEnd() ? new Authorization(credential, signed, signature) : null;
  }

  private static final class Cursor {
    private final String s;
    private int i;

    Cursor(String s) {
      this.s = s;
    }

    boolean literal(String l) {
      if (s.startsWith(l, i)) {
        i += l.length();
        return true;
      }
      return false;
    }

    int blanks() {
      int start = i;
      while (i < s.length() && blank(s.charAt(i))) {
        i++;
      }
      return i - start;
    }

    /** One or more characters that are neither a comma nor blank. */
    String token() {
      int start = i;
      while (i < s.length() && s.charAt(i) != ',' && !blank(s.charAt(i))) {
        i++;
      }
      return i > start ? s.substring(start, i) : null;
    }

    String hex() {
      int start = i;
      while (i < s.length() && Character.digit(s.charAt(i), 16) >= 0 && s.charAt(i) < 0x80) {
        i++;
      }
      return i > start ? s.substring(start, i) : null;
    }

    boolean atEnd() {
      return i == s.length();
    }

    private static boolean blank(char c) {
      return c == ' ' || c == '\t' || c == '\n' || c == 0x0B || c == '\f' || c == '\r';
    }
  }
}
