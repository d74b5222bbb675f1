package dev.coffer.bench;

import dev.coffer.AttributeType;
import dev.coffer.Coffer;
import dev.coffer.CofferOptions;
import dev.coffer.Item;
import dev.coffer.Key;
import dev.coffer.Page;
import dev.coffer.Query;
import dev.coffer.ReencryptOptions;
import dev.coffer.Scan;
import dev.coffer.Table;
import dev.coffer.TableSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Coffer through its public API, in-memory key provider, default options otherwise. */
final class CofferItemStore implements ItemStore {
  private static final String TABLE = "bench";

  private final String name;
  private final Path dir;
  final Coffer coffer;
  private final Table table;
  final long cacheBytes;
  private Scan scanFrom;

  CofferItemStore(String name, boolean sorted, long cacheBytes, Path dir, CofferKeys keys) {
    this(name, sorted, cacheBytes, dir, keys, false);
  }

  /** A Coffer store; with {@code freshness}, keeping a freshness map. */
  CofferItemStore(
      String name, boolean sorted, long cacheBytes, Path dir, CofferKeys keys, boolean freshness) {
    this.name = name;
    this.dir = dir;
    this.cacheBytes = cacheBytes;
    coffer =
        Coffer.open(
            dir.resolve("store"),
            CofferOptions.builder()
                .keyProvider(keys.provider)
                .masterKeyId(keys.keyId)
                .pageCacheBytes(cacheBytes)
                .freshness(freshness)
                .build());
    if (coffer.listTables().contains(TABLE)) {
      table = coffer.table(TABLE);
    } else {
      TableSpec.Builder spec =
          TableSpec.builder().name(TABLE).partitionKey(BenchData.PK, AttributeType.S);
      if (sorted) {
        spec.sortKey(BenchData.SK, AttributeType.S);
      }
      table = coffer.createTable(spec.build());
    }
  }

  @Override
  public String name() {
    return name;
  }

  /**
   * The benchmark table, for operations beyond {@link ItemStore}'s ({@link DataPlaneBenchmark}).
   */
  Table table() {
    return table;
  }

  @Override
  public void put(Item item) {
    table.putItem(item);
  }

  @Override
  public Item get(Key key) {
    return table.getItem(key).orElseThrow(() -> new IllegalStateException("missing " + key));
  }

  @Override
  public List<Item> query(String partitionKey, String fromSort, int limit) {
    Query q = Query.partition(partitionKey);
    if (fromSort != null) {
      q = q.sortGreaterThanOrEqual(fromSort);
    }
    if (limit > 0) {
      q = q.limit(limit);
    }
    Page page = table.query(q);
    if (page.lastEvaluatedKey().isEmpty() || limit > 0) {
      return page.items();
    }
    List<Item> out = new ArrayList<>(page.items());
    while (page.lastEvaluatedKey().isPresent()) {
      page = table.query(q.exclusiveStartKey(page.lastEvaluatedKey().get()));
      out.addAll(page.items());
    }
    return out;
  }

  @Override
  public long scan() {
    long n = 0;
    Page page = table.scan(Scan.all());
    n += page.count();
    while (page.lastEvaluatedKey().isPresent()) {
      page = table.scan(Scan.all().exclusiveStartKey(page.lastEvaluatedKey().get()));
      n += page.count();
    }
    return n;
  }

  @Override
  public int scanNext(int limit) {
    Scan s = scanFrom == null ? Scan.all().limit(limit) : scanFrom.limit(limit);
    Page page = table.scan(s);
    scanFrom = page.lastEvaluatedKey().map(k -> Scan.all().exclusiveStartKey(k)).orElse(null);
    return page.count();
  }

  @Override
  public void settle() {
    coffer.flush();
  }

  /**
   * Coffer has no public compaction call. The one public operation that ends with every file of a
   * table rewritten is re-encryption: {@code rotateDataKey()} then {@code reencrypt()}, which
   * re-seals every record under the new version (the same sizes) and, destroying the old version,
   * flushes and force-compacts the table's column family.
   */
  @Override
  public void compactFully() {
    table.rotateDataKey();
    table.reencrypt(ReencryptOptions.defaults());
    coffer.flush();
  }

  @Override
  public Path dir() {
    return dir;
  }

  @Override
  public void close() {
    coffer.close();
    BenchData.deleteRecursively(dir);
  }

  @Override
  public void closeKeepingFiles() {
    coffer.close();
  }
}
