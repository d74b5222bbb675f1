package dev.coffer.internal.record;

import java.io.IOException;
import net.jpountz.lz4.LZ4Compressor;
import net.jpountz.lz4.LZ4Exception;
import net.jpountz.lz4.LZ4Factory;
import net.jpountz.lz4.LZ4SafeDecompressor;

/**
 * LZ4 block compression of record bodies before they are sealed ({@link
 * RecordFormat#compressedOrRaw}), through lz4-java (the maintained {@code at.yawk.lz4} line): its
 * JNI binding of the reference C library where it loads, its pure-Java port elsewhere. The
 * decompressor is the bounds-checked one, which never writes past the stated length. A per-thread
 * buffer takes the compressed bytes, so a compression allocates only its result. Stateless and
 * thread-safe.
 */
final class Lz4 {
  private static final LZ4Factory FACTORY = LZ4Factory.fastestInstance();
  private static final LZ4Compressor COMPRESSOR = FACTORY.fastCompressor();
  private static final LZ4SafeDecompressor DECOMPRESSOR = FACTORY.safeDecompressor();
  private static final ThreadLocal<byte[][]> BUFFERS = ThreadLocal.withInitial(() -> new byte[1][]);

  private Lz4() {}

  /** Compressed bytes in a per-thread buffer: valid until the thread's next compression. */
  record Compressed(byte[] bytes, int length) {}

  /** Compresses {@code raw} into this thread's buffer. */
  static Compressed compress(byte[] raw) {
    int max = COMPRESSOR.maxCompressedLength(raw.length);
    byte[][] holder = BUFFERS.get();
    if (holder[0] == null || holder[0].length < max) {
      holder[0] = new byte[Math.max(max, 8192)];
    }
    int n = COMPRESSOR.compress(raw, 0, raw.length, holder[0], 0, holder[0].length);
    return new Compressed(holder[0], n);
  }

  /**
   * Decompresses {@code in[offset, offset + length)}, which must give exactly {@code rawLength}
   * bytes.
   *
   * @throws IOException when it is not a valid LZ4 block of that length
   */
  static byte[] decompress(byte[] in, int offset, int length, int rawLength) throws IOException {
    byte[] out = new byte[rawLength];
    int n;
    try {
      n = DECOMPRESSOR.decompress(in, offset, length, out, 0, rawLength);
    } catch (LZ4Exception e) {
      throw new IOException("a compressed body does not decompress: " + e.getMessage(), e);
    }
    if (n != rawLength) {
      throw new IOException("a compressed body decompresses to " + n + " bytes, not " + rawLength);
    }
    return out;
  }

  /** Which implementation runs (for the docs and diagnostics): e.g. {@code JNI}. */
  static String implementation() {
    return FACTORY.toString();
  }
}
