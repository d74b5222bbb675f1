package dev.coffer;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.ColumnFamilyHandle;

/** Opening a store after a crash in the middle of CreateTable or DeleteTable. */
class RecoveryTest {
  @TempDir Path dir;

  private final TestStores stores = new TestStores();

  private String createUsers() {
    try (Coffer c = stores.open(dir)) {
      Table t = c.createTable(TableSpec.builder().name("users").partitionKey("id", AttributeType.S).build());
      t.putItem(Item.builder().string("id", "u1").build());
      return t.describe().tableId();
    }
  }

  @Test
  void testRecoverDropsAColumnFamilyLeftByACrashDuringCreateTable() throws Exception {
    String users = createUsers();
    String orphan = "00112233445566778899aabbccddeeff";
    try (RawStore raw = new RawStore(dir)) {
      ColumnFamilyHandle cf = raw.createFamily(orphan);
      raw.put(cf, new byte[24], new byte[] {1, 2, 3});
    }
    try (Coffer c = stores.open(dir)) {
      assertThat(c.listTables()).containsExactly("users");
      assertThat(c.table("users").getItem(Key.of("u1"))).isPresent();
    }
    try (RawStore raw = new RawStore(dir)) {
      assertThat(raw.families().keySet()).containsExactlyInAnyOrder("default", users);
    }
  }

  @Test
  void testRecoverFinishesADeleteTableInterruptedBeforeTheColumnFamilyWasDropped() throws Exception {
    String users = createUsers();
    try (RawStore raw = new RawStore(dir)) {
      byte[] catalogKey = ("coffer/catalog/").getBytes(StandardCharsets.US_ASCII);
      byte[] key = new byte[catalogKey.length + 16];
      System.arraycopy(catalogKey, 0, key, 0, catalogKey.length);
      System.arraycopy(HexFormat.of().parseHex(users), 0, key, catalogKey.length, 16);
      raw.delete(raw.families().get("default"), key);
    }
    try (Coffer c = stores.open(dir)) {
      assertThat(c.listTables()).isEmpty();
      Table again = c.createTable(TableSpec.builder().name("users").partitionKey("id", AttributeType.S).build());
      assertThat(again.getItem(Key.of("u1"))).isEmpty();
    }
    try (RawStore raw = new RawStore(dir)) {
      assertThat(raw.families().keySet()).doesNotContain(users);
    }
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
