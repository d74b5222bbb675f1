package dev.coffer;

import dev.coffer.internal.catalog.Catalog;
import dev.coffer.internal.catalog.TableContext;
import dev.coffer.internal.partition.Partitions;
import dev.coffer.internal.record.RecordStore;
import java.nio.file.Path;

/** Test access to an open store's internals, for tests in the internal packages. */
public final class EngineAccess {
  private EngineAccess() {}

  /** The open table named {@code name}. */
  public static TableContext table(Coffer coffer, String name) {
    return coffer.catalog().get(name);
  }

  /** The store's catalog. */
  public static Catalog catalog(Coffer coffer) {
    return coffer.catalog();
  }

  /** The partition machinery (reader, writer, locks, cache). */
  public static Partitions partitions(Coffer coffer) {
    return coffer.items().partitions();
  }

  /** Opens a store as {@link Coffer#open} does, keeping its backend in {@code backend[0]}. */
  public static Coffer open(Path dir, CofferOptions options, RecordStore[] backend) {
    return Coffer.open(dir, options, store -> backend[0] = store);
  }
}
