package dev.coffer.internal.record;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;

/**
 * The nodes of a freshness map ({@link FreshTree}) and their stored form. A map is a 16-ary Merkle
 * tree of fixed shape over 65,536 buckets, a record key's bucket being its first byte and 8 bits of
 * a hash of the whole key ({@link #bucketOf}): levels 0 (the root) to 3 are inner nodes, each
 * holding the SHA-256 of each non-empty child as stored; level 4 are the buckets, each holding the
 * {@link FreshDigest} of every record of its keys, in key order. An empty node is not stored, and
 * its parent holds no digest for it. Stored form (under {@link RecordKeys#freshNode}), not sealed:
 * it holds record keys (plaintext in the store already) and digests of sealed records, and it is
 * authenticated by its digest in its parent, the root's digest being in the sealed store state:
 *
 * <pre>
 * inner:  'I' || tableId(16) || level(1) || index(4) || present(2, bit i = child i) || digests(32 each)
 * bucket: 'B' || tableId(16) || 4(1)     || index(4) || count(4) || (keyLength(1) || key || digest(32))*
 * </pre>
 *
 * Stateless; nodes are immutable.
 */
final class FreshNodes {
  static final int FANOUT = 16;

  /** The level of the buckets; levels 0 to 3 are inner nodes. */
  static final int BUCKET_LEVEL = 4;

  private static final int HEADER = 1 + 16 + 1 + 4;

  /** The longest record key a bucket holds (its length is one byte). */
  static final int MAX_KEY_BYTES = 255;

  private FreshNodes() {}

  /** A node, with its digest (SHA-256 of its stored form) and its stored form's length. */
  interface Node {
    byte[] digest();

    int storedBytes();
  }

  /** An inner node: the digest of each child, null for an empty one. */
  record Inner(byte[][] children, byte[] digest, int storedBytes) implements Node {
    boolean isEmpty() {
      for (byte[] c : children) {
        if (c != null) {
          return false;
        }
      }
      return true;
    }
  }

  /** A bucket: keys in ascending unsigned order and their records' digests. */
  record Bucket(byte[][] keys, byte[][] digests, byte[] digest, int storedBytes) implements Node {
    /** The digest held for {@code key}, or null. */
    byte[] get(byte[] key) {
      int i = find(key);
      return i >= 0 ? digests[i] : null;
    }

    int find(byte[] key) {
      return Arrays.binarySearch(keys, key, Arrays::compareUnsigned);
    }
  }

  /**
   * The bucket of a record key: its first byte (of the partition token, uniform), then 8 bits of a
   * hash of the whole key, so that the nodes of one partition spread over 256 buckets rather than
   * sharing one (a large partition would make one bucket large, rewritten on every write to it).
   * Keys with the same first byte are contiguous in key order, so a walk in key order meets each
   * bucket's keys in order and finishes every bucket of one first byte before the next ({@link
   * Grouper}).
   */
  static int bucketOf(byte[] key) {
    int hi = key.length > 0 ? key[0] & 0xFF : 0;
    // FNV-1a over the whole key (Arrays.hashCode's 31 * h + b made node ids a few hundred apart
    // collide, so a partition reached only ~215 of its 256 buckets), then murmur3's finalizer
    int h = 0x811C9DC5;
    for (byte b : key) {
      h = (h ^ (b & 0xFF)) * 0x01000193;
    }
    h ^= h >>> 16;
    h *= 0x85EBCA6B;
    h ^= h >>> 13;
    h *= 0xC2B2AE35;
    h ^= h >>> 16;
    return (hi << 8) | (h & 0xFF);
  }

  /** Receives the records of one bucket, in key order. */
  interface BucketSink {
    void bucket(int index, byte[][] keys, byte[][] digests);
  }

  /**
   * Groups records met in key order into their buckets, handing each non-empty bucket to a sink in
   * ascending bucket order: it holds the records of one first key byte at a time (about 1/256 of a
   * table). Not thread-safe.
   */
  static final class Grouper {
    private final BucketSink sink;
    private final TreeMap<Integer, List<byte[][]>> open = new TreeMap<>();
    private int first = -1;

    Grouper(BucketSink sink) {
      this.sink = sink;
    }

    /** Adds a record (keys strictly ascending across calls). */
    void add(byte[] key, byte[] digest) {
      int f = key.length > 0 ? key[0] & 0xFF : 0;
      if (f != first) {
        flush();
        first = f;
      }
      open.computeIfAbsent(bucketOf(key), i -> new ArrayList<>()).add(new byte[][] {key, digest});
    }

    /** Hands the buckets still held to the sink (at the end of the walk). */
    void flush() {
      for (var e : open.entrySet()) {
        var entries = e.getValue();
        byte[][] keys = new byte[entries.size()][];
        byte[][] digests = new byte[entries.size()][];
        for (int i = 0; i < keys.length; i++) {
          keys[i] = entries.get(i)[0];
          digests[i] = entries.get(i)[1];
        }
        sink.bucket(e.getKey(), keys, digests);
      }
      open.clear();
    }
  }

  /** The index, at {@code level}, of the node above (or at level 4, equal to) bucket {@code b}. */
  static int indexAt(int level, int bucket) {
    return bucket >>> (4 * (BUCKET_LEVEL - level));
  }

  /** The child slot, in the inner node at {@code level}, on the way to bucket {@code b}. */
  static int slotAt(int level, int bucket) {
    return (bucket >>> (4 * (BUCKET_LEVEL - 1 - level))) & (FANOUT - 1);
  }

  static Inner emptyInner() {
    return new Inner(new byte[FANOUT][], null, 0);
  }

  static Bucket emptyBucket() {
    return new Bucket(new byte[0][], new byte[0][], null, 0);
  }

  /** A node of {@code size} bytes with its header written; the body starts at {@link #HEADER}. */
  private static byte[] header(int size, char kind, byte[] tableId, int level, int index) {
    byte[] b = new byte[size];
    b[0] = (byte) kind;
    System.arraycopy(tableId, 0, b, 1, 16);
    b[17] = (byte) level;
    putInt(b, 18, index);
    return b;
  }

  private static void putInt(byte[] b, int at, int v) {
    b[at] = (byte) (v >>> 24);
    b[at + 1] = (byte) (v >>> 16);
    b[at + 2] = (byte) (v >>> 8);
    b[at + 3] = (byte) v;
  }

  /** Encodes inner node {@code children}; returns the node with its digest, or null when empty. */
  static Inner inner(byte[] tableId, int level, int index, byte[][] children, byte[][] storedOut) {
    int present = 0;
    int n = 0;
    for (int i = 0; i < FANOUT; i++) {
      if (children[i] != null) {
        present |= 1 << i;
        n++;
      }
    }
    if (n == 0) {
      storedOut[0] = null;
      return null;
    }
    byte[] stored = header(HEADER + 2 + n * FreshDigest.BYTES, 'I', tableId, level, index);
    stored[HEADER] = (byte) (present >>> 8);
    stored[HEADER + 1] = (byte) present;
    int at = HEADER + 2;
    for (byte[] c : children) {
      if (c != null) {
        System.arraycopy(c, 0, stored, at, FreshDigest.BYTES);
        at += FreshDigest.BYTES;
      }
    }
    storedOut[0] = stored;
    return new Inner(children, FreshDigest.sha256(stored), stored.length);
  }

  /** Encodes a bucket; returns it with its digest, or null when empty. */
  static Bucket bucket(
      byte[] tableId, int index, byte[][] keys, byte[][] digests, byte[][] storedOut) {
    if (keys.length == 0) {
      storedOut[0] = null;
      return null;
    }
    int size = HEADER + 4;
    for (byte[] k : keys) {
      if (k.length > MAX_KEY_BYTES) {
        throw new IllegalArgumentException("a record key of " + k.length + " bytes");
      }
      size += 1 + k.length + FreshDigest.BYTES;
    }
    byte[] stored = header(size, 'B', tableId, BUCKET_LEVEL, index);
    putInt(stored, HEADER, keys.length);
    int at = HEADER + 4;
    for (int i = 0; i < keys.length; i++) {
      stored[at++] = (byte) keys[i].length;
      System.arraycopy(keys[i], 0, stored, at, keys[i].length);
      at += keys[i].length;
      System.arraycopy(digests[i], 0, stored, at, FreshDigest.BYTES);
      at += FreshDigest.BYTES;
    }
    storedOut[0] = stored;
    return new Bucket(keys, digests, FreshDigest.sha256(stored), stored.length);
  }

  /**
   * Decodes the stored node at {@code level}/{@code index} of table {@code tableId}, whose digest
   * the caller has checked; null when it is malformed or names another place.
   */
  static Node decode(byte[] tableId, int level, int index, byte[] stored, byte[] digest) {
    try {
      ByteBuffer b = ByteBuffer.wrap(stored);
      char kind = (char) b.get();
      byte[] id = new byte[16];
      b.get(id);
      if (!Arrays.equals(id, tableId) || b.get() != level || b.getInt() != index) {
        return null;
      }
      if (level < BUCKET_LEVEL) {
        if (kind != 'I') {
          return null;
        }
        int present = b.getShort() & 0xFFFF;
        byte[][] children = new byte[FANOUT][];
        for (int i = 0; i < FANOUT; i++) {
          if ((present & (1 << i)) != 0) {
            children[i] = new byte[FreshDigest.BYTES];
            b.get(children[i]);
          }
        }
        return b.hasRemaining() ? null : new Inner(children, digest, stored.length);
      }
      if (kind != 'B') {
        return null;
      }
      int n = b.getInt();
      if (n <= 0 || n > stored.length) {
        return null;
      }
      byte[][] keys = new byte[n][];
      byte[][] digests = new byte[n][];
      for (int i = 0; i < n; i++) {
        keys[i] = new byte[b.get() & 0xFF];
        b.get(keys[i]);
        digests[i] = new byte[FreshDigest.BYTES];
        b.get(digests[i]);
        if (i > 0 && Arrays.compareUnsigned(keys[i - 1], keys[i]) >= 0) {
          return null;
        }
      }
      return b.hasRemaining() ? null : new Bucket(keys, digests, digest, stored.length);
    } catch (RuntimeException e) { // BufferUnderflowException and the like: malformed
      return null;
    }
  }
}
