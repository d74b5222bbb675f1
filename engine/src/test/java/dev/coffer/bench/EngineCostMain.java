package dev.coffer.bench;

import dev.coffer.AttributeType;
import dev.coffer.AttributeValue;
import dev.coffer.Coffer;
import dev.coffer.CofferOptions;
import dev.coffer.Item;
import dev.coffer.Key;
import dev.coffer.Page;
import dev.coffer.Query;
import dev.coffer.Scan;
import dev.coffer.Table;
import dev.coffer.TableSpec;
import dev.coffer.internal.model.ItemCodec;
import dev.coffer.internal.model.KeyCodec;
import dev.coffer.kms.KeyManagement.CreateKeyRequest;
import dev.coffer.kms.memory.InMemoryKeyProvider;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.DBOptions;
import org.rocksdb.InfoLogLevel;
import org.rocksdb.Options;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteOptions;

/**
 * A throwaway timed loop (not a test, not JMH) for issue 6: Coffer against plain RocksDB storing
 * the same protobuf-encoded items (encoded from and decoded to {@link Item} with the engine's own
 * codec) under plaintext keys, with the options Coffer's {@code RocksStore} uses, in one JVM and
 * interleaved round by round.
 *
 * <ul>
 *   <li>{@code pk}: a partition-key-only table, 100,000 items of ~300 bytes: put, get.
 *   <li>{@code sk}: 1,000 partitions of 100 items (sort key N): put (random order), get (another
 *       random order), whole-partition query (every partition, 3 passes), full scan (3 passes).
 * </ul>
 *
 * Each Coffer workload runs with the page cache at 64 MiB and off. Arguments: {@code pk}, {@code
 * sk} or both (default), then optionally the number of rounds (default 3; the first is warm-up).
 *
 * <pre>
 * ./mvnw -q -o -pl engine -am test-compile dependency:build-classpath -Dmdep.outputFile=cp.txt
 * java -Xms1g -Xmx1g -cp engine/target/test-classes:engine/target/classes:$(cat engine/cp.txt) \
 *     dev.coffer.bench.EngineCostMain pk sk 3
 * </pre>
 */
public final class EngineCostMain {
  private static final int PARTITIONS = 1000;
  private static final int ITEMS_PER_PARTITION = 100;
  private static final int N = PARTITIONS * ITEMS_PER_PARTITION;
  private static final int CHUNK = 500;
  private static final int QUERY_CHUNK = 10;
  private static final int SCAN_PAGE = 1000;
  private static final int QUERY_PASSES = 2;
  private static final int SCAN_PASSES = 2;
  private static final String VALUE = "v".repeat(260);
  private static final long CACHE = 64L << 20;

  private EngineCostMain() {}

  /** Microseconds per operation, by workload then by contender. */
  private static final Map<String, Map<String, List<Double>>> RESULTS = new LinkedHashMap<>();

  /** One store under test. Every operation is timed by the caller, chunk by chunk. */
  private interface Contender extends AutoCloseable {
    String name();

    void put(Item item) throws Exception;

    boolean get(Key key) throws Exception;

    int query(int partition) throws Exception;

    /** Reads the next scan page; returns its item count, 0 at the end (and restarts). */
    int scanPage() throws Exception;
  }

  public static void main(String[] args) throws Exception {
    RocksDB.loadLibrary();
    boolean pk = args.length == 0 || List.of(args).contains("pk");
    boolean sk = args.length == 0 || List.of(args).contains("sk");
    int rounds = 3;
    for (String a : args) {
      if (a.matches("\\d+")) {
        rounds = Integer.parseInt(a);
      }
    }
    for (int round = 0; round < rounds; round++) {
      boolean record = round > 0 || rounds == 1;
      System.out.println("round " + round + (record ? "" : " (warm-up, not counted)"));
      if (pk) {
        run("pk", false, record);
      }
      if (sk) {
        run("sk", true, record);
      }
    }
    System.out.println();
    System.out.println("median us/op over counted rounds, and ratio to plain RocksDB of the same rounds");
    for (Map.Entry<String, Map<String, List<Double>>> w : RESULTS.entrySet()) {
      List<Double> plainRuns = w.getValue().get("plain RocksDB");
      double plain = plainRuns == null ? Double.NaN : median(plainRuns);
      for (Map.Entry<String, List<Double>> c : w.getValue().entrySet()) {
        double m = median(c.getValue());
        System.out.printf("  %-10s %-17s %8.2f us  %5.2fx   %s%n", w.getKey(), c.getKey(), m, m / plain, c.getValue());
      }
    }
  }

  private static double median(List<Double> xs) {
    List<Double> s = new ArrayList<>(xs);
    s.sort(Comparator.naturalOrder());
    int n = s.size();
    return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
  }

  /** Runs one workload over three contenders, interleaved chunk by chunk so machine load hits all alike. */
  private static void run(String workload, boolean sortKey, boolean record) throws Exception {
    List<Path> dirs = new ArrayList<>();
    List<Contender> cs = new ArrayList<>();
    try {
      // -Dcost.only=on|off|plain runs one contender (for profiling)
      String only = System.getProperty("cost.only", "");
      for (int i = 0; i < 3; i++) {
        dirs.add(Files.createTempDirectory("cost-" + workload));
      }
      if (only.isEmpty() || only.equals("plain")) {
        cs.add(new Plain(dirs.get(0), sortKey));
      }
      if (only.isEmpty() || only.equals("on")) {
        cs.add(new CofferContender(dirs.get(1), sortKey, CACHE, "coffer cache on"));
      }
      if (only.isEmpty() || only.equals("off")) {
        cs.add(new CofferContender(dirs.get(2), sortKey, 0, "coffer cache off"));
      }
      int k = cs.size();
      long[] put = new long[k];
      long[] get = new long[k];
      long[] query = new long[k];
      long[] scan = new long[k];
      int[] putOrder = order(1, N);
      for (int from = 0; from < N; from += CHUNK) {
        for (int c = 0; c < k; c++) {
          long t0 = System.nanoTime();
          for (int j = from; j < from + CHUNK; j++) {
            int i = putOrder[j];
            cs.get(c).put(sortKey ? skItem(i) : pkItem(i));
          }
          put[c] += System.nanoTime() - t0;
        }
      }
      int[] getOrder = order(2, N);
      for (int from = 0; from < N; from += CHUNK) {
        for (int c = 0; c < k; c++) {
          int found = 0;
          long t0 = System.nanoTime();
          for (int j = from; j < from + CHUNK; j++) {
            int i = getOrder[j];
            Key key = sortKey ? Key.of(AttributeValue.s("P" + (i % PARTITIONS)), AttributeValue.n(i / PARTITIONS))
                : Key.of(AttributeValue.s("P" + i));
            found += cs.get(c).get(key) ? 1 : 0;
          }
          get[c] += System.nanoTime() - t0;
          check(found, CHUNK);
        }
      }
      for (int c = 0; c < k; c++) {
        record(record, workload + " put", cs.get(c).name(), put[c], N);
        record(record, workload + " get", cs.get(c).name(), get[c], N);
      }
      if (!sortKey) {
        return;
      }
      for (int pass = 0; pass < QUERY_PASSES; pass++) {
        int[] qOrder = order(3 + pass, PARTITIONS);
        for (int from = 0; from < PARTITIONS; from += QUERY_CHUNK) {
          for (int c = 0; c < k; c++) {
            int items = 0;
            long t0 = System.nanoTime();
            for (int j = from; j < from + QUERY_CHUNK; j++) {
              items += cs.get(c).query(qOrder[j]);
            }
            query[c] += System.nanoTime() - t0;
            check(items, QUERY_CHUNK * ITEMS_PER_PARTITION);
          }
        }
      }
      int[] scanned = new int[k];
      boolean[] finished = new boolean[k];
      for (int pass = 0; pass < SCAN_PASSES; pass++) {
        java.util.Arrays.fill(finished, false);
        while (!allTrue(finished)) {
          for (int c = 0; c < k; c++) {
            if (finished[c]) {
              continue;
            }
            long t0 = System.nanoTime();
            int n = cs.get(c).scanPage();
            scan[c] += System.nanoTime() - t0;
            scanned[c] += n;
            finished[c] = n == 0;
          }
        }
      }
      for (int c = 0; c < k; c++) {
        check(scanned[c], N * SCAN_PASSES);
        record(record, "sk query", cs.get(c).name(), query[c], PARTITIONS * QUERY_PASSES);
        record(record, "sk scan/it", cs.get(c).name(), scan[c], N * SCAN_PASSES);
      }
    } finally {
      for (Contender c : cs) {
        c.close();
      }
      for (Path d : dirs) {
        delete(d);
      }
    }
  }

  private static boolean allTrue(boolean[] xs) {
    for (boolean x : xs) {
      if (!x) {
        return false;
      }
    }
    return true;
  }

  private static void record(boolean record, String workload, String who, long nanos, int ops) {
    double us = nanos / 1000.0 / ops;
    System.out.printf("  %-10s %-17s %8.2f us/op%n", workload, who, us);
    if (record) {
      RESULTS.computeIfAbsent(workload, k -> new LinkedHashMap<>()).computeIfAbsent(who, k -> new ArrayList<>()).add(us);
    }
  }

  private static int[] order(long seed, int n) {
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    Random rnd = new Random(seed);
    for (int i = n - 1; i > 0; i--) {
      int j = rnd.nextInt(i + 1);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    return order;
  }

  private static Item pkItem(int i) {
    return Item.builder().string("pk", "P" + i).string("v", VALUE).build();
  }

  private static Item skItem(int i) {
    return Item.builder().string("pk", "P" + (i % PARTITIONS)).number("sk", i / PARTITIONS).string("v", VALUE).build();
  }

  /**
   * Plain RocksDB with the options of Coffer's {@code RocksStore} (defaults, WAL on, no sync): the
   * key is the partition key bytes (plus a 0 byte and the encoded sort key), the value the item's
   * protobuf encoding, decoded back into an {@link Item} on every read.
   */
  private static final class Plain implements Contender {
    private final boolean sortKey;
    private final RocksDB db;
    private final WriteOptions wo = new WriteOptions();
    private final ReadOptions ro = new ReadOptions();
    private RocksIterator scan;

    Plain(Path dir, boolean sortKey) throws Exception {
      this.sortKey = sortKey;
      DBOptions dbo = new DBOptions().setCreateIfMissing(true).setInfoLogLevel(InfoLogLevel.WARN_LEVEL)
          .setKeepLogFileNum(2);
      this.db = RocksDB.open(new Options(dbo, new ColumnFamilyOptions()), dir.toString());
    }

    @Override
    public String name() {
      return "plain RocksDB";
    }

    private byte[] key(AttributeValue pk, AttributeValue sk) {
      byte[] p = KeyCodec.partitionKeyBytes(pk);
      if (!sortKey) {
        return p;
      }
      byte[] s = KeyCodec.encodeSortKey(sk);
      byte[] k = new byte[p.length + 1 + s.length];
      System.arraycopy(p, 0, k, 0, p.length);
      System.arraycopy(s, 0, k, p.length + 1, s.length); // the 0 byte: "P1" sorts before "P10"
      return k;
    }

    @Override
    public void put(Item item) throws Exception {
      db.put(wo, key(item.get("pk"), item.get("sk")), ItemCodec.toProto(item).toByteArray());
    }

    @Override
    public boolean get(Key key) throws Exception {
      byte[] v = db.get(ro, key(key.partition(), key.sort()));
      return v != null && ItemCodec.fromProto(dev.coffer.proto.Item.parseFrom(v)).size() > 0;
    }

    @Override
    public int query(int partition) throws Exception {
      byte[] p = KeyCodec.partitionKeyBytes(AttributeValue.s("P" + partition));
      byte[] prefix = java.util.Arrays.copyOf(p, p.length + 1);
      List<Item> page = new ArrayList<>();
      try (RocksIterator it = db.newIterator(ro)) {
        for (it.seek(prefix); it.isValid() && startsWith(it.key(), prefix); it.next()) {
          page.add(ItemCodec.fromProto(dev.coffer.proto.Item.parseFrom(it.value())));
        }
      }
      return page.size();
    }

    @Override
    public int scanPage() throws Exception {
      if (scan == null) {
        scan = db.newIterator(ro);
        scan.seekToFirst();
      }
      List<Item> page = new ArrayList<>();
      for (; scan.isValid() && page.size() < SCAN_PAGE; scan.next()) {
        page.add(ItemCodec.fromProto(dev.coffer.proto.Item.parseFrom(scan.value())));
      }
      if (page.isEmpty()) {
        scan.close();
        scan = null;
      }
      return page.size();
    }

    @Override
    public void close() {
      if (scan != null) {
        scan.close();
      }
      wo.close();
      ro.close();
      db.close();
    }
  }

  private static boolean startsWith(byte[] key, byte[] prefix) {
    return key.length >= prefix.length && java.util.Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length);
  }

  private static final class CofferContender implements Contender {
    private final String name;
    private final Coffer coffer;
    private final Table table;
    private Scan next = Scan.all().limit(SCAN_PAGE);

    CofferContender(Path dir, boolean sortKey, long cacheBytes, String name) {
      this.name = name;
      InMemoryKeyProvider provider = InMemoryKeyProvider.create();
      String keyId = provider.createKey(CreateKeyRequest.withDescription("bench")).keyId();
      this.coffer = Coffer.open(dir, CofferOptions.builder().keyProvider(provider).masterKeyId(keyId)
          .pageCacheBytes(cacheBytes).build());
      TableSpec.Builder spec = TableSpec.builder().name("bench").partitionKey("pk", AttributeType.S);
      if (sortKey) {
        spec.sortKey("sk", AttributeType.N);
      }
      this.table = coffer.createTable(spec.build());
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public void put(Item item) {
      table.putItem(item);
    }

    @Override
    public boolean get(Key key) {
      return table.getItem(key).isPresent();
    }

    @Override
    public int query(int partition) {
      return table.query(Query.partition(AttributeValue.s("P" + partition))).count();
    }

    @Override
    public int scanPage() {
      if (next == null) {
        next = Scan.all().limit(SCAN_PAGE);
        return 0;
      }
      Page page = table.scan(next);
      next = page.lastEvaluatedKey().isPresent()
          ? Scan.all().limit(SCAN_PAGE).exclusiveStartKey(page.lastEvaluatedKey().get()) : null;
      return page.count();
    }

    @Override
    public void close() {
      coffer.close();
    }
  }

  private static void check(int found, int expected) {
    if (found != expected) {
      throw new IllegalStateException("found " + found + " of " + expected);
    }
  }

  private static void delete(Path dir) throws Exception {
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
