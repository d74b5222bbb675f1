package dev.coffer.internal.record;

import dev.coffer.CorruptionException;
import dev.coffer.spi.BackendKey;
import dev.coffer.spi.BackendRecord;
import dev.coffer.spi.ConditionFailedException;
import dev.coffer.spi.RecordBackend;
import dev.coffer.spi.WriteCondition;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Values on a shared backend, whole or in chunks. A value up to the backend's limit is stored as it
 * is (every value Coffer writes starts with a protobuf tag, never with {@code 0x00}). A larger one
 * (a node holding an item near DynamoDB's 400 KB limit, plus its framing) is split: the record
 * under the value's key holds a manifest and the first part, and the rest goes to chunk records in
 * a partition of their own ({@link SharedKeys#chunkPartition}), under a chunk set id drawn for this
 * write:
 *
 * <pre>
 * manifest: 0x00 || chunkSet(8) || chunks(2) || totalLength(4) || first part
 * </pre>
 *
 * The chunks are written before the manifest and never change; a reader that read a manifest reads
 * exactly the chunks of its chunk set, so it never mixes two versions of a value (and the value's
 * authentication tag would catch it if it did). The chunks of a replaced value are deleted after
 * the grace period, like any unreachable record. Thread-safe.
 */
final class SharedValues {
  /** A value as read: its bytes (null when not asked for) and the version of its record. */
  record Versioned(byte[] value, long version) {}

  private static final int MANIFEST_HEADER = 1 + 8 + 2 + 4;

  /** At most this many chunks, so a value is at most about 65,535 times the backend's limit. */
  private static final int MAX_CHUNKS = 0xFFFF;

  private final RecordBackend backend;
  private final int limit;

  SharedValues(RecordBackend backend) {
    this.backend = backend;
    this.limit = backend.maxValueBytes();
    if (limit < 1024) {
      throw new IllegalArgumentException(
          "a record backend must hold values of at least 1 KiB, not " + limit);
    }
  }

  /** The largest value stored whole (in one record). */
  int maxWholeBytes() {
    return limit;
  }

  /** Whether a value of {@code length} bytes is split into chunks. */
  boolean chunked(int length) {
    return length > limit;
  }

  /** The value under {@code key} (chunks joined) and its version, or null. */
  Versioned read(BackendKey key, String table, String where) {
    BackendRecord r = backend.get(key.partitionKey(), key.sortKey());
    return r == null ? null : new Versioned(join(r, table, where), r.version());
  }

  /** The whole value of a record just read. */
  byte[] join(BackendRecord r, String table, String where) {
    byte[] head = r.value();
    if (head.length == 0 || head[0] != 0) {
      return head;
    }
    if (head.length < MANIFEST_HEADER) {
      throw new CorruptionException("A stored record's chunk manifest is truncated", table, where);
    }
    ByteBuffer b = ByteBuffer.wrap(head);
    b.get();
    long chunkSet = b.getLong();
    int chunks = b.getShort() & 0xFFFF;
    int total = b.getInt();
    if (total < head.length - MANIFEST_HEADER || total > (long) limit * (chunks + 1)) {
      throw new CorruptionException(
          "A stored record's chunk manifest gives an impossible length", table, where);
    }
    byte[] out = new byte[total];
    int at = head.length - MANIFEST_HEADER;
    System.arraycopy(head, MANIFEST_HEADER, out, 0, at);
    byte[] pk = SharedKeys.chunkPartition(r.partitionKey());
    byte[] sk = r.sortKey();
    int next = 0;
    byte[] from = SharedKeys.chunkSort(sk, chunkSet, 0);
    boolean inclusive = true;
    while (next < chunks) {
      List<BackendRecord> page = backend.query(pk, from, inclusive, Math.min(chunks - next, 16));
      if (page.isEmpty()) {
        break;
      }
      for (BackendRecord c : page) {
        if (next == chunks
            || !java.util.Arrays.equals(c.sortKey(), SharedKeys.chunkSort(sk, chunkSet, next))) {
          break;
        }
        int n = c.valueLength();
        if (at + n > total) {
          throw new CorruptionException(
              "A stored record's chunks are longer than its manifest says", table, where);
        }
        System.arraycopy(c.value(), 0, out, at, n);
        at += n;
        next++;
        from = c.sortKey();
        inclusive = false;
      }
      if (next < chunks && page.size() < Math.min(chunks - next, 16)) {
        break;
      }
    }
    if (next != chunks || at != total) {
      throw new CorruptionException(
          "A chunk of a stored record is missing (" + next + " of " + chunks + " read)",
          table,
          where);
    }
    return out;
  }

  /**
   * Writes {@code value} under {@code key} when {@code condition} holds: a large value's chunks
   * first, then its manifest. On a failed condition the new chunks are deleted again (nothing
   * references them). The chunks of the value replaced go to {@code garbage} (null: deleted now).
   */
  Versioned write(
      BackendKey key,
      byte[] value,
      long version,
      WriteCondition condition,
      boolean wantPrevious,
      String table,
      String where,
      SharedGarbage garbage) {
    byte[] head = value;
    List<BackendKey> written = List.of();
    if (value.length > limit || (value.length > 0 && value[0] == 0)) {
      long chunkSet = SharedKeys.randomLong();
      int firstPart = Math.min(value.length, limit - MANIFEST_HEADER);
      int rest = value.length - firstPart;
      int chunks = (rest + limit - 1) / limit;
      if (chunks > MAX_CHUNKS) {
        throw new dev.coffer.StorageException(
            "A record of " + value.length + " bytes is too large to store (" + where + ")");
      }
      written = new ArrayList<>(chunks);
      for (int i = 0; i < chunks; i++) {
        int from = firstPart + i * limit;
        int to = Math.min(value.length, from + limit);
        byte[] sk = SharedKeys.chunkSort(key.sortKey(), chunkSet, i);
        byte[] pk = SharedKeys.chunkPartition(key.partitionKey());
        backend.put(
            BackendRecord.of(pk, sk, java.util.Arrays.copyOfRange(value, from, to), 0),
            WriteCondition.none());
        written.add(BackendKey.of(pk, sk));
      }
      head =
          ByteBuffer.allocate(MANIFEST_HEADER + firstPart)
              .put((byte) 0)
              .putLong(chunkSet)
              .putShort((short) chunks)
              .putInt(value.length)
              .put(value, 0, firstPart)
              .array();
    }
    BackendRecord previous;
    try {
      previous =
          backend.put(
              BackendRecord.of(key.partitionKey(), key.sortKey(), head, version), condition);
    } catch (ConditionFailedException e) {
      if (!written.isEmpty()) {
        backend.deleteAll(written);
      }
      throw e;
    }
    return previousOf(previous, wantPrevious, table, where, garbage);
  }

  /**
   * Deletes the record under {@code key} when {@code condition} holds; the chunks of its value go
   * to {@code garbage} (null: deleted now).
   */
  Versioned delete(
      BackendKey key,
      WriteCondition condition,
      boolean wantPrevious,
      String table,
      String where,
      SharedGarbage garbage) {
    BackendRecord previous = backend.delete(key.partitionKey(), key.sortKey(), condition);
    return previousOf(previous, wantPrevious, table, where, garbage);
  }

  private Versioned previousOf(
      BackendRecord previous,
      boolean wantPrevious,
      String table,
      String where,
      SharedGarbage garbage) {
    if (previous == null) {
      return null;
    }
    byte[] value = wantPrevious ? join(previous, table, where) : null;
    List<BackendKey> oldChunks = chunkKeys(previous);
    if (!oldChunks.isEmpty()) {
      if (garbage == null) {
        backend.deleteAll(oldChunks);
      } else {
        garbage.add(oldChunks, false);
      }
    }
    return new Versioned(value, previous.version());
  }

  /** The keys of the chunks a record's manifest names (none for a whole value). */
  static List<BackendKey> chunkKeys(BackendRecord r) {
    byte[] head = r.value();
    if (head.length < MANIFEST_HEADER || head[0] != 0) {
      return List.of();
    }
    ByteBuffer b = ByteBuffer.wrap(head);
    b.get();
    long chunkSet = b.getLong();
    int chunks = b.getShort() & 0xFFFF;
    List<BackendKey> keys = new ArrayList<>(chunks);
    byte[] pk = SharedKeys.chunkPartition(r.partitionKey());
    for (int i = 0; i < chunks; i++) {
      keys.add(BackendKey.of(pk, SharedKeys.chunkSort(r.sortKey(), chunkSet, i)));
    }
    return keys;
  }
}
