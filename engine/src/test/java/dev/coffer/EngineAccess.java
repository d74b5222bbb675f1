package dev.coffer;

import dev.coffer.internal.catalog.TableContext;
import dev.coffer.internal.partition.Partitions;
import dev.coffer.internal.store.RocksStore;

/** Test access to an open store's internals, for tests in the internal packages. */
public final class EngineAccess {
  private EngineAccess() {}

  /** The open table named {@code name}. */
  public static TableContext table(Coffer coffer, String name) {
    return coffer.catalog().get(name);
  }

  /** The partition machinery (reader, writer, locks, cache). */
  public static Partitions partitions(Coffer coffer) {
    return coffer.items().partitions();
  }

  /** The RocksDB store. */
  public static RocksStore rocksStore(Coffer coffer) {
    return coffer.rocksStore();
  }
}
