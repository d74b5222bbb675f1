package dev.coffer.internal.model;

import dev.coffer.ValidationException;

/**
 * DynamoDB's rules for text: every string is valid Unicode (DynamoDB stores UTF-8), and attribute
 * names are non-empty and shorter than 64 KiB of UTF-8. A Java {@code String} can hold an unpaired
 * UTF-16 surrogate, which has no UTF-8 encoding: encoders silently replace it with {@code '?'}, so
 * {@code "a\udc00"} would be stored as {@code "a?"} and collide with it. Every string that enters
 * the engine is checked here first and refused instead. Stateless.
 */
public final class Strings {
  /** The largest attribute name, in UTF-8 bytes: DynamoDB's names are shorter than 64 KiB. */
  public static final int MAX_ATTRIBUTE_NAME_BYTES = 65535;

  /** How many characters of a refused value an error message quotes at most. */
  private static final int QUOTE_CHARS = 40;

  private Strings() {}

  /**
   * The index of the first unpaired surrogate in {@code s}, or -1 when it is well-formed UTF-16.
   */
  public static int unpairedSurrogate(String s) {
    int n = s.length();
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c < Character.MIN_SURROGATE || c > Character.MAX_SURROGATE) {
        continue;
      }
      if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
        i++;
      } else {
        return i;
      }
    }
    return -1;
  }

  /**
   * Returns {@code s} when it is well-formed UTF-16 (so it has a UTF-8 encoding and comes back
   * exactly as given).
   *
   * @param what what the string is, for the message: e.g. {@code "The value of attribute name"}
   * @throws ValidationException when it holds an unpaired surrogate
   */
  public static String checkWellFormed(String s, String what) {
    int i = unpairedSurrogate(s);
    if (i >= 0) {
      throw new ValidationException(
          "One or more parameter values were invalid: "
              + what
              + " is not valid UTF-8: it has an unpaired UTF-16 surrogate "
              + String.format("U+%04X", (int) s.charAt(i))
              + " at index "
              + i);
    }
    return s;
  }

  /**
   * Checks an attribute name (top-level or a map key): non-empty, well-formed, shorter than 64 KiB
   * of UTF-8.
   *
   * @throws ValidationException with DynamoDB's message when it is not
   */
  public static String checkAttributeName(String name) {
    if (name == null || name.isEmpty()) {
      throw new ValidationException(
          "One or more parameter values were invalid: An attribute name may not be empty");
    }
    checkWellFormed(name, "An attribute name");
    if (name.length() > MAX_ATTRIBUTE_NAME_BYTES / 3
        && utf8Length(name) > MAX_ATTRIBUTE_NAME_BYTES) {
      throw new ValidationException("Attribute name is too large, must be less than 65536 bytes");
    }
    return name;
  }

  /** The number of bytes of the UTF-8 encoding of a well-formed string. */
  public static int utf8Length(String s) {
    int n = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        n += 1;
      } else if (c < 0x800) {
        n += 2;
      } else if (Character.isHighSurrogate(c)
          && i + 1 < s.length()
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        n += 4;
        i++;
      } else {
        n += 3;
      }
    }
    return n;
  }

  /** {@code s} for an error message: at most 40 characters, then how long it was. */
  public static String quote(String s) {
    if (s.length() <= QUOTE_CHARS) {
      return s;
    }
    int end = Character.isHighSurrogate(s.charAt(QUOTE_CHARS - 1)) ? QUOTE_CHARS - 1 : QUOTE_CHARS;
    return s.substring(0, end) + "... (" + s.length() + " characters)";
  }
}
