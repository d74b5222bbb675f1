package dev.coffer;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Writes known markers into table names, attribute names, keys and values, then searches every file
 * under the store directory (WAL, SST, MANIFEST, OPTIONS, LOG) for each marker in UTF-8, UTF-16LE
 * and UTF-16BE: while open, after a flush, and after close.
 */
class NoPlaintextOnDiskTest {
  private static final List<String> MARKERS =
      List.of(
          "TblMarkerQx7",
          "AttrMarkerQx7",
          "PkMarkerQx7",
          "SkMarkerQx7",
          "ValueMarkerQx7",
          "NestedMarkerQx7",
          "BinMarkerQx7",
          "PkNameMarkerQx7",
          "SkNameMarkerQx7");

  @TempDir Path dir;

  /** The options of the store ({@link FreshNoPlaintextOnDiskTest} turns freshness on). */
  CofferOptions.Builder options(TestStores stores) {
    return stores.options();
  }

  @Test
  void noMarkerInAnyFile() throws IOException {
    TestStores stores = new TestStores();
    try (Coffer c = Coffer.open(dir, options(stores).build())) {
      Table t =
          c.createTable(
              TableSpec.builder()
                  .name("TblMarkerQx7")
                  .partitionKey("PkNameMarkerQx7", AttributeType.S)
                  .sortKey("SkNameMarkerQx7", AttributeType.S)
                  .pageTargetBytes(512)
                  .build());
      for (int i = 0; i < 200; i++) {
        t.putItem(
            Item.builder()
                .string("PkNameMarkerQx7", "PkMarkerQx7-" + (i % 7))
                .string("SkNameMarkerQx7", "SkMarkerQx7-" + i)
                .string("AttrMarkerQx7", "ValueMarkerQx7 " + i)
                .put(
                    "nested",
                    AttributeValue.m(java.util.Map.of("k", AttributeValue.ss("NestedMarkerQx7"))))
                .bytes("bin", "BinMarkerQx7".getBytes(StandardCharsets.UTF_8))
                .build());
      }
      assertNoMarkers("while open");
      c.flush();
      assertNoMarkers("after flush");
      for (int i = 0; i < 200; i += 3) {
        t.deleteItem(Key.of("PkMarkerQx7-" + (i % 7), "SkMarkerQx7-" + i));
      }
    }
    assertNoMarkers("after close");
    List<String> names = new ArrayList<>();
    try (Stream<Path> files = Files.walk(dir)) {
      files.filter(Files::isRegularFile).forEach(p -> names.add(p.getFileName().toString()));
    }
    assertThat(names)
        .anyMatch(n -> n.endsWith(".sst"))
        .anyMatch(n -> n.startsWith("MANIFEST"))
        .anyMatch(n -> n.startsWith("OPTIONS"));
  }

  private void assertNoMarkers(String when) throws IOException {
    PlaintextScan.assertNoMarkers(dir, MARKERS, when);
  }
}
