package dev.coffer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coffer.internal.partition.PartitionWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.ColumnFamilyHandle;

/**
 * Changes a closed store's files through RocksDB directly, as someone with write access to the
 * directory could, and checks that every read of a changed page fails with CorruptionException
 * naming the table and page, never returning wrong data.
 */
class TamperingTest {
  @TempDir Path dir;
  @TempDir Path otherDir;

  private final TestStores stores = new TestStores();

  private static Item item(int i) {
    return Item.builder().string("id", "user" + i).string("secret", "value of " + i).build();
  }

  private String createUsers(Path where, String name, int count) {
    try (Coffer c = stores.open(where)) {
      Table t = c.createTable(TableSpec.builder().name(name).partitionKey("id", AttributeType.S).build());
      for (int i = 0; i < count; i++) {
        t.putItem(item(i));
      }
      return t.describe().tableId();
    }
  }

  /** Reads every item and returns the failures; every successful read must return the right item. */
  private List<CorruptionException> readAll(Path where, String name, int count) {
    List<CorruptionException> failures = new ArrayList<>();
    try (Coffer c = stores.open(where)) {
      Table t = c.table(name);
      for (int i = 0; i < count; i++) {
        try {
          assertThat(t.getItem(Key.of("user" + i))).contains(item(i));
        } catch (CorruptionException e) {
          failures.add(e);
        }
      }
      try {
        t.scan(Scan.all());
      } catch (CorruptionException e) {
        failures.add(e);
      }
    }
    return failures;
  }

  private void tamper(Path where, Consumer<RawStore> change) throws Exception {
    try (RawStore raw = new RawStore(where)) {
      change.accept(raw);
    }
  }

  @Test
  void flippedByteInAPageFailsWithTheTableAndPageNamed() throws Exception {
    String tableId = createUsers(dir, "users", 10);
    byte[][] victim = new byte[1][];
    tamper(dir, raw -> {
      ColumnFamilyHandle cf = raw.family(tableId);
      victim[0] = raw.pageKeys(cf).get(3);
      try {
        byte[] v = raw.get(cf, victim[0]);
        v[v.length - 5] ^= 0x01;
        raw.put(cf, victim[0], v);
      } catch (Exception e) {
        throw new AssertionError(e);
      }
    });
    List<CorruptionException> failures = readAll(dir, "users", 10);
    assertThat(failures).hasSize(2); // one get, the scan
    String token = HexFormat.of().formatHex(Arrays.copyOf(victim[0], 16));
    assertThat(failures.get(0).tableName()).isEqualTo("users");
    assertThat(failures.get(0).location()).isEqualTo("partition " + token + " node 0");
    assertThat(failures.get(0)).hasMessageContaining("failed authentication").hasMessageContaining(token);
  }

  @Test
  void truncatedPageFails() throws Exception {
    String tableId = createUsers(dir, "users", 5);
    tamper(dir, raw -> {
      ColumnFamilyHandle cf = raw.family(tableId);
      byte[] key = raw.pageKeys(cf).get(0);
      try {
        byte[] v = raw.get(cf, key);
        raw.put(cf, key, Arrays.copyOf(v, v.length - 20));
      } catch (Exception e) {
        throw new AssertionError(e);
      }
    });
    assertThat(readAll(dir, "users", 5)).hasSize(2);
  }

  @Test
  void pagesSwappedBetweenPartitionsFail() throws Exception {
    String tableId = createUsers(dir, "users", 10);
    tamper(dir, raw -> swap(raw, raw.family(tableId), raw.pageKeys(raw.family(tableId)).get(1), raw.family(tableId),
        raw.pageKeys(raw.family(tableId)).get(6)));
    List<CorruptionException> failures = readAll(dir, "users", 10);
    assertThat(failures).hasSize(3); // both gets, the scan
    assertThat(failures).allSatisfy(e -> assertThat(e.tableName()).isEqualTo("users"));
  }

  @Test
  void pagesSwappedBetweenTablesFail() throws Exception {
    String a;
    String b;
    try (Coffer c = stores.open(dir)) {
      Table ta = c.createTable(TableSpec.builder().name("alpha").partitionKey("id", AttributeType.S).build());
      Table tb = c.createTable(TableSpec.builder().name("bravo").partitionKey("id", AttributeType.S).build());
      for (int i = 0; i < 5; i++) {
        ta.putItem(item(i));
        tb.putItem(item(i));
      }
      a = ta.describe().tableId();
      b = tb.describe().tableId();
    }
    tamper(dir, raw -> {
      ColumnFamilyHandle ca = raw.family(a);
      ColumnFamilyHandle cb = raw.family(b);
      // the same item's page, moved from one table to the other under the other table's key for it
      for (int i = 0; i < 5; i++) {
        swap(raw, ca, raw.pageKeys(ca).get(i), cb, raw.pageKeys(cb).get(i));
      }
    });
    assertThat(readAll(dir, "alpha", 5)).hasSize(6);
    assertThat(readAll(dir, "bravo", 5)).hasSize(6);
  }

  @Test
  void pageFromAnotherStoreWithTheSameMasterKeyFails() throws Exception {
    String here = createUsers(dir, "users", 3);
    String there = createUsers(otherDir, "users", 3);
    byte[][] foreign = new byte[1][];
    tamper(otherDir, raw -> {
      try {
        ColumnFamilyHandle cf = raw.family(there);
        foreign[0] = raw.get(cf, raw.pageKeys(cf).get(0));
      } catch (Exception e) {
        throw new AssertionError(e);
      }
    });
    tamper(dir, raw -> {
      ColumnFamilyHandle cf = raw.family(here);
      try {
        for (byte[] key : raw.pageKeys(cf)) {
          raw.put(cf, key, foreign[0]);
        }
      } catch (Exception e) {
        throw new AssertionError(e);
      }
    });
    assertThat(readAll(dir, "users", 3)).hasSize(4);
  }

  @Test
  void removedOrReplayedDeltaRecordsFail() throws Exception {
    String tableId;
    try (Coffer c = stores.open(dir)) {
      Table t = c.createTable(TableSpec.builder().name("events").partitionKey("pk", AttributeType.S)
          .sortKey("sk", AttributeType.N).build());
      for (int i = 0; i < 5; i++) {
        t.putItem(Item.builder().string("pk", "p").number("sk", i).build());
      }
      tableId = t.describe().tableId();
    }
    tamper(dir, raw -> {
      ColumnFamilyHandle cf = raw.family(tableId);
      List<byte[]> deltas = raw.deltaKeys(cf);
      assertThat(deltas).hasSizeGreaterThanOrEqualTo(3);
      try {
        raw.delete(cf, deltas.get(1)); // a gap in the sequence
      } catch (Exception e) {
        throw new AssertionError(e);
      }
    });
    try (Coffer c = stores.open(dir)) {
      assertThatThrownBy(() -> c.table("events").query(Query.partition("p")))
          .isInstanceOf(CorruptionException.class)
          .hasMessageContaining("delta record is out of sequence")
          .hasMessageContaining("events");
    }
  }

  @Test
  void aFoldedDeltaRecordPutBackIsIgnored() throws Exception {
    String tableId;
    try (Coffer c = stores.open(dir)) {
      Table t = c.createTable(TableSpec.builder().name("events").partitionKey("pk", AttributeType.S)
          .sortKey("sk", AttributeType.N).build());
      t.putItem(Item.builder().string("pk", "p").number("sk", 0).build());
      t.putItem(Item.builder().string("pk", "p").number("sk", 1).string("v", "old").build()); // a delta record
      tableId = t.describe().tableId();
    }
    java.util.Map<byte[], byte[]> saved = new java.util.LinkedHashMap<>();
    tamper(dir, raw -> {
      ColumnFamilyHandle cf = raw.family(tableId);
      try {
        for (byte[] k : raw.deltaKeys(cf)) {
          saved.put(k, raw.get(cf, k));
        }
      } catch (Exception e) {
        throw new AssertionError(e);
      }
    });
    assertThat(saved).isNotEmpty();
    try (Coffer c = stores.open(dir)) {
      Table t = c.table("events");
      t.putItem(Item.builder().string("pk", "p").number("sk", 1).string("v", "new").build());
      for (int i = 2; i < 2 + 2 * PartitionWriter.FOLD_THRESHOLD; i++) { // past the fold threshold
        t.putItem(Item.builder().string("pk", "p").number("sk", i).build());
      }
    }
    tamper(dir, raw -> {
      ColumnFamilyHandle cf = raw.family(tableId);
      saved.forEach((k, v) -> {
        try {
          raw.put(cf, k, v);
        } catch (Exception e) {
          throw new AssertionError(e);
        }
      });
    });
    try (Coffer c = stores.open(dir)) {
      Item one = c.table("events").getItem(Key.of(AttributeValue.s("p"), AttributeValue.n(1))).orElseThrow();
      assertThat(one.get("v")).isEqualTo(AttributeValue.s("new"));
      assertThat(c.table("events").query(Query.partition("p")).items()).hasSize(2 + 2 * PartitionWriter.FOLD_THRESHOLD);
    }
  }

  @Test
  void tamperedCatalogEntryFailsAtOpen() throws Exception {
    createUsers(dir, "users", 1);
    tamper(dir, raw -> {
      ColumnFamilyHandle cf = raw.families().get("default");
      raw.entries(cf).forEach((k, v) -> {
        if (new String(k, java.nio.charset.StandardCharsets.US_ASCII).startsWith("coffer/catalog/")) {
          v[v.length - 1] ^= 0x40;
          try {
            raw.put(cf, k, v);
          } catch (Exception e) {
            throw new AssertionError(e);
          }
        }
      });
    });
    assertThatThrownBy(() -> stores.open(dir)).isInstanceOf(CorruptionException.class)
        .hasMessageContaining("catalog entry");
  }

  private static void swap(RawStore raw, ColumnFamilyHandle fa, byte[] ka, ColumnFamilyHandle fb, byte[] kb) {
    try {
      byte[] va = raw.get(fa, ka);
      byte[] vb = raw.get(fb, kb);
      raw.put(fa, ka, vb);
      raw.put(fb, kb, va);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
