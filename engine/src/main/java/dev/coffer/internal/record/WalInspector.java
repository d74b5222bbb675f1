package dev.coffer.internal.record;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32C;

/**
 * Reads RocksDB's write-ahead logs ({@code NNNNNN.log} in the store directory) on their own, before
 * RocksDB opens them, and says what state they are in: intact, torn at the end by a crash, or
 * damaged. RocksDB alone cannot tell the store what it needs: its point-in-time mode silently stops
 * at the first damaged record and drops every write after it, its stricter modes either refuse a
 * log torn by a crash or accept one cut short, and none of them says where the damage is. The
 * format (RocksDB's {@code db/log_format.h}, unchanged since LevelDB): the file is a sequence of 32
 * KiB blocks; a block holds physical records, each a 7-byte header (masked CRC32C of type and
 * payload, 2-byte length, 1-byte type) and its payload, and ends with fewer than 7 bytes of zero
 * padding when no header fits; a logical record (a write batch: 8-byte sequence number, 4-byte
 * count, operations) is one FULL physical record or a FIRST, MIDDLE..., LAST chain across blocks.
 *
 * <p>What counts as what:
 *
 * <ul>
 *   <li><b>Damage</b>: a physical record whose checksum fails, whose length runs past its block, of
 *       an unknown type, out of its chain, or a zeroed header with data after it (RocksDB skips the
 *       rest of such a block without a word); a log other than the newest that ends inside a
 *       record; and the newest log ending inside a record, less than 512 KiB of it there, at an
 *       offset that is not a multiple of 4 KiB.
 *   <li><b>A torn tail</b>: the newest log ends inside its last record at a multiple of 4 KiB, or
 *       in zeros, or inside a record of which 512 KiB or more are there. That is what a crash
 *       leaves: RocksDB writes a record with one {@code write} call (several only for a record
 *       larger than its 1 MiB write buffer), a process killed while writing has written whole pages
 *       of the file (the kernel copies a write page by page and stops between pages), and a machine
 *       that lost power has whole pages or zeros. The record was never complete, so it was never
 *       acknowledged, even with synced writes. A file cut anywhere else was cut short.
 * </ul>
 *
 * <p>Undetectable: a log cut exactly at a record boundary or at a 4 KiB boundary, or removed whole,
 * looks like a log whose later writes never happened (docs/threat-model.md). Stateless.
 */
final class WalInspector {
  static final int BLOCK_SIZE = 32 * 1024;
  static final int HEADER_SIZE = 7;
  static final int RECYCLABLE_HEADER_SIZE = 11;

  /** A write batch starts with its 8-byte sequence number and 4-byte count. */
  static final int BATCH_HEADER_SIZE = 12;

  /** A crash tears a file at a page boundary. */
  static final int PAGE_SIZE = 4096;

  /**
   * RocksDB writes a log record with one {@code write} call unless it outgrows the 1 MiB buffer of
   * its file writer; a record of which this much is on disk may have been written in parts, so a
   * crash can end it anywhere.
   */
  static final int MULTI_WRITE_RECORD = 512 * 1024;

  private static final int FULL = 1;
  private static final int FIRST = 2;
  private static final int MIDDLE = 3;
  private static final int LAST = 4;
  private static final int RECYCLABLE_FULL = 5;
  private static final int RECYCLABLE_LAST = 8;
  private static final int SET_COMPRESSION = 9;
  private static final int TIMESTAMP_SIZE = 10;
  private static final int RECYCLABLE_TIMESTAMP_SIZE = 11;

  /** Record types with this bit may be ignored by readers that do not know them. */
  private static final int SAFE_TO_IGNORE = 0x80;

  private static final int MASK_DELTA = 0xa282ead8;

  private static final Pattern LOG_FILE = Pattern.compile("(\\d+)\\.log");

  private WalInspector() {}

  /**
   * An intact logical record: where it starts and ends, and its write batch's sequence and count.
   */
  record Batch(long offset, long end, long sequence, int count) {}

  /** Something wrong at {@code offset} of a log. */
  record Problem(long offset, String what) {}

  /** What one log file holds. */
  static final class LogFile {
    final Path path;
    final long number;
    final long length;
    final List<Batch> batches = new ArrayList<>();
    final List<Problem> problems = new ArrayList<>();

    /** Where the record the file ends inside starts, or -1 when it ends between records. */
    long incompleteFrom = -1;

    /** Where zeros up to the end of the file start, or -1. */
    long zerosFrom = -1;

    LogFile(Path path, long number, long length) {
      this.path = path;
      this.number = number;
      this.length = length;
    }
  }

  /** Damage at {@code offset} of a log; {@code what} is a sentence naming the byte. */
  record Damage(LogFile log, long offset, String what) {
    @Override
    public String toString() {
      return log.path + ": " + what;
    }
  }

  /** What all the logs of a store hold, oldest first, and what that means for an open. */
  static final class Report {
    final List<LogFile> logs;

    Report(List<LogFile> logs) {
      this.logs = logs;
    }

    /** The logs numbered {@code first} and above. */
    Report from(long first) {
      return new Report(logs.stream().filter(f -> f.number >= first).toList());
    }

    /** The newest log that has any bytes, or null. */
    LogFile newest() {
      LogFile newest = null;
      for (LogFile f : logs) {
        if (f.length > 0) {
          newest = f;
        }
      }
      return newest;
    }

    /** The first damage, in log order; null when there is none. */
    Damage damage() {
      LogFile newest = newest();
      for (LogFile f : logs) {
        if (!f.problems.isEmpty()) {
          Problem p = f.problems.get(0);
          return new Damage(f, p.offset, p.what);
        }
        if (f.incompleteFrom >= 0 && f != newest) {
          return new Damage(
              f,
              f.incompleteFrom,
              "ends inside a record (the record starting at byte "
                  + f.incompleteFrom
                  + " is incomplete), yet later logs exist: the record was cut, not torn by a crash");
        }
        if (f.incompleteFrom >= 0
            && f.length % PAGE_SIZE != 0
            && f.length - f.incompleteFrom < MULTI_WRITE_RECORD) {
          return new Damage(
              f,
              f.incompleteFrom,
              "ends inside a record at byte "
                  + f.length
                  + " (the record starts at byte "
                  + f.incompleteFrom
                  + "), not at a 4 KiB boundary as a write torn by"
                  + " a crash ends: the file was cut short, and acknowledged writes after the cut may be missing");
        }
        if (f.zerosFrom >= 0 && f != newest) {
          return new Damage(
              f, f.zerosFrom, "ends in zeros from byte " + f.zerosFrom + ", yet later logs exist");
        }
      }
      return null;
    }

    /**
     * The torn end of the newest log that an open may drop, as a sentence; null when there is none.
     */
    String tornTail() {
      LogFile f = newest();
      if (f == null || damage() != null) {
        return null;
      }
      if (f.incompleteFrom >= 0) {
        return f.path
            + ": the last record (bytes "
            + f.incompleteFrom
            + " to "
            + f.length
            + ") is incomplete, torn by a crash while it was written; it was never acknowledged and is dropped";
      }
      if (f.zerosFrom >= 0) {
        return f.path
            + ": bytes "
            + f.zerosFrom
            + " to "
            + f.length
            + " are zeros left by a crash (no record was written there)";
      }
      return null;
    }

    /**
     * The last sequence number of the intact batches before {@code damage} (in log order): what a
     * point-in-time recovery keeps; -1 when there are none.
     */
    long lastSequenceBefore(Damage damage) {
      long last = -1;
      for (LogFile f : logs) {
        for (Batch b : f.batches) {
          if (f == damage.log && b.offset >= damage.offset) {
            return last;
          }
          if (b.sequence >= 0) {
            last = Math.max(last, b.sequence + Math.max(b.count, 1) - 1);
          }
        }
        if (f == damage.log) {
          return last;
        }
      }
      return last;
    }

    /** The intact batches at or after {@code damage}: what a point-in-time recovery drops. */
    List<Batch> batchesFrom(Damage damage) {
      List<Batch> out = new ArrayList<>();
      boolean after = false;
      for (LogFile f : logs) {
        if (f == damage.log) {
          after = true;
          f.batches.stream().filter(b -> b.offset >= damage.offset).forEach(out::add);
        } else if (after) {
          out.addAll(f.batches);
        }
      }
      return out;
    }
  }

  /** Describes batches for a message: how many, their sequence numbers and operations. */
  static String describe(List<Batch> batches) {
    if (batches.isEmpty()) {
      return "no intact write batch";
    }
    long first = Long.MAX_VALUE;
    long last = Long.MIN_VALUE;
    long operations = 0;
    for (Batch b : batches) {
      if (b.sequence >= 0) {
        first = Math.min(first, b.sequence);
        last = Math.max(last, b.sequence + Math.max(b.count, 1) - 1);
        operations += b.count;
      }
    }
    return batches.size()
        + " intact write batch"
        + (batches.size() == 1 ? "" : "es")
        + (first <= last
            ? " (sequence numbers " + first + " to " + last + ", " + operations + " operations)"
            : "");
  }

  /** Reads every log in {@code dir}. */
  static Report inspect(Path dir) throws IOException {
    List<LogFile> logs = new ArrayList<>();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.log")) {
      for (Path p : files) {
        Matcher m = LOG_FILE.matcher(p.getFileName().toString());
        if (m.matches() && Files.isRegularFile(p)) {
          logs.add(new LogFile(p, Long.parseLong(m.group(1)), Files.size(p)));
        }
      }
    }
    logs.sort(Comparator.comparingLong(f -> f.number));
    for (LogFile f : logs) {
      scan(f);
    }
    return new Report(logs);
  }

  /** Scans one log block by block, as RocksDB's reader does, noting what it finds. */
  static void scan(LogFile f) throws IOException {
    try (FileChannel ch = FileChannel.open(f.path, StandardOpenOption.READ)) {
      ByteBuffer block = ByteBuffer.allocate(BLOCK_SIZE).order(ByteOrder.LITTLE_ENDIAN);
      boolean inChain = false;
      long chainStart = -1;
      long chainLength = 0;
      long chainSequence = -1;
      int chainCount = -1;
      for (long blockStart = 0; blockStart < f.length; blockStart += BLOCK_SIZE) {
        int n = read(ch, block, blockStart);
        boolean lastBlock = blockStart + n >= f.length;
        int p = 0;
        while (true) {
          if (BLOCK_SIZE - p < HEADER_SIZE || p == n) {
            break; // block trailer, or the end of the file
          }
          long at = blockStart + p;
          if (n - p < HEADER_SIZE) {
            f.incompleteFrom = inChain ? chainStart : at; // the file ends inside a header
            return;
          }
          int crc = block.getInt(p);
          int length = Short.toUnsignedInt(block.getShort(p + 4));
          int type = block.get(p + 6) & 0xff;
          int headerSize = isRecyclable(type) ? RECYCLABLE_HEADER_SIZE : HEADER_SIZE;
          if (headerSize == RECYCLABLE_HEADER_SIZE
              && n - p >= headerSize
              && Integer.toUnsignedLong(block.getInt(p + 7)) != (f.number & 0xffffffffL)) {
            return; // a record of the file's earlier life (log recycling): RocksDB reads it as the
            // end
          }
          if (type == 0 && length == 0) {
            // RocksDB skips the rest of the block: zeros to the end of the file are a torn
            // tail, anything after them was lost without a word
            if (zerosToEnd(ch, block, p, n, blockStart, f.length)) {
              if (inChain) {
                f.incompleteFrom = chainStart;
              } else {
                f.zerosFrom = at;
              }
              return;
            }
            f.problems.add(
                new Problem(
                    at,
                    "a zeroed record header at byte "
                        + at
                        + " hides the rest of its 32 KiB block (RocksDB would skip it silently)"));
            inChain = false;
            break;
          }
          if (p + headerSize + length > n) {
            if (lastBlock && p + headerSize + length <= BLOCK_SIZE) {
              f.incompleteFrom = inChain ? chainStart : at; // the file ends inside this record
              return;
            }
            f.problems.add(
                new Problem(
                    at,
                    "the record at byte "
                        + at
                        + " claims "
                        + length
                        + " bytes, more than its 32 KiB block holds"));
            inChain = false;
            break;
          }
          if (unmask(crc) != crc32c(block, p + 6, headerSize - 6 + length)) {
            f.problems.add(new Problem(at, "the record at byte " + at + " fails its checksum"));
            inChain = false;
            break;
          }
          int payload = p + headerSize;
          int kind =
              type >= RECYCLABLE_FULL && type <= RECYCLABLE_LAST
                  ? type - (RECYCLABLE_FULL - FULL)
                  : type;
          if (kind == FULL || kind == FIRST) {
            if (inChain) {
              f.problems.add(
                  new Problem(chainStart, "the record at byte " + chainStart + " has no end"));
            }
            long sequence = length >= BATCH_HEADER_SIZE ? block.getLong(payload) : -1;
            int count = length >= BATCH_HEADER_SIZE ? block.getInt(payload + 8) : -1;
            if (kind == FULL) {
              if (length < BATCH_HEADER_SIZE) {
                f.problems.add(
                    new Problem(
                        at, "the record at byte " + at + " is too short for a write batch"));
              }
              f.batches.add(new Batch(at, at + headerSize + length, sequence, count));
              inChain = false;
            } else {
              inChain = true;
              chainStart = at;
              chainLength = length;
              chainSequence = sequence;
              chainCount = count;
            }
          } else if (kind == MIDDLE || kind == LAST) {
            if (!inChain) {
              f.problems.add(new Problem(at, "the record part at byte " + at + " has no start"));
            } else if (kind == LAST) {
              if (chainLength + length < BATCH_HEADER_SIZE) {
                f.problems.add(
                    new Problem(
                        chainStart,
                        "the record at byte " + chainStart + " is too short for a write batch"));
              }
              f.batches.add(
                  new Batch(chainStart, at + headerSize + length, chainSequence, chainCount));
              inChain = false;
            } else {
              chainLength += length;
            }
          } else if (type == SET_COMPRESSION
              || type == TIMESTAMP_SIZE
              || type == RECYCLABLE_TIMESTAMP_SIZE
              || (type & SAFE_TO_IGNORE) != 0) {
            // metadata records: intact, but no write batch
          } else {
            f.problems.add(
                new Problem(at, "the record at byte " + at + " has an unknown type " + type));
            inChain = false;
          }
          p += headerSize + length;
        }
      }
      if (inChain) {
        f.incompleteFrom = chainStart; // a record's first parts are there, its last is not
      }
    }
  }

  private static boolean isRecyclable(int type) {
    return (type >= RECYCLABLE_FULL && type <= RECYCLABLE_LAST)
        || type == RECYCLABLE_TIMESTAMP_SIZE;
  }

  private static int read(FileChannel ch, ByteBuffer block, long position) throws IOException {
    block.clear();
    while (block.hasRemaining()) {
      int r = ch.read(block, position + block.position());
      if (r < 0) {
        break;
      }
    }
    return block.position();
  }

  /** Whether every byte from {@code p} of the current block to the end of the file is zero. */
  private static boolean zerosToEnd(
      FileChannel ch, ByteBuffer block, int p, int n, long blockStart, long length)
      throws IOException {
    for (int i = p; i < n; i++) {
      if (block.get(i) != 0) {
        return false;
      }
    }
    ByteBuffer next = ByteBuffer.allocate(BLOCK_SIZE);
    for (long at = blockStart + BLOCK_SIZE; at < length; at += BLOCK_SIZE) {
      int r = read(ch, next, at);
      for (int i = 0; i < r; i++) {
        if (next.get(i) != 0) {
          return false;
        }
      }
    }
    return true;
  }

  private static int crc32c(ByteBuffer block, int offset, int length) {
    CRC32C crc = new CRC32C();
    crc.update(block.array(), offset, length);
    return (int) crc.getValue();
  }

  private static int unmask(int masked) {
    int rot = masked - MASK_DELTA;
    return (rot >>> 17) | (rot << 15);
  }

  /** RocksDB's masked form of a CRC32C value (for tests that write log records). */
  static int mask(int crc) {
    return ((crc >>> 15) | (crc << 17)) + MASK_DELTA;
  }
}
