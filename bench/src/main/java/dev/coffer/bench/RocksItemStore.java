package dev.coffer.bench;

import dev.coffer.Item;
import dev.coffer.Key;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.rocksdb.RocksIterator;

/** Plain RocksDB: key = partition key bytes (|| sort key bytes), value = encoded item. */
final class RocksItemStore implements ItemStore {
  private final String name;
  private final BaselineRocksDb db;
  private final boolean sorted;
  private byte[] scanFrom;

  RocksItemStore(String name, boolean sorted, Path dir, long extraCacheBytes) {
    this.name = name;
    this.sorted = sorted;
    this.db = BaselineRocksDb.open(dir, extraCacheBytes);
  }

  private byte[] keyOf(String pk, String sk) {
    return BenchData.ascii(sk == null ? pk : pk + sk);
  }

  @Override
  public String name() {
    return name;
  }

  /** The database, for operations beyond {@link ItemStore}'s ({@link DataPlaneBenchmark}). */
  BaselineRocksDb baseline() {
    return db;
  }

  @Override
  public void put(Item item) {
    String sk = sorted ? item.get(BenchData.SK).s() : null;
    db.put(keyOf(item.get(BenchData.PK).s(), sk), BenchData.encode(item));
  }

  @Override
  public Item get(Key key) {
    byte[] v = db.get(keyOf(key.partition().s(), sorted ? key.sort().s() : null));
    if (v == null) {
      throw new IllegalStateException("missing " + key);
    }
    return BenchData.decode(v);
  }

  @Override
  public List<Item> query(String partitionKey, String fromSort, int limit) {
    byte[] prefix = BenchData.ascii(partitionKey);
    List<Item> out = new ArrayList<>(limit > 0 ? limit : 128);
    try (RocksIterator it = db.db.newIterator()) {
      it.seek(fromSort == null ? prefix : keyOf(partitionKey, fromSort));
      while (it.isValid() && (limit == 0 || out.size() < limit)) {
        byte[] k = it.key();
        if (k.length < prefix.length
            || !Arrays.equals(k, 0, prefix.length, prefix, 0, prefix.length)) {
          break;
        }
        out.add(BenchData.decode(it.value()));
        it.next();
      }
    }
    return out;
  }

  @Override
  public long scan() {
    long n = 0;
    try (RocksIterator it = db.db.newIterator()) {
      for (it.seekToFirst(); it.isValid(); it.next()) {
        if (BenchData.decode(it.value()) != null) {
          n++;
        }
      }
    }
    return n;
  }

  @Override
  public int scanNext(int limit) {
    int n = 0;
    try (RocksIterator it = db.db.newIterator()) {
      if (scanFrom == null) {
        it.seekToFirst();
      } else {
        it.seek(scanFrom);
        if (it.isValid() && Arrays.equals(it.key(), scanFrom)) {
          it.next(); // exclusive, like a Scan's exclusiveStartKey
        }
      }
      byte[] last = null;
      for (; it.isValid() && n < limit; it.next()) {
        BenchData.decode(it.value());
        last = it.key();
        n++;
      }
      scanFrom = n == 0 ? null : last;
    }
    return n;
  }

  @Override
  public void settle() {
    db.flush();
  }

  /** Flush, then a forced compaction of every file ({@link BaselineRocksDb#compactForced}). */
  @Override
  public void compactFully() {
    db.compactForced();
  }

  @Override
  public Path dir() {
    return db.dir();
  }

  @Override
  public void close() {
    db.close();
  }

  @Override
  public void closeKeepingFiles() {
    db.closeKeepingFiles();
  }
}
