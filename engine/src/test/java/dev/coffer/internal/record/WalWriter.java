package dev.coffer.internal.record;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

/**
 * Writes RocksDB write-ahead log records as RocksDB's {@code log::Writer} does (32 KiB blocks,
 * zero-padded trailers, FULL or FIRST/MIDDLE/LAST fragments, masked CRC32C), for tests that build
 * logs or append a torn record to a real one. Not thread-safe.
 */
final class WalWriter {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private long position;

  /** A writer that continues a log of {@code length} bytes (only the block offset matters). */
  WalWriter(long length) {
    this.position = length;
  }

  /** The bytes written so far (to append to the log). */
  byte[] bytes() {
    return out.toByteArray();
  }

  /** The log's length after these bytes. */
  long position() {
    return position;
  }

  /** A write batch payload: sequence, count, then {@code size - 12} filler bytes. */
  static byte[] batch(long sequence, int count, int size) {
    ByteBuffer b = ByteBuffer.allocate(Math.max(size, 12)).order(ByteOrder.LITTLE_ENDIAN);
    b.putLong(sequence).putInt(count);
    for (int i = 12; i < b.capacity(); i++) {
      b.put((byte) ('a' + i % 26));
    }
    return b.array();
  }

  /** Appends a logical record, split across blocks as needed. */
  WalWriter add(byte[] payload) {
    int left = payload.length;
    int offset = 0;
    boolean begin = true;
    do {
      int leftover = WalInspector.BLOCK_SIZE - blockOffset();
      if (leftover < WalInspector.HEADER_SIZE) {
        zeros(leftover);
      }
      int avail = WalInspector.BLOCK_SIZE - blockOffset() - WalInspector.HEADER_SIZE;
      int length = Math.min(left, avail);
      boolean end = left == length;
      int type = begin && end ? 1 : begin ? 2 : end ? 4 : 3;
      physical(type, payload, offset, length, length);
      offset += length;
      left -= length;
      begin = false;
    } while (left > 0);
    return this;
  }

  /**
   * Appends a record torn by a crash: its header and as much of its payload as reaches the next 4
   * KiB boundary of the file (a FIRST fragment when that boundary ends the block).
   */
  WalWriter torn() {
    int leftover = WalInspector.BLOCK_SIZE - blockOffset();
    if (leftover == WalInspector.HEADER_SIZE) {
      throw new IllegalStateException(
          "the block has room for a header only; RocksDB would start a record there");
    }
    if (leftover < WalInspector.HEADER_SIZE) {
      zeros(leftover);
    }
    long blockEnd = position - blockOffset() + WalInspector.BLOCK_SIZE;
    long end =
        (position + WalInspector.HEADER_SIZE + 1 + WalInspector.PAGE_SIZE - 1)
            / WalInspector.PAGE_SIZE
            * WalInspector.PAGE_SIZE;
    int present = (int) (end - position - WalInspector.HEADER_SIZE);
    if (end < blockEnd) {
      int declared = (int) (blockEnd - position - WalInspector.HEADER_SIZE);
      physical(1, batch(999_999, 1, declared), 0, declared, present);
    } else {
      physical(
          2, batch(999_999, 1, present), 0, present, present); // a FIRST part whose LAST never came
    }
    return this;
  }

  /**
   * A physical record of {@code length} declared bytes, of which only {@code written} are written.
   */
  private void physical(int type, byte[] payload, int offset, int length, int written) {
    CRC32C crc = new CRC32C();
    crc.update(type);
    crc.update(payload, offset, length);
    ByteBuffer header =
        ByteBuffer.allocate(WalInspector.HEADER_SIZE).order(ByteOrder.LITTLE_ENDIAN);
    header
        .putInt(WalInspector.mask((int) crc.getValue()))
        .putShort((short) length)
        .put((byte) type);
    out.writeBytes(header.array());
    out.write(payload, offset, written);
    position += WalInspector.HEADER_SIZE + written;
  }

  private void zeros(int n) {
    out.writeBytes(new byte[n]);
    position += n;
  }

  private int blockOffset() {
    return (int) (position % WalInspector.BLOCK_SIZE);
  }

  /** Appends {@code bytes} to a file. */
  static void append(Path file, byte[] bytes) throws IOException {
    Files.write(file, bytes, StandardOpenOption.APPEND);
  }
}
