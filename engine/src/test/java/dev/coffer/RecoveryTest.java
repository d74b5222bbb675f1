package dev.coffer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Opening a store after a crash in the middle of CreateTable or DeleteTable. */
class RecoveryTest {
  @TempDir Path dir;

  private final TestStores stores = new TestStores();

  private String createUsers() {
    try (Coffer c = stores.open(dir)) {
      Table t =
          c.createTable(
              TableSpec.builder().name("users").partitionKey("id", AttributeType.S).build());
      t.putItem(Item.builder().string("id", "u1").build());
      return t.describe().tableId();
    }
  }

  @Test
  void testRecoverDropsAColumnFamilyLeftByACrashDuringCreateTable() throws Exception {
    String users = createUsers();
    TestBackend[] backend = new TestBackend[1];
    String orphan;
    try (Coffer c = TestBackend.open(dir, stores.options().build(), backend)) {
      // steps 1 and 2 of CreateTable (marker, column family), then the process dies before the
      // entry
      int[] commits = new int[1];
      backend[0].crashAt(op -> op.equals("commit") && ++commits[0] == 2);
      assertThatThrownBy(
              () ->
                  c.createTable(
                      TableSpec.builder()
                          .name("orders")
                          .partitionKey("id", AttributeType.S)
                          .build()))
          .isInstanceOf(StorageException.class)
          .hasMessageContaining("simulated crash");
      assertThat(c.listTables()).containsExactly("users");
    }
    try (RawStore raw = new RawStore(dir)) {
      List<String> tables = new ArrayList<>(raw.families().keySet());
      tables.removeAll(List.of("default", users));
      assertThat(tables).hasSize(1);
      orphan = tables.get(0);
      raw.put(raw.family(orphan), new byte[24], new byte[] {1, 2, 3});
      assertThat(creatingMarkers(raw)).hasSize(1);
    }
    try (Coffer c = stores.open(dir)) {
      assertThat(c.listTables()).containsExactly("users");
      assertThat(c.table("users").getItem(Key.of("u1"))).isPresent();
    }
    try (RawStore raw = new RawStore(dir)) {
      assertThat(raw.families().keySet()).containsExactlyInAnyOrder("default", users);
      assertThat(creatingMarkers(raw)).isEmpty();
    }
  }

  @Test
  void aFinishedCreateTableLeavesNoMarker() throws Exception {
    createUsers();
    try (RawStore raw = new RawStore(dir)) {
      assertThat(creatingMarkers(raw)).isEmpty();
    }
  }

  @Test
  void testRecoverFinishesADeleteTableInterruptedBeforeTheColumnFamilyWasDropped()
      throws Exception {
    String users = createUsers();
    TestBackend[] backend = new TestBackend[1];
    try (Coffer c = TestBackend.open(dir, stores.options().build(), backend)) {
      backend[0].crashAt(
          "dropTable"::equals); // step 1 of DeleteTable only: the process dies right after it
      assertThatThrownBy(() -> c.deleteTable("users")).isInstanceOf(StorageException.class);
    }
    try (RawStore raw = new RawStore(dir)) {
      assertThat(raw.families()).containsKey(users);
    }
    try (Coffer c = stores.open(dir)) {
      assertThat(c.listTables()).isEmpty();
      Table again =
          c.createTable(
              TableSpec.builder().name("users").partitionKey("id", AttributeType.S).build());
      assertThat(again.getItem(Key.of("u1"))).isEmpty();
    }
    try (RawStore raw = new RawStore(dir)) {
      assertThat(raw.families().keySet()).doesNotContain(users);
    }
  }

  @Test
  void aLostCatalogEntryStopsTheStoreFromOpeningInsteadOfDroppingTheTable() throws Exception {
    String users = createUsers();
    try (RawStore raw = new RawStore(dir)) {
      byte[] catalogKey = ("coffer/catalog/").getBytes(StandardCharsets.US_ASCII);
      byte[] key = new byte[catalogKey.length + 16];
      System.arraycopy(catalogKey, 0, key, 0, catalogKey.length);
      System.arraycopy(HexFormat.of().parseHex(users), 0, key, catalogKey.length, 16);
      raw.delete(raw.families().get("default"), key);
    }
    assertThatThrownBy(() -> stores.open(dir).close())
        .isInstanceOf(CorruptionException.class)
        .hasMessageContaining(users);
    try (RawStore raw = new RawStore(dir)) {
      assertThat(raw.families()).containsKey(users); // the data is still there
      assertThat(raw.pageKeys(raw.family(users))).isNotEmpty();
    }
  }

  private static java.util.List<byte[]> creatingMarkers(RawStore raw) {
    byte[] prefix = "coffer/creating/".getBytes(StandardCharsets.US_ASCII);
    return raw.entries(raw.families().get("default")).keySet().stream()
        .filter(
            k ->
                k.length >= prefix.length
                    && java.util.Arrays.equals(k, 0, prefix.length, prefix, 0, prefix.length))
        .toList();
  }

  @Test
  void testRecoverAfterManyReopensKeepsEverything() {
    createUsers();
    for (int round = 0; round < 3; round++) {
      try (Coffer c = stores.open(dir)) {
        Table t = c.table("users");
        assertThat(t.scan(Scan.all()).count()).isEqualTo(1 + round * 10);
        for (int i = 0; i < 10; i++) {
          t.putItem(Item.builder().string("id", "r" + round + "-" + i).build());
        }
      }
    }
  }
}
