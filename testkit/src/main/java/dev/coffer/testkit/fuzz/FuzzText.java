package dev.coffer.testkit.fuzz;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Turns fuzzer bytes into Java strings and back, so that seed files stay readable UTF-8 text and
 * the fuzzer can still reach every {@code String} a caller could pass: the bytes are read as UTF-8,
 * except that a three-byte sequence encoding a UTF-16 surrogate ({@code ED A0 80} to {@code ED BF
 * BF}, which strict UTF-8 refuses) becomes that lone surrogate, and every other byte that is not
 * part of a well-formed sequence becomes {@code U+FFFD}. Stateless.
 */
public final class FuzzText {
  private FuzzText() {}

  /** All of {@code bytes} as text. */
  public static String of(byte[] bytes) {
    return of(bytes, 0, bytes.length);
  }

  /** {@code bytes[from..to)} as text. */
  public static String of(byte[] bytes, int from, int to) {
    StringBuilder sb = new StringBuilder(to - from);
    int i = from;
    while (i < to) {
      int b = bytes[i] & 0xFF;
      if (b < 0x80) {
        sb.append((char) b);
        i++;
        continue;
      }
      int len = b >= 0xF0 && b <= 0xF4 ? 4 : b >= 0xE0 ? (b <= 0xEF ? 3 : 0) : b >= 0xC2 ? 2 : 0;
      if (len == 0 || i + len > to || !continuations(bytes, i + 1, i + len)) {
        sb.append('\uFFFD');
        i++;
        continue;
      }
      int cp = b & (0xFF >> (len + 1));
      for (int k = 1; k < len; k++) {
        cp = (cp << 6) | (bytes[i + k] & 0x3F);
      }
      boolean overlong = (len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF));
      if (overlong) {
        sb.append('\uFFFD');
        i++;
        continue;
      }
      sb.appendCodePoint(cp); // a surrogate code point (ED A0..BF xx) is appended as that lone char
      i += len;
    }
    return sb.toString();
  }

  /** {@code text} as the bytes {@link #of} reads back to it (lone surrogates as three bytes). */
  public static byte[] bytes(String text) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(text.length() + 8);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isHighSurrogate(c)
          && i + 1 < text.length()
          && Character.isLowSurrogate(text.charAt(i + 1))) {
        out.writeBytes(text.substring(i, i + 2).getBytes(StandardCharsets.UTF_8));
        i++;
      } else if (Character.isSurrogate(c)) {
        out.write(0xE0 | (c >> 12));
        out.write(0x80 | ((c >> 6) & 0x3F));
        out.write(0x80 | (c & 0x3F));
      } else {
        out.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
      }
    }
    return out.toByteArray();
  }

  private static boolean continuations(byte[] bytes, int from, int to) {
    for (int k = from; k < to; k++) {
      if ((bytes[k] & 0xC0) != 0x80) {
        return false;
      }
    }
    return true;
  }
}
