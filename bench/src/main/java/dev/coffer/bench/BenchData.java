package dev.coffer.bench;

import dev.coffer.AttributeValue;
import dev.coffer.Item;
import dev.coffer.internal.model.ItemCodec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Comparator;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/**
 * Keys, items and scratch directories shared by every store benchmark, so that Coffer, plain
 * RocksDB and the peers see the same bytes.
 *
 * <p>Partition keys are 24 ASCII characters ({@code p} and 23 digits), so a plaintext RocksDB key
 * is 24 bytes, the size of a Coffer page key (16-byte token and 8-byte node id). Sort keys are 6
 * ASCII characters ({@code s} and 5 digits). Items hold {@code pk}, optionally {@code sk}, and a
 * random (incompressible, like ciphertext) binary {@code payload} sized so that the protobuf
 * encoding of the whole item is exactly the requested number of bytes.
 */
final class BenchData {
  static final String PK = "pk";
  static final String SK = "sk";
  static final String PAYLOAD = "payload";
  static final int KEY_BYTES = 24;

  /** Distinct payloads cycled through by writers: enough to defeat any value-level caching. */
  static final int PAYLOAD_POOL = 1024;

  private BenchData() {}

  /** The partition key of index {@code i}: 24 ASCII characters. */
  static String partitionKey(long i) {
    char[] c = new char[KEY_BYTES];
    c[0] = 'p';
    long v = i;
    for (int k = KEY_BYTES - 1; k > 0; k--) {
      c[k] = (char) ('0' + (v % 10));
      v /= 10;
    }
    return new String(c);
  }

  /** The sort key of position {@code j} in its partition: 6 ASCII characters, in numeric order. */
  static String sortKey(int j) {
    char[] c = new char[6];
    c[0] = 's';
    int v = j;
    for (int k = 5; k > 0; k--) {
      c[k] = (char) ('0' + (v % 10));
      v /= 10;
    }
    return new String(c);
  }

  static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  /** The plaintext RocksDB key of a partition-key-only item: the 24 key bytes. */
  static byte[] rowKey(long i) {
    return ascii(partitionKey(i));
  }

  /** The plaintext RocksDB key of a sorted item: partition key bytes then sort key bytes. */
  static byte[] rowKey(long partition, int sort) {
    return ascii(partitionKey(partition) + sortKey(sort));
  }

  /** Random payloads, each sized so that an item built with it encodes to {@code itemBytes}. */
  static byte[][] payloads(int itemBytes, boolean withSortKey, long seed) {
    int payloadBytes = payloadBytes(itemBytes, withSortKey);
    SplittableRandom random = new SplittableRandom(seed);
    byte[][] pool = new byte[PAYLOAD_POOL][payloadBytes];
    for (byte[] p : pool) {
      random.nextBytes(p);
    }
    return pool;
  }

  /** The item for partition {@code i} (and sort position {@code j}, or -1 for none). */
  static Item item(long i, int j, byte[] payload) {
    Item.Builder b = Item.builder().put(PK, AttributeValue.s(partitionKey(i)));
    if (j >= 0) {
      b.put(SK, AttributeValue.s(sortKey(j)));
    }
    return b.put(PAYLOAD, AttributeValue.b(payload)).build();
  }

  /** The protobuf encoding of an item, as the engine stores it inside a page. */
  static byte[] encode(Item item) {
    return ItemCodec.toProto(item).toByteArray();
  }

  static Item decode(byte[] bytes) {
    try {
      return ItemCodec.fromProto(dev.coffer.proto.Item.parseFrom(bytes));
    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
      throw new IllegalStateException(e);
    }
  }

  private static int payloadBytes(int itemBytes, boolean withSortKey) {
    int guess = Math.max(0, itemBytes - 64);
    for (int attempt = 0; attempt < 16; attempt++) {
      int size = encode(item(0, withSortKey ? 0 : -1, new byte[guess])).length;
      if (size == itemBytes) {
        return guess;
      }
      guess = Math.max(0, guess + itemBytes - size);
    }
    return guess; // within a byte or two when a varint length changes width
  }

  /** A fresh scratch directory under {@code -Dcoffer.bench.dir} (default: java.io.tmpdir). */
  static Path scratchDir(String prefix) {
    try {
      Path parent = Paths.get(System.getProperty("coffer.bench.dir", System.getProperty("java.io.tmpdir")));
      Files.createDirectories(parent);
      return Files.createTempDirectory(parent, prefix);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static void deleteRecursively(Path dir) {
    if (dir == null || !Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
