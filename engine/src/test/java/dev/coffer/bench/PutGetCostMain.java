package dev.coffer.bench;

import dev.coffer.AttributeType;
import dev.coffer.AttributeValue;
import dev.coffer.Coffer;
import dev.coffer.CofferOptions;
import dev.coffer.Item;
import dev.coffer.Key;
import dev.coffer.Table;
import dev.coffer.TableSpec;
import dev.coffer.kms.KeyManagement.CreateKeyRequest;
import dev.coffer.kms.memory.InMemoryKeyProvider;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.WriteOptions;

/**
 * A throwaway timed loop (not a test, not JMH): the cost of a Coffer put and get of a ~300-byte
 * item against a plain RocksDB put and get of a 24-byte key and 300-byte value, in one run.
 * (Delta records can no longer be switched off by a system property; a comparison without them
 * needs {@code PartitionWriter}'s package-private constructor.)
 *
 * <pre>
 * ./mvnw -q -pl engine -am test-compile
 * java -cp engine/target/test-classes:engine/target/classes:$(cat cp.txt) dev.coffer.bench.PutGetCostMain
 * </pre>
 */
public final class PutGetCostMain {
  private static final int PARTITIONS = 1000;
  private static final int ITEMS_PER_PARTITION = 100;
  private static final int N = PARTITIONS * ITEMS_PER_PARTITION;

  private PutGetCostMain() {}

  public static void main(String[] args) throws Exception {
    RocksDB.loadLibrary();
    String value = "v".repeat(260);
    boolean cacheOnly = args.length > 0 && args[0].equals("cache-only");
    for (int round = 0; round < (cacheOnly ? 3 : 2); round++) {
      System.out.println("round " + round + (round == 0 ? " (warm-up)" : ""));
      if (!cacheOnly) {
        plainRocks(value);
      }
      coffer(value, 64L << 20, "cache 64 MiB");
      if (!cacheOnly) {
        coffer(value, 0, "cache off  ");
      }
    }
  }

  private static int[] order(long seed) {
    int[] order = new int[N];
    for (int i = 0; i < N; i++) {
      order[i] = i;
    }
    Random rnd = new Random(seed);
    for (int i = N - 1; i > 0; i--) {
      int j = rnd.nextInt(i + 1);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    return order;
  }

  private static void plainRocks(String value) throws Exception {
    Path dir = Files.createTempDirectory("plain-rocks");
    byte[] v = value.getBytes();
    int[] order = order(1);
    try (Options o = new Options().setCreateIfMissing(true); RocksDB db = RocksDB.open(o, dir.toString());
        WriteOptions wo = new WriteOptions()) {
      long t0 = System.nanoTime();
      for (int i : order) {
        db.put(wo, key(i), v);
      }
      long t1 = System.nanoTime();
      int found = 0;
      for (int i : order(2)) {
        found += db.get(key(i)) == null ? 0 : 1;
      }
      long t2 = System.nanoTime();
      report("plain RocksDB      ", t1 - t0, t2 - t1, found);
    }
  }

  private static byte[] key(int i) {
    return ByteBuffer.allocate(24).putLong(i % PARTITIONS * 0x9E3779B97F4A7C15L).putLong(i / PARTITIONS).putLong(i)
        .array();
  }

  private static void coffer(String value, long cacheBytes, String label) throws Exception {
    Path dir = Files.createTempDirectory("coffer-bench");
    InMemoryKeyProvider provider = InMemoryKeyProvider.create();
    String keyId = provider.createKey(CreateKeyRequest.withDescription("bench")).keyId();
    try (Coffer c = Coffer.open(dir, CofferOptions.builder().keyProvider(provider).masterKeyId(keyId)
        .pageCacheBytes(cacheBytes).build())) {
      Table t = c.createTable(TableSpec.builder().name("bench").partitionKey("pk", AttributeType.S)
          .sortKey("sk", AttributeType.N).build());
      int[] order = order(1);
      long t0 = System.nanoTime();
      for (int i : order) {
        t.putItem(Item.builder().string("pk", "P" + (i % PARTITIONS)).number("sk", i / PARTITIONS)
            .string("v", value).build());
      }
      long t1 = System.nanoTime();
      int found = 0;
      for (int i : order(2)) {
        found += t.getItem(Key.of(AttributeValue.s("P" + (i % PARTITIONS)), AttributeValue.n(i / PARTITIONS)))
            .isPresent() ? 1 : 0;
      }
      long t2 = System.nanoTime();
      report("Coffer " + label, t1 - t0, t2 - t1, found);
    }
  }

  private static void report(String what, long putNanos, long getNanos, int found) {
    System.out.printf("  %s put %6.2f us/op (%7.0f/s)   get %6.2f us/op (%7.0f/s)   found %d%n", what,
        putNanos / 1000.0 / N, N * 1e9 / putNanos, getNanos / 1000.0 / N, N * 1e9 / getNanos, found);
  }
}
