package dev.coffer.cli.store;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Reads a stream line by line (ending in {@code \n}, {@code \r\n} or the end of the stream), each
 * line decoded as strict UTF-8 on its own, so an error names the line it is on; a line longer than
 * a bound is refused before it fills memory. Not thread-safe.
 */
final class LineReader {
  private final InputStream in;
  private final int maxLineBytes;
  private final ByteArrayOutputStream line = new ByteArrayOutputStream();

  /**
   * @param in a buffered stream (read a byte at a time)
   */
  LineReader(InputStream in, int maxLineBytes) {
    this.in = in;
    this.maxLineBytes = maxLineBytes;
  }

  /**
   * The next line without its end, or null at the end of the stream.
   *
   * @throws BadLineException when the line is not UTF-8 or longer than the bound
   */
  String next() throws IOException {
    line.reset();
    int b;
    boolean any = false;
    while ((b = in.read()) != -1) {
      any = true;
      if (b == '\n') {
        break;
      }
      if (line.size() >= maxLineBytes) {
        throw new BadLineException("the line is longer than " + (maxLineBytes >> 20) + " MiB");
      }
      line.write(b);
    }
    if (!any) {
      return null;
    }
    byte[] bytes = line.toByteArray();
    int length =
        bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes, 0, length))
          .toString();
    } catch (CharacterCodingException e) {
      throw new BadLineException("the line is not UTF-8 text");
    }
  }

  /** A line that cannot be read as text. */
  static final class BadLineException extends IOException {
    private static final long serialVersionUID = 1L;

    BadLineException(String message) {
      super(message);
    }
  }
}
