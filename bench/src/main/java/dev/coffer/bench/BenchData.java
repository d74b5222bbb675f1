package dev.coffer.bench;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.coffer.AttributeValue;
import dev.coffer.Item;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/**
 * Keys, items and scratch directories shared by every store benchmark, so that Coffer, plain
 * RocksDB and the peers see the same bytes.
 *
 * <p>Partition keys are 24 ASCII characters ({@code p} and 23 digits), so a plaintext RocksDB key
 * is 24 bytes, the size of a Coffer page key (16-byte token and 8-byte node id). Sort keys are 6
 * ASCII characters ({@code s} and 5 digits). Items hold {@code pk}, optionally {@code sk}, and a
 * binary {@code payload} sized so that the protobuf encoding of the whole item is exactly the
 * requested number of bytes. Payloads are {@value #RANDOM} (incompressible, like ciphertext) or
 * {@value #COMPRESSIBLE} (ASCII words drawn from a small vocabulary, which compress the way text
 * does: Deflate takes them to under half their size, {@code BenchDataTest}); random payloads alone
 * would hide what encryption costs in compression, since plain RocksDB compresses plaintext and
 * Coffer's pages reach RocksDB as ciphertext.
 *
 * <p>The RocksDB side stores an item as its protobuf encoding ({@code dev.coffer.proto.Item}, the
 * message the engine stores items in), encoded and decoded here ({@link #encode}, {@link #decode})
 * rather than with the engine's internal codec: the benchmarks use the engine's public API only.
 */
final class BenchData {
  static final String PK = "pk";
  static final String SK = "sk";
  static final String PAYLOAD = "payload";
  static final int KEY_BYTES = 24;

  /** Distinct payloads cycled through by writers: enough to defeat any value-level caching. */
  static final int PAYLOAD_POOL = 1024;

  /** Payload kind: uniformly random bytes. */
  static final String RANDOM = "random";

  /** Payload kind: words of a small vocabulary, compressible like text. */
  static final String COMPRESSIBLE = "compressible";

  private static final List<String> WORDS =
      List.of(
          "the",
          "of",
          "and",
          "to",
          "in",
          "is",
          "that",
          "for",
          "it",
          "as",
          "was",
          "with",
          "be",
          "by",
          "on",
          "not",
          "he",
          "this",
          "are",
          "or",
          "his",
          "from",
          "at",
          "which",
          "but",
          "have",
          "an",
          "had",
          "they",
          "you",
          "were",
          "their",
          "one",
          "all",
          "we",
          "can",
          "her",
          "has",
          "there",
          "been",
          "if",
          "more",
          "when",
          "will",
          "would",
          "who",
          "so",
          "no",
          "order",
          "customer",
          "status",
          "shipped",
          "pending",
          "amount",
          "currency",
          "address",
          "street",
          "city",
          "country",
          "created",
          "updated",
          "quantity",
          "price",
          "total");

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
    return payloads(itemBytes, withSortKey, seed, RANDOM);
  }

  /**
   * {@value #PAYLOAD_POOL} payloads of kind {@code kind} ({@value #RANDOM} or {@value
   * #COMPRESSIBLE}), each sized so that an item built with it encodes to {@code itemBytes}.
   */
  static byte[][] payloads(int itemBytes, boolean withSortKey, long seed, String kind) {
    int payloadBytes = payloadBytes(itemBytes, withSortKey);
    SplittableRandom random = new SplittableRandom(seed);
    byte[][] pool = new byte[PAYLOAD_POOL][];
    for (int i = 0; i < pool.length; i++) {
      switch (kind) {
        case RANDOM:
          pool[i] = new byte[payloadBytes];
          random.nextBytes(pool[i]);
          break;
        case COMPRESSIBLE:
          pool[i] = words(payloadBytes, random);
          break;
        default:
          throw new IllegalArgumentException(
              "unknown payload kind " + kind + " (random or compressible)");
      }
    }
    return pool;
  }

  /** {@code n} bytes of space-separated words from {@link #WORDS}. */
  private static byte[] words(int n, SplittableRandom random) {
    StringBuilder b = new StringBuilder(n + 16);
    while (b.length() < n) {
      if (b.length() > 0) {
        b.append(' ');
      }
      b.append(WORDS.get(random.nextInt(WORDS.size())));
    }
    b.setLength(n);
    return ascii(b.toString());
  }

  /** The item for partition {@code i} (and sort position {@code j}, or -1 for none). */
  static Item item(long i, int j, byte[] payload) {
    Item.Builder b = Item.builder().put(PK, AttributeValue.s(partitionKey(i)));
    if (j >= 0) {
      b.put(SK, AttributeValue.s(sortKey(j)));
    }
    return b.put(PAYLOAD, AttributeValue.b(payload)).build();
  }

  /** {@code 0..n-1} in a shuffled order (Fisher-Yates with a seeded random source). */
  static int[] shuffled(int n, long seed) {
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    SplittableRandom random = new SplittableRandom(seed);
    for (int i = n - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    return order;
  }

  /**
   * The protobuf encoding of an item ({@code dev.coffer.proto.Item}), as the engine stores it
   * inside a page. Supports the attribute types the benchmarks write: S, N and B.
   */
  static byte[] encode(Item item) {
    dev.coffer.proto.Item.Builder b = dev.coffer.proto.Item.newBuilder();
    item.attributes().forEach((name, v) -> b.putAttributes(name, toProto(v)));
    return b.build().toByteArray();
  }

  /** The item {@link #encode} encoded. */
  static Item decode(byte[] bytes) {
    dev.coffer.proto.Item proto;
    try {
      proto = dev.coffer.proto.Item.parseFrom(bytes);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("Not an encoded item: " + e.getMessage(), e);
    }
    Item.Builder b = Item.builder();
    proto.getAttributesMap().forEach((name, v) -> b.put(name, fromProto(v)));
    return b.build();
  }

  private static dev.coffer.proto.AttributeValue toProto(AttributeValue v) {
    dev.coffer.proto.AttributeValue.Builder b = dev.coffer.proto.AttributeValue.newBuilder();
    switch (v.type()) {
      case S:
        return b.setS(v.s()).build();
      case N:
        return b.setN(v.n()).build();
      case B:
        return b.setB(ByteString.copyFrom(v.b())).build();
      default:
        throw new IllegalArgumentException(
            "The benchmarks write S, N and B attributes, not " + v.type());
    }
  }

  private static AttributeValue fromProto(dev.coffer.proto.AttributeValue v) {
    switch (v.getValueCase()) {
      case S:
        return AttributeValue.s(v.getS());
      case N:
        return AttributeValue.n(v.getN());
      case B:
        return AttributeValue.b(v.getB().toByteArray());
      default:
        throw new IllegalArgumentException(
            "The benchmarks read S, N and B attributes, not " + v.getValueCase());
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
      Path parent =
          Paths.get(System.getProperty("coffer.bench.dir", System.getProperty("java.io.tmpdir")));
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
