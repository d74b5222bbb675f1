package dev.coffer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coffer.VerifyFinding.Kind;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.ColumnFamilyHandle;

/**
 * {@code verify} with freshness on ({@link CofferOptions#freshness()}) compares every record with
 * the table's freshness map: each attack {@link FreshnessTest} catches at a read is reported by
 * verify too ({@link Kind#FRESHNESS_MISMATCH}, with the record's location), and a partition removed
 * whole, which no read of a scan reaches, is reported as well. A clean store verifies clean while
 * writes run (no false alarm from a write racing the comparison).
 */
class FreshVerifyTest {
  @TempDir Path dir;

  private final TestStores stores = new TestStores();
  private final CofferOptions options = stores.freshOptions().build();

  private Coffer open() {
    return Coffer.open(dir, options);
  }

  private static TableSpec sorted(String name) {
    return TableSpec.builder()
        .name(name)
        .partitionKey("pk", AttributeType.S)
        .sortKey("sk", AttributeType.S)
        .pageTargetBytes(512)
        .build();
  }

  private static Item item(String pk, int sk, String v) {
    return Item.builder()
        .string("pk", pk)
        .string("sk", String.format("%04d", sk))
        .string("v", v)
        .string("pad", "x".repeat(40))
        .build();
  }

  private Map<byte[], byte[]> records(String id) throws Exception {
    try (RawStore raw = new RawStore(dir)) {
      return raw.entries(raw.family(id));
    }
  }

  private static final byte[] FRESH_PREFIX = "coffer/fresh/".getBytes(StandardCharsets.US_ASCII);

  private Map<byte[], byte[]> mapNodes() throws Exception {
    try (RawStore raw = new RawStore(dir)) {
      Map<byte[], byte[]> out = new LinkedHashMap<>();
      raw.entries(raw.families().get("default"))
          .forEach(
              (k, v) -> {
                if (k.length > FRESH_PREFIX.length
                    && Arrays.equals(
                        k, 0, FRESH_PREFIX.length, FRESH_PREFIX, 0, FRESH_PREFIX.length)) {
                  out.put(k, v);
                }
              });
      return out;
    }
  }

  private static void replace(
      RawStore raw, ColumnFamilyHandle family, Map<byte[], byte[]> current, Map<byte[], byte[]> to)
      throws Exception {
    for (byte[] k : current.keySet()) {
      raw.delete(family, k);
    }
    for (Map.Entry<byte[], byte[]> e : to.entrySet()) {
      raw.put(family, e.getKey(), e.getValue());
    }
  }

  private void putBack(String id, Map<byte[], byte[]> older) throws Exception {
    Map<byte[], byte[]> current = records(id);
    try (RawStore raw = new RawStore(dir)) {
      replace(raw, raw.family(id), current, older);
    }
  }

  private List<VerifyFinding> verify(String table) {
    try (Coffer c = open()) {
      return c.table(table).verify().findings();
    }
  }

  private static List<VerifyFinding> fresh(List<VerifyFinding> findings) {
    return findings.stream().filter(f -> f.kind() == Kind.FRESHNESS_MISMATCH).toList();
  }

  /** Writes 20 items to partition p0 and one to p1; returns the table id. */
  private String writeTable() {
    try (Coffer c = open()) {
      Table t = c.createTable(sorted("orders"));
      for (int i = 0; i < 20; i++) {
        t.putItem(item("p0", i, "v"));
      }
      t.putItem(item("p1", 0, "v"));
      assertThat(t.verify().clean()).isTrue();
      return t.describe().tableId();
    }
  }

  @Test
  void anItemPutBackFromAnOlderCopyIsReported() throws Exception {
    String id = writeTable();
    Map<byte[], byte[]> older = records(id);
    try (Coffer c = open()) {
      c.table("orders").putItem(item("p1", 0, "newer"));
    }
    putBack(id, older);
    List<VerifyFinding> found = fresh(verify("orders"));
    assertThat(found).hasSize(1);
    assertThat(found.get(0).message()).contains("not the version the table's freshness map lists");
    assertThat(found.get(0).partitionToken()).isPresent();
    assertThat(found.get(0).location()).contains("partition");
  }

  @Test
  void newestDeltaRecordsCutAreReported() throws Exception {
    String id = writeTable();
    Map<byte[], byte[]> older = records(id);
    try (Coffer c = open()) {
      c.table("orders").putItem(item("p1", 1, "delta"));
    }
    Map<byte[], byte[]> newer = records(id);
    // the record that grew (its delta records appended) put back as its prefix
    Map<byte[], byte[]> cut = new LinkedHashMap<>(newer);
    int cuts = 0;
    for (Map.Entry<byte[], byte[]> e : older.entrySet()) {
      byte[] now =
          newer.entrySet().stream()
              .filter(n -> Arrays.equals(n.getKey(), e.getKey()))
              .map(Map.Entry::getValue)
              .findFirst()
              .orElseThrow();
      if (!Arrays.equals(now, e.getValue())) {
        assertThat(Arrays.equals(now, 0, e.getValue().length, e.getValue(), 0, e.getValue().length))
            .as("the newer record is the older one with delta records appended")
            .isTrue();
        cut.entrySet().removeIf(n -> Arrays.equals(n.getKey(), e.getKey()));
        cut.put(e.getKey(), e.getValue());
        cuts++;
      }
    }
    assertThat(cuts).isEqualTo(1);
    putBack(id, cut);
    List<VerifyFinding> found = fresh(verify("orders"));
    assertThat(found).hasSize(1);
    assertThat(found.get(0).message()).contains("newest delta records were removed");
  }

  @Test
  void aDeletedRecordPutBackIsReported() throws Exception {
    String id = writeTable();
    Map<byte[], byte[]> older = records(id);
    try (Coffer c = open()) {
      c.table("orders").deleteItem(Key.of("p1", "0000"));
    }
    putBack(id, older);
    List<VerifyFinding> found = fresh(verify("orders"));
    assertThat(found).hasSize(1);
    assertThat(found.get(0).message()).contains("not in the table's freshness map");
  }

  @Test
  void aPartitionRemovedWholeIsReportedNodeByNode() throws Exception {
    String id = writeTable();
    Map<byte[], byte[]> all = records(id);
    // p0 is the partition with several nodes (20 items of ~60 bytes in pages of 512)
    Map<String, List<byte[]>> byToken = new LinkedHashMap<>();
    all.keySet()
        .forEach(
            k ->
                byToken
                    .computeIfAbsent(
                        HexFormat.of().formatHex(Arrays.copyOf(k, 16)), x -> new ArrayList<>())
                    .add(k));
    String big =
        byToken.entrySet().stream()
            .filter(e -> e.getValue().size() > 1)
            .map(Map.Entry::getKey)
            .findFirst()
            .orElseThrow();
    Map<byte[], byte[]> without = new LinkedHashMap<>(all);
    without.keySet().removeIf(k -> HexFormat.of().formatHex(Arrays.copyOf(k, 16)).equals(big));
    putBack(id, without);
    List<VerifyFinding> found = fresh(verify("orders"));
    assertThat(found).hasSize(byToken.get(big).size());
    assertThat(found)
        .allSatisfy(
            f -> {
              assertThat(f.message()).contains("is missing");
              assertThat(f.partitionToken()).contains(big);
            });
  }

  @Test
  void aMapNodePutBackIsReportedAtItsLocation() throws Exception {
    String id = writeTable();
    Map<byte[], byte[]> olderNodes = mapNodes();
    Map<byte[], byte[]> olderRecords = records(id);
    try (Coffer c = open()) {
      c.table("orders").putItem(item("p1", 0, "newer"));
    }
    putBack(id, olderRecords);
    Map<byte[], byte[]> currentNodes = mapNodes();
    try (RawStore raw = new RawStore(dir)) {
      replace(raw, raw.families().get("default"), currentNodes, olderNodes);
    }
    List<VerifyFinding> found = fresh(verify("orders"));
    assertThat(found).hasSize(1);
    assertThat(found.get(0).location()).contains("freshness map of table id " + id + " level 0");
    assertThat(found.get(0).message()).contains("not the version its parent lists");
  }

  @Test
  void aCleanStoreVerifiesCleanWhileWritesRun() throws Exception {
    writeTable();
    try (Coffer c = open()) {
      Table t = c.table("orders");
      AtomicBoolean stop = new AtomicBoolean();
      AtomicReference<Throwable> failed = new AtomicReference<>();
      List<Thread> writers = new ArrayList<>();
      for (int w = 0; w < 2; w++) {
        int writer = w;
        Thread thread =
            new Thread(
                () -> {
                  try {
                    for (int i = 0; !stop.get(); i++) {
                      t.putItem(item("w" + writer + "-" + (i % 7), i % 50, "v" + i));
                      if (i % 3 == 0) {
                        t.deleteItem(
                            Key.of("w" + writer + "-" + (i % 7), String.format("%04d", i % 50)));
                      }
                    }
                  } catch (Throwable e) {
                    failed.set(e);
                  }
                });
        thread.start();
        writers.add(thread);
      }
      try {
        for (int round = 0; round < 15; round++) {
          TableVerification v = t.verify();
          assertThat(v.findings()).as("round " + round).isEmpty();
        }
      } finally {
        stop.set(true);
        for (Thread thread : writers) {
          thread.join();
        }
      }
      assertThat(failed.get()).isNull();
      assertThat(t.verify().clean()).isTrue();
      assertThat(c.freshnessStats().failedChecks()).isZero();
    }
  }
}
