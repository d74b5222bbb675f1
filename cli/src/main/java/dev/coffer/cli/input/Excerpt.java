package dev.coffer.cli.input;

/**
 * What an error message may quote of the user's input: one line, at most {@value #MAX_CHARS}
 * characters of it, with every control or invisible character escaped ({@code \n}, {@code \t},
 * {@code \u0000}, {@code \u202E}, and {@code \uFFFD} where bytes were not UTF-8), so neither a 200
 * KB parameter nor a binary file ends up on the terminal. Longer input is cut, marked with {@code
 * ...} and followed by its length. Stateless.
 */
public final class Excerpt {
  /** How many characters of the input an error message quotes. */
  public static final int MAX_CHARS = 100;

  private Excerpt() {}

  /** The start of {@code text}, as an error message quotes it. */
  public static String of(String text) {
    return around(text, 0);
  }

  /**
   * The part of {@code text} around {@code index} (where a parser stopped), as an error message
   * quotes it: all of it when it is short, else about {@value #MAX_CHARS} characters starting a
   * little before {@code index}, with {@code ...} where it is cut and the length of the whole.
   */
  public static String around(String text, int index) {
    if (text == null) {
      return "null";
    }
    int length = text.codePointCount(0, text.length());
    int start = 0;
    if (length > MAX_CHARS) {
      int at = text.codePointCount(0, Math.max(0, Math.min(index, text.length())));
      start =
          text.offsetByCodePoints(0, Math.max(0, Math.min(at - MAX_CHARS / 3, length - MAX_CHARS)));
    }
    StringBuilder out = new StringBuilder(MAX_CHARS + 32);
    if (start > 0) {
      out.append("...");
    }
    int end = escape(out, text, start, MAX_CHARS);
    if (end < text.length()) {
      out.append("...");
    }
    if (start > 0 || end < text.length()) {
      out.append(" (").append(length).append(" characters)");
    }
    return out.toString();
  }

  /**
   * A whole message as one printable line of about {@code maxChars} characters at most (then {@code
   * ...} and the length): the last defence for messages that quote input this class did not cut,
   * such as a library's.
   */
  public static String line(String message, int maxChars) {
    StringBuilder out = new StringBuilder(Math.min(message.length(), maxChars) + 32);
    if (escape(out, message, 0, maxChars) < message.length()) {
      out.append("... (")
          .append(message.codePointCount(0, message.length()))
          .append(" characters)");
    }
    return out.toString();
  }

  /**
   * Appends {@code text} from {@code start}, its control and invisible characters escaped, until
   * {@code maxChars} characters were appended or the text ends; returns where it stopped.
   */
  private static int escape(StringBuilder out, String text, int start, int maxChars) {
    int limit = out.length() + maxChars;
    int i = start;
    while (i < text.length() && out.length() < limit) {
      int cp = text.codePointAt(i);
      i += Character.charCount(cp);
      switch (cp) {
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (visible(cp)) {
            out.appendCodePoint(cp);
          } else if (cp <= 0xFFFF) {
            out.append(String.format("\\u%04X", cp));
          } else {
            out.append(String.format("\\U%08X", cp));
          }
        }
      }
    }
    return i;
  }

  /**
   * Whether a code point prints as itself: not a control, format, private-use, unassigned or
   * line-separator character, nor the replacement character that stands for bytes that were not
   * UTF-8.
   */
  static boolean visible(int cp) {
    if (cp == 0xFFFD || Character.isISOControl(cp)) {
      return false;
    }
    return switch (Character.getType(cp)) {
      case Character.FORMAT,
          Character.PRIVATE_USE,
          Character.SURROGATE,
          Character.UNASSIGNED,
          Character.LINE_SEPARATOR,
          Character.PARAGRAPH_SEPARATOR,
          Character.CONTROL ->
          false;
      default -> true;
    };
  }
}
