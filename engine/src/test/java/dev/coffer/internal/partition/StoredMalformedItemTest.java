package dev.coffer.internal.partition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coffer.AttributeType;
import dev.coffer.AttributeValue;
import dev.coffer.Coffer;
import dev.coffer.CorruptionException;
import dev.coffer.Item;
import dev.coffer.Key;
import dev.coffer.Query;
import dev.coffer.Scan;
import dev.coffer.Table;
import dev.coffer.TableSpec;
import dev.coffer.fixture.SealedPages;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A stored item that the engine cannot decode (written around the API, as damage or an older bug
 * could leave one: nested 40 or 5,000 levels deep) is reported with its table and location, never
 * with a {@link StackOverflowError}; the other items of its leaf stay readable, and deleting it
 * repairs the partition.
 */
class StoredMalformedItemTest {
  @TempDir Path dir;

  private SealedPages.Store store;

  private Coffer open(long cacheBytes) {
    if (store == null) {
      store = new SealedPages.Store(dir);
    }
    return store.open(cacheBytes);
  }

  private static Item item(int sk) {
    return Item.builder().string("pk", "p").number("sk", sk).string("v", "value " + sk).build();
  }

  private static Key key(int sk) {
    return Key.of(AttributeValue.s("p"), AttributeValue.n(sk));
  }

  @Test
  void anItemNestedFortyLevelsDeep() throws Exception {
    check(SealedPages.itemNested(40), "nested deeper than 32 levels");
  }

  @Test
  void anItemNestedFiveThousandLevelsDeep() throws Exception {
    check(SealedPages.itemNested(5000), "malformed");
  }

  private void check(byte[] storedItem, String why) throws Exception {
    try (Coffer coffer = open(1 << 20)) {
      Table t =
          coffer.createTable(
              TableSpec.builder()
                  .name("items")
                  .partitionKey("pk", AttributeType.S)
                  .sortKey("sk", AttributeType.N)
                  .build());
      for (int sk = 1; sk <= 5; sk++) {
        t.putItem(item(sk));
      }
      writeRaw(coffer, 3, storedItem); // replaces item 3 in the same leaf
      expectReadable(t, why);
    }
    try (Coffer coffer = open(0)) { // again from disk, without the page cache
      Table t = coffer.table("items");
      expectReadable(t, why);
      t.deleteItem(key(3));
      assertThat(t.query(Query.partition("p")).items())
          .containsExactly(item(1), item(2), item(4), item(5));
      assertThat(t.scan(Scan.all()).items()).hasSize(4);
      t.putItem(item(3));
      assertThat(t.getItem(key(3))).contains(item(3));
    }
  }

  private static void expectReadable(Table t, String why) {
    assertThatThrownBy(() -> t.getItem(key(3)))
        .isInstanceOf(CorruptionException.class)
        .hasMessageContaining("A stored item is malformed")
        .hasMessageContaining(why)
        .hasMessageContaining("(table items, partition ")
        .hasMessageContaining("item with sort key {\"N\":\"3\"})")
        .satisfies(e -> assertThat(((CorruptionException) e).tableName()).isEqualTo("items"));
    assertThat(t.getItem(key(2))).contains(item(2));
    assertThat(t.getItem(key(4))).contains(item(4));
    assertThat(t.query(Query.partition("p").sortLessThan(AttributeValue.n(3))).items())
        .containsExactly(item(1), item(2));
    assertThat(
            t.query(Query.partition("p").sortGreaterThan(AttributeValue.n(3)).descending()).items())
        .containsExactly(item(5), item(4));
    assertThatThrownBy(() -> t.query(Query.partition("p")))
        .isInstanceOf(CorruptionException.class)
        .hasMessageContaining("table items");
    assertThatThrownBy(() -> t.scan(Scan.all()))
        .isInstanceOf(CorruptionException.class)
        .hasMessageContaining("table items");
  }

  /** Puts a leaf entry whose item is {@code storedItem}, as the write path would, but unchecked. */
  private static void writeRaw(Coffer coffer, int sk, byte[] storedItem) {
    SealedPages.writeEntry(coffer, "items", "p", SealedPages.rawEntry(sk, storedItem));
  }
}
