package dev.coffer.server.internal.json;

/**
 * Bounded quoting of client input in error messages, so an error never echoes a large or binary
 * body.
 */
public final class Snippets {
  private Snippets() {}

  /**
   * {@code s} cut to {@code max} characters (with "..." when cut), control characters as {@code ?}.
   */
  public static String quote(String s, int max) {
    if (s == null) {
      return "null";
    }
    String cut = s.length() > max ? s.substring(0, max) : s;
    StringBuilder sb = new StringBuilder(cut.length() + 3);
    for (int i = 0; i < cut.length(); i++) {
      char c = cut.charAt(i);
      sb.append(c < 0x20 || c == 0x7f ? '?' : c);
    }
    if (cut.length() < s.length()) {
      sb.append("...");
    }
    return sb.toString();
  }
}
