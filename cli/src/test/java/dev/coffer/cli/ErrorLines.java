package dev.coffer.cli;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What docs/cli.md promises of every error the command line prints: one line, printable (control
 * and invisible characters of the input escaped), at most {@code ErrorHandler.MAX_LINE_CHARS}
 * characters, and no Java exception or stack frame. Used by the fuzz targets and the bad-input
 * matrix on the messages they see.
 */
public final class ErrorLines {
  private ErrorLines() {}

  /** Asserts the promise on {@code message} (an exception's message or a printed line). */
  public static void assertPrintableLine(String message) {
    assertThat(message).as("error message").isNotBlank();
    assertThat(message.length())
        .as("length of " + message)
        .isLessThanOrEqualTo(ErrorHandler.MAX_LINE_CHARS);
    for (int i = 0; i < message.length(); ) {
      int c = message.codePointAt(i);
      int type = Character.getType(c);
      boolean invisible =
          Character.isISOControl(c)
              || type == Character.FORMAT
              || type == Character.SURROGATE
              || type == Character.LINE_SEPARATOR
              || type == Character.PARAGRAPH_SEPARATOR
              || type == Character.PRIVATE_USE
              || type == Character.UNASSIGNED
              || c == 0xFFFD;
      assertThat(invisible).as("character U+%04X at %d of %s", c, i, message).isFalse();
      i += Character.charCount(c);
    }
  }

  /**
   * Asserts that {@code line} names no Java exception class and holds no stack frame (for lines
   * whose input does not itself look like one).
   */
  public static void assertNoJavaInternals(String line) {
    assertThat(line)
        .as("a Java exception or stack frame in " + line)
        .doesNotContain("\tat ")
        .doesNotContain("at dev.coffer.")
        .doesNotContain("at java.")
        .doesNotContainPattern(
            "\\b(java|javax|com|org|dev)\\.[a-z]+(\\.[A-Za-z]+)*(Exception|Error)\\b")
        .doesNotContainPattern("\\b[A-Z][A-Za-z]*(Exception|Error): ")
        .doesNotContain("NullPointerException")
        .doesNotContain("IllegalArgumentException")
        .doesNotContain("IllegalStateException")
        .doesNotContain("NumberFormatException")
        .doesNotContain("ArrayIndexOutOfBounds")
        .doesNotContain("StackOverflowError");
  }
}
