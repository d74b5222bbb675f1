package dev.coffer.bench;

import dev.coffer.AttributeType;
import dev.coffer.Coffer;
import dev.coffer.CofferOptions;
import dev.coffer.TableSpec;
import dev.coffer.kms.KeyManagement.CreateKeyRequest;
import dev.coffer.kms.memory.InMemoryKeyProvider;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.ConfigOptions;
import org.rocksdb.DBOptions;
import org.rocksdb.OptionsUtil;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;

/**
 * The RocksDB options the engine really uses, read back from the {@code OPTIONS-*} file RocksDB
 * writes into every database it opens: the plain-RocksDB baseline is configured from them rather
 * than from a copy that could drift (issue 14: "RocksDB bloom filters on both sides, or on
 * neither"; compression, block size, memtables, every DB option likewise).
 *
 * <p>How: once per JVM a probe store is created through the public API ({@link Coffer#open} with
 * the default {@link CofferOptions} and one table), closed, and its latest {@code OPTIONS} file
 * copied aside. A baseline database then loads that file ({@link OptionsUtil#loadOptionsFromFile})
 * and opens with its DB options and with the <em>table</em> column family's options (the engine
 * keeps each table in a column family of its own; the baseline keeps its rows in its default one).
 * {@code EngineRocksOptionsTest} checks the result: the baseline's own {@code OPTIONS} file equals
 * the engine's, section by section, except for the merge operator (the engine's table column
 * families concatenate delta records; the baseline never merges).
 *
 * <p>What the {@code OPTIONS} file does not record, and how it is matched:
 *
 * <ul>
 *   <li>The block cache's capacity. The baseline takes what RocksDB gives a table with the engine's
 *       table options and no cache object of its own ({@link #blockCacheBytes()}, read from the
 *       {@code rocksdb.block-cache-capacity} property; 32 MiB with RocksDB 11). This holds as long
 *       as the engine does not hand RocksDB a cache object; if it starts to, it must say how big (a
 *       public setting or statistic), and this class must read it.
 *   <li>Write options: WAL on, and {@code sync} as the engine's default {@link
 *       CofferOptions#syncWrites()} ({@link #syncWrites()}).
 * </ul>
 *
 * <p>Thread-safe.
 */
final class EngineRocksOptions {
  private static EngineRocksOptions probed;

  private final Path optionsFile;
  private final String tableFamily;
  private final boolean syncWrites;
  private final long blockCacheBytes;

  private EngineRocksOptions(
      Path optionsFile, String tableFamily, boolean syncWrites, long blockCacheBytes) {
    this.optionsFile = optionsFile;
    this.tableFamily = tableFamily;
    this.syncWrites = syncWrites;
    this.blockCacheBytes = blockCacheBytes;
  }

  /** The engine's options, probed on first use in this JVM. */
  static synchronized EngineRocksOptions get() {
    if (probed == null) {
      probed = probe();
    }
    return probed;
  }

  /** Whether the engine's writes wait for the WAL to reach the disk by default. */
  boolean syncWrites() {
    return syncWrites;
  }

  /** The block cache of one engine table: what RocksDB gives the engine's table options. */
  long blockCacheBytes() {
    return blockCacheBytes;
  }

  /**
   * The bits per key of the engine's bloom filters ({@code filter_policy=bloomfilter:B:...} in its
   * table options), or 0 when it has none.
   */
  double bloomBitsPerKey() {
    for (Map.Entry<String, Map<String, String>> e : parse(optionsFile).entrySet()) {
      if (e.getKey().equals("TableOptions/BlockBasedTable \"" + tableFamily + "\"")) {
        String policy = e.getValue().getOrDefault("filter_policy", "nullptr");
        if (policy.startsWith("bloomfilter:")) {
          return Double.parseDouble(policy.split(":")[1]);
        }
      }
    }
    return 0;
  }

  /** The copy of the probe store's latest {@code OPTIONS} file. */
  Path optionsFile() {
    return optionsFile;
  }

  /** The probe store's table column family (its name, a hex table id). */
  String tableFamily() {
    return tableFamily;
  }

  /**
   * Fresh native option objects for a baseline database: the engine's DB options and its table
   * column family's options. The caller closes them ({@link Loaded#close()}).
   */
  Loaded load() {
    ConfigOptions config = new ConfigOptions();
    DBOptions db = new DBOptions();
    List<ColumnFamilyDescriptor> families = new ArrayList<>();
    try {
      OptionsUtil.loadOptionsFromFile(config, optionsFile.toString(), db, families);
    } catch (RocksDBException e) {
      config.close();
      db.close();
      throw new IllegalStateException(
          "Cannot load the engine's RocksDB options from " + optionsFile, e);
    }
    config.close();
    ColumnFamilyOptions table = null;
    for (ColumnFamilyDescriptor d : families) {
      if (tableFamily.equals(new String(d.getName(), StandardCharsets.US_ASCII))) {
        table = d.getOptions();
      } else {
        d.getOptions().close();
      }
    }
    if (table == null) {
      db.close();
      throw new IllegalStateException("No column family " + tableFamily + " in " + optionsFile);
    }
    return new Loaded(db, table);
  }

  /** The engine's DB options and table column family options; closes both. */
  static final class Loaded implements AutoCloseable {
    final DBOptions db;
    final ColumnFamilyOptions table;

    Loaded(DBOptions db, ColumnFamilyOptions table) {
      this.db = db;
      this.table = table;
    }

    @Override
    public void close() {
      table.close();
      db.close();
    }
  }

  /**
   * The sections of a RocksDB {@code OPTIONS} file: section header (e.g. {@code DBOptions}, {@code
   * CFOptions "name"}) to its {@code key=value} lines, in file order.
   */
  static Map<String, Map<String, String>> parse(Path optionsFile) {
    Map<String, Map<String, String>> sections = new LinkedHashMap<>();
    Map<String, String> current = null;
    try {
      for (String line : Files.readAllLines(optionsFile, StandardCharsets.UTF_8)) {
        String t = line.trim();
        if (t.isEmpty() || t.startsWith("#")) {
          continue;
        }
        if (t.startsWith("[") && t.endsWith("]")) {
          current = new LinkedHashMap<>();
          sections.put(t.substring(1, t.length() - 1), current);
        } else if (current != null) {
          int eq = t.indexOf('=');
          current.put(eq < 0 ? t : t.substring(0, eq), eq < 0 ? "" : t.substring(eq + 1));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return sections;
  }

  /** The newest {@code OPTIONS-*} file of a RocksDB directory. */
  static Path latestOptionsFile(Path dbDir) {
    try (Stream<Path> files = Files.list(dbDir)) {
      return files
          .filter(p -> p.getFileName().toString().startsWith("OPTIONS-"))
          .max(Comparator.comparingLong(EngineRocksOptions::optionsNumber))
          .orElseThrow(() -> new IllegalStateException("No OPTIONS file in " + dbDir));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static long optionsNumber(Path p) {
    return Long.parseLong(p.getFileName().toString().substring("OPTIONS-".length()));
  }

  private static EngineRocksOptions probe() {
    Path scratch = BenchData.scratchDir("engine-options-");
    Path store = scratch.resolve("store");
    InMemoryKeyProvider provider = InMemoryKeyProvider.create();
    String keyId =
        provider.createKey(CreateKeyRequest.withDescription("coffer bench options probe")).keyId();
    CofferOptions options =
        CofferOptions.builder().keyProvider(provider).masterKeyId(keyId).build();
    try (Coffer coffer = Coffer.open(store, options)) {
      coffer.createTable(
          TableSpec.builder().name("probe").partitionKey(BenchData.PK, AttributeType.S).build());
    }
    Path copy = scratch.resolve("engine-OPTIONS");
    String family;
    try {
      Path latest = latestOptionsFile(store);
      Files.copy(latest, copy);
      family =
          parse(copy).keySet().stream()
              .filter(s -> s.startsWith("CFOptions \"") && !s.equals("CFOptions \"default\""))
              .map(s -> s.substring("CFOptions \"".length(), s.length() - 1))
              .findFirst()
              .orElseThrow(
                  () ->
                      new IllegalStateException(
                          "The probe store's " + latest + " has no table column family"));
      BenchData.deleteRecursively(store);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    EngineRocksOptions partial = new EngineRocksOptions(copy, family, options.syncWrites(), -1);
    long capacity = defaultCapacity(partial, scratch.resolve("capacity"));
    Runtime.getRuntime().addShutdownHook(new Thread(() -> BenchData.deleteRecursively(scratch)));
    return new EngineRocksOptions(copy, family, options.syncWrites(), capacity);
  }

  /** The block cache capacity RocksDB gives a database opened with the engine's table options. */
  private static long defaultCapacity(EngineRocksOptions options, Path dir) {
    try (Loaded loaded = options.load()) {
      loaded.db.setCreateIfMissing(true);
      List<ColumnFamilyHandle> handles = new ArrayList<>();
      try (RocksDB db =
          RocksDB.open(
              loaded.db,
              dir.toString(),
              List.of(new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY, loaded.table)),
              handles)) {
        long capacity = Long.parseLong(db.getProperty("rocksdb.block-cache-capacity"));
        handles.forEach(ColumnFamilyHandle::close);
        return capacity;
      }
    } catch (RocksDBException e) {
      throw new IllegalStateException(
          "Cannot open a database with the engine's options in " + dir, e);
    } finally {
      BenchData.deleteRecursively(dir);
    }
  }
}
