package dev.coffer.bench;

import dev.coffer.AttributeValue;
import dev.coffer.Coffer;
import dev.coffer.Condition;
import dev.coffer.Item;
import dev.coffer.Key;
import dev.coffer.Page;
import dev.coffer.PutItemRequest;
import dev.coffer.Query;
import dev.coffer.QueryRequest;
import dev.coffer.Table;
import dev.coffer.TransactWriteItem;
import dev.coffer.TransactWriteItemsRequest;
import dev.coffer.Update;
import dev.coffer.UpdateItemRequest;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;

/**
 * The data plane of issue 11 (UpdateItem, conditional writes, transactions, filters) against
 * Coffer's own plain put and against the same work on plain RocksDB, on a table with a sort key and
 * {@value #ITEMS_PER_PARTITION} items per partition (as {@link EnginePartitionBenchmark}; the items
 * also carry {@code bucket} = sort index mod 10 and a {@code hits} counter).
 *
 * <ul>
 *   <li>{@code put}: overwrite a random item (the baseline of the next three);
 *   <li>{@code conditionalPut}: the same put with {@code attribute_not_exists(locked)} (always
 *       true, so every put writes); plain RocksDB: get, decode, check, put;
 *   <li>{@code updateSet}: UpdateItem {@code SET note = :v} on a random item; {@code updateAdd}:
 *       UpdateItem {@code ADD hits :one}; plain RocksDB: read, decode, modify, encode, write;
 *   <li>{@code put10} and {@code transact10}: ten random distinct items as ten single puts, or as
 *       ONE TransactWriteItems of ten puts (plain RocksDB: ten puts, or one WriteBatch); one
 *       operation = ten items;
 *   <li>{@code queryFilter}: a whole partition with a FilterExpression keeping 10 % ({@code bucket
 *       = :zero}: 10 of 100 items; Limit counts all 100 read); plain RocksDB: iterate the
 *       partition, decode and keep the same 10.
 * </ul>
 *
 * Targets (issue 11; measured by the coordinator on a quiet machine, ratios of Coffer against
 * Coffer in the same JVM and round): conditional put at most 1.1x a put, UpdateItem at most 1.2x a
 * put, a 10-action transaction at most 1.0x ten single puts.
 *
 * <p>Run ({@code bench/run.sh} runs it one JVM per store with {@code -f 0}, every method sharing
 * one prefilled store):
 *
 * <pre>
 * ./mvnw -B -ntp verify -pl bench -am -DskipTests
 * java -jar bench/target/benchmarks.jar DataPlaneBenchmark -p partitions=1000 -p store=coffer-cache-on -f 0
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@Threads(1)
public class DataPlaneBenchmark {
  static final int ITEMS_PER_PARTITION = 100;
  static final int BATCH = 10;

  @Param({
    ItemStore.ROCKSDB,
    ItemStore.COFFER_CACHE_OFF,
    ItemStore.ROCKSDB_CACHE_ON,
    ItemStore.COFFER_CACHE_ON
  })
  public String store;

  @Param({"1000"})
  public int partitions;

  @Param({"256"})
  public int itemBytes;

  private ItemStore items;
  private Table coffer;
  private Coffer cofferStore;
  private BaselineRocksDb rocks;
  private byte[][] payloads;
  private static final Condition NOT_LOCKED = Condition.attributeNotExists("locked");
  private static final Update SET_NOTE =
      Update.builder().set("note", AttributeValue.s("seen")).build();
  private static final Update ADD_HIT = Update.builder().add("hits", AttributeValue.n(1)).build();
  private static final Condition BUCKET_ZERO = Condition.path("bucket").eq(AttributeValue.n(0));

  @Setup(Level.Trial)
  public void setUp() {
    payloads = BenchData.payloads(itemBytes, true, 42, BenchData.RANDOM);
    items =
        ItemStore.shared(
            store,
            true,
            ItemStore.DEFAULT_CACHE_BYTES,
            "dataplane-" + partitions + "x100x" + itemBytes,
            st -> {
              for (int p = 0; p < partitions; p++) {
                for (int s = 0; s < ITEMS_PER_PARTITION; s++) {
                  st.put(item(p, s, payloads[(p * ITEMS_PER_PARTITION + s) % payloads.length]));
                }
              }
            });
    coffer = items instanceof CofferItemStore c ? c.table() : null;
    cofferStore = items instanceof CofferItemStore c ? c.coffer : null;
    rocks = items instanceof RocksItemStore r ? r.baseline() : null;
  }

  static Item item(int p, int s, byte[] payload) {
    return BenchData.item(p, s, payload).toBuilder()
        .number("bucket", s % 10)
        .number("hits", 0)
        .build();
  }

  /** Per-thread random source. */
  @State(Scope.Thread)
  public static class Cursor {
    private static final AtomicLong SEEDS = new AtomicLong(909);
    final SplittableRandom random = new SplittableRandom(SEEDS.getAndIncrement());
  }

  private Item randomItem(Cursor c) {
    return item(
        c.random.nextInt(partitions),
        c.random.nextInt(ITEMS_PER_PARTITION),
        payloads[c.random.nextInt(payloads.length)]);
  }

  private Key randomKey(Cursor c) {
    return Key.of(
        BenchData.partitionKey(c.random.nextInt(partitions)),
        BenchData.sortKey(c.random.nextInt(ITEMS_PER_PARTITION)));
  }

  private static byte[] rocksKey(String pk, String sk) {
    return BenchData.ascii(pk + sk);
  }

  private static byte[] rocksKey(Item item) {
    return rocksKey(item.get(BenchData.PK).s(), item.get(BenchData.SK).s());
  }

  @Benchmark
  public void put(Cursor c) {
    items.put(randomItem(c));
  }

  @Benchmark
  public void conditionalPut(Cursor c) {
    Item item = randomItem(c);
    if (coffer != null) {
      coffer.putItem(PutItemRequest.builder().item(item).condition(NOT_LOCKED).build());
      return;
    }
    byte[] key = rocksKey(item);
    byte[] old = rocks.get(key);
    if (old != null && BenchData.decode(old).has("locked")) {
      throw new IllegalStateException("the condition failed");
    }
    rocks.put(key, BenchData.encode(item));
  }

  @Benchmark
  public void updateSet(Cursor c) {
    Key key = randomKey(c);
    if (coffer != null) {
      coffer.updateItem(UpdateItemRequest.builder().key(key).update(SET_NOTE).build());
      return;
    }
    byte[] k = rocksKey(key.partition().s(), key.sort().s());
    Item old = BenchData.decode(rocks.get(k));
    rocks.put(k, BenchData.encode(old.toBuilder().string("note", "seen").build()));
  }

  @Benchmark
  public void updateAdd(Cursor c) {
    Key key = randomKey(c);
    if (coffer != null) {
      coffer.updateItem(UpdateItemRequest.builder().key(key).update(ADD_HIT).build());
      return;
    }
    byte[] k = rocksKey(key.partition().s(), key.sort().s());
    Item old = BenchData.decode(rocks.get(k));
    BigDecimal hits = old.has("hits") ? old.get("hits").numberValue() : BigDecimal.ZERO;
    rocks.put(
        k,
        BenchData.encode(
            old.toBuilder().put("hits", AttributeValue.n(hits.add(BigDecimal.ONE))).build()));
  }

  private List<Item> tenDistinct(Cursor c) {
    List<Item> out = new ArrayList<>(BATCH);
    Set<String> keys = new HashSet<>();
    while (out.size() < BATCH) {
      Item i = randomItem(c);
      if (keys.add(i.get(BenchData.PK).s() + i.get(BenchData.SK).s())) {
        out.add(i);
      }
    }
    return out;
  }

  @Benchmark
  public void put10(Cursor c) {
    for (Item i : tenDistinct(c)) {
      items.put(i);
    }
  }

  @Benchmark
  public void transact10(Cursor c) {
    List<Item> ten = tenDistinct(c);
    if (coffer != null) {
      List<TransactWriteItem> actions = new ArrayList<>(BATCH);
      for (Item i : ten) {
        actions.add(TransactWriteItem.put(coffer.name(), i));
      }
      cofferStore.transactWriteItems(
          TransactWriteItemsRequest.builder().transactItems(actions).build());
      return;
    }
    try (WriteBatch batch = new WriteBatch()) {
      for (Item i : ten) {
        batch.put(rocksKey(i), BenchData.encode(i));
      }
      rocks.write(batch);
    } catch (RocksDBException e) {
      throw new IllegalStateException(e);
    }
  }

  @Benchmark
  public int queryFilter(Cursor c) {
    String pk = BenchData.partitionKey(c.random.nextInt(partitions));
    int kept;
    if (coffer != null) {
      Page p =
          coffer.query(
              QueryRequest.builder().query(Query.partition(pk)).filter(BUCKET_ZERO).build());
      kept = p.count();
      if (p.scannedCount() != ITEMS_PER_PARTITION) {
        throw new IllegalStateException("read " + p.scannedCount() + " items of a partition");
      }
    } else {
      kept = 0;
      byte[] prefix = BenchData.ascii(pk);
      try (RocksIterator it = rocks.db.newIterator()) {
        for (it.seek(prefix); it.isValid(); it.next()) {
          byte[] k = it.key();
          if (k.length < prefix.length
              || !Arrays.equals(k, 0, prefix.length, prefix, 0, prefix.length)) {
            break;
          }
          Item i = BenchData.decode(it.value());
          if (i.get("bucket").numberValue().signum() == 0) {
            kept++;
          }
        }
      }
    }
    if (kept != ITEMS_PER_PARTITION / 10) {
      throw new IllegalStateException(store + " kept " + kept + " items of a partition");
    }
    return kept;
  }
}
