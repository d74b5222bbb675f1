package dev.coffer.internal.record;

import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The child JVM of {@link AnchorFileTest}: writes an anchor file over and over until it is killed,
 * printing {@code WROTE <n>} after each write returned. Write {@code n} holds {@link
 * #contents(long) contents(n)}. Arguments: the directory, the store id hex.
 */
public final class AnchorWriterChild {
  private AnchorWriterChild() {}

  /** What write {@code n} holds: {@code n}, then 56 bytes that repeat its low byte. */
  static byte[] contents(long n) {
    ByteBuffer b = ByteBuffer.allocate(64).putLong(n);
    while (b.hasRemaining()) {
      b.put((byte) n);
    }
    return b.array();
  }

  /** The write {@code bytes} is, or -1 when they are not one (torn, or anything else). */
  static long writeNumber(byte[] bytes) {
    if (bytes.length != 64) {
      return -1;
    }
    long n = ByteBuffer.wrap(bytes).getLong();
    return Arrays.equals(bytes, contents(n)) ? n : -1;
  }

  public static void main(String[] args) {
    AnchorFile file = AnchorFile.in(Path.of(args[0]), args[1]);
    PrintStream out = new PrintStream(System.out, true);
    out.println("READY");
    for (long n = 0; ; n++) {
      file.write(contents(n));
      out.println("WROTE " + n);
    }
  }
}
