package dev.coffer.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coffer.AttributeType;
import dev.coffer.Coffer;
import dev.coffer.CofferOptions;
import dev.coffer.TableSpec;
import dev.coffer.kms.KeyManagement.CreateKeyRequest;
import dev.coffer.kms.memory.InMemoryKeyProvider;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The plain-RocksDB baseline runs with the engine's RocksDB options, as a checked fact: the {@code
 * OPTIONS} file RocksDB writes for a baseline database equals the one it writes for an engine
 * store's table, section by section (DB options, column family options, block-based table options:
 * bloom filters, compression, block size, memtables...), except the merge operator, which only the
 * engine uses. If the engine changes an option, the baseline follows; if the two ever differ, this
 * fails and names the options.
 */
class EngineRocksOptionsTest {
  @TempDir Path dir;

  /** The engine's own OPTIONS file, written by a store created here (not the probe's copy). */
  private Map<String, Map<String, String>> engineOptions() {
    InMemoryKeyProvider provider = InMemoryKeyProvider.create();
    String keyId = provider.createKey(CreateKeyRequest.withDescription("options test")).keyId();
    Path store = dir.resolve("engine");
    try (Coffer coffer =
        Coffer.open(
            store, CofferOptions.builder().keyProvider(provider).masterKeyId(keyId).build())) {
      coffer.createTable(
          TableSpec.builder().name("probe").partitionKey("pk", AttributeType.S).build());
    }
    return EngineRocksOptions.parse(EngineRocksOptions.latestOptionsFile(store));
  }

  private static Map<String, String> section(
      Map<String, Map<String, String>> sections, String prefix) {
    return sections.entrySet().stream()
        .filter(e -> e.getKey().startsWith(prefix) && !e.getKey().endsWith("\"default\""))
        .map(Map.Entry::getValue)
        .findFirst()
        .orElseGet(() -> sections.get(prefix + " \"default\""));
  }

  /** {@code a} without the keys that may differ. */
  private static Map<String, String> without(Map<String, String> a, String... keys) {
    Map<String, String> m = new LinkedHashMap<>(a);
    for (String k : keys) {
      m.remove(k);
    }
    return m;
  }

  @ParameterizedTest
  @ValueSource(longs = {0, 64L << 20})
  void theBaselineWritesTheEnginesOptionsFile(long extraCacheBytes) {
    Map<String, Map<String, String>> engine = engineOptions();
    Map<String, Map<String, String>> baseline;
    try (BaselineRocksDb db = BaselineRocksDb.open(dir.resolve("baseline"), extraCacheBytes)) {
      baseline = EngineRocksOptions.parse(EngineRocksOptions.latestOptionsFile(db.dir()));
    }

    assertThat(baseline.get("DBOptions")).isEqualTo(engine.get("DBOptions"));
    // the engine's tables hold ciphertext and do not let RocksDB compress it; plain RocksDB keeps
    // RocksDB's default compression of its plaintext
    assertThat(
            without(
                section(baseline, "CFOptions"),
                "merge_operator",
                "compression",
                "bottommost_compression"))
        .isEqualTo(
            without(
                section(engine, "CFOptions"),
                "merge_operator",
                "compression",
                "bottommost_compression"));
    assertThat(section(engine, "CFOptions").get("compression")).isEqualTo("kNoCompression");
    assertThat(section(baseline, "CFOptions").get("compression")).isEqualTo("kLZ4Compression");
    Map<String, String> baselineTable = section(baseline, "TableOptions/BlockBasedTable");
    Map<String, String> engineTable = section(engine, "TableOptions/BlockBasedTable");
    assertThat(baselineTable).isEqualTo(engineTable);
    // the one issue 14 names: bloom filters on both sides or on neither
    assertThat(baselineTable.get("filter_policy")).isEqualTo(engineTable.get("filter_policy"));
  }

  @Test
  void theBaselinesBlockCacheIsTheEnginesPlusWhatItIsGiven() {
    long engine = EngineRocksOptions.get().blockCacheBytes();
    assertThat(engine).isPositive();
    try (BaselineRocksDb same = BaselineRocksDb.open(dir.resolve("same"), 0);
        BaselineRocksDb more = BaselineRocksDb.open(dir.resolve("more"), 64L << 20)) {
      assertThat(same.blockCacheCapacity()).isEqualTo(engine);
      assertThat(more.blockCacheCapacity()).isEqualTo(engine + (64L << 20));
    }
  }

  @Test
  void theBaselineWritesAsTheEnginesDefaultDoes() {
    InMemoryKeyProvider provider = InMemoryKeyProvider.create();
    CofferOptions defaults = CofferOptions.builder().keyProvider(provider).build();
    assertThat(EngineRocksOptions.get().syncWrites()).isEqualTo(defaults.syncWrites());
  }
}
