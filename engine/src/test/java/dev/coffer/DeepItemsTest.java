package dev.coffer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Items nested as deep as DynamoDB allows (32 levels) are stored and read back by every read;
 * deeper ones are refused before anything is stored, lists as maps, even at 5,000 levels.
 */
class DeepItemsTest {
  private static final String NESTING = "Nesting Levels have exceeded supported limits";

  @TempDir Path dir;

  private final TestStores stores = new TestStores();
  private Coffer coffer;
  private Table table;

  @BeforeEach
  void open() {
    coffer = stores.open(dir);
    table =
        coffer.createTable(
            TableSpec.builder()
                .name("deep")
                .partitionKey("pk", AttributeType.S)
                .sortKey("sk", AttributeType.N)
                .pageTargetBytes(512)
                .build());
  }

  @AfterEach
  void close() {
    coffer.close();
  }

  /** A value {@code levels} levels deep: maps of maps around a string, or lists of lists. */
  static AttributeValue nested(int levels, boolean maps) {
    AttributeValue v = AttributeValue.s("bottom");
    for (int i = 1; i < levels; i++) {
      v =
          maps
              ? AttributeValue.m(Map.of("level" + (levels - i), v))
              : AttributeValue.l(v, AttributeValue.n(i));
    }
    return v;
  }

  private static Item item(int sk, AttributeValue value) {
    return Item.builder().string("pk", "p").number("sk", sk).put("v", value).build();
  }

  @Test
  void thirtyTwoLevelsAreStoredAndReadBackByGetQueryAndScan() {
    Item maps = item(1, nested(32, true));
    Item lists = item(2, nested(32, false));
    table.putItem(maps);
    table.putItem(lists);
    for (int i = 3; i < 30; i++) {
      table.putItem(item(i, nested(1 + i % 32, i % 2 == 0)));
    }
    assertThat(table.getItem(Key.of(AttributeValue.s("p"), AttributeValue.n(1)))).contains(maps);
    assertThat(table.getItem(Key.of(AttributeValue.s("p"), AttributeValue.n(2)))).contains(lists);
    Page page =
        table.query(Query.partition("p").sortBetween(AttributeValue.n(1), AttributeValue.n(2)));
    assertThat(page.items()).containsExactly(maps, lists);
    assertThat(table.scan(Scan.all()).items()).hasSize(29).contains(maps, lists);
    coffer.close();
    coffer = stores.open(dir, 0); // from disk, no page cache
    table = coffer.table("deep");
    assertThat(table.getItem(Key.of(AttributeValue.s("p"), AttributeValue.n(1)))).contains(maps);
    assertThat(table.query(Query.partition("p").sortLessThan(AttributeValue.n(3))).items())
        .containsExactly(maps, lists);
  }

  @Test
  void deeperValuesAreRefusedBeforeAnythingIsStored() {
    assertThatThrownBy(() -> item(1, nested(33, true)))
        .isInstanceOf(ValidationException.class)
        .hasMessageStartingWith(NESTING);
    assertThatThrownBy(() -> item(1, nested(49, false)))
        .isInstanceOf(ValidationException.class)
        .hasMessageStartingWith(NESTING);
    // the 33rd level is refused however it is added: as an element of a 32-level list, or an item
    // map
    AttributeValue full = nested(32, false);
    assertThatThrownBy(() -> AttributeValue.m(Map.of("x", full))).hasMessageStartingWith(NESTING);
    assertThatThrownBy(() -> AttributeValue.l(List.of(full))).hasMessageStartingWith(NESTING);
    assertThat(table.scan(Scan.all()).items()).isEmpty();
  }

  @Test
  void fiveThousandLevelsAreRefusedCleanly() {
    AttributeValue v = AttributeValue.s("bottom");
    int level = 1;
    try {
      for (; level < 5000; level++) {
        v = level % 2 == 0 ? AttributeValue.l(v) : AttributeValue.m(Map.of("n", v));
      }
    } catch (ValidationException e) {
      assertThat(e).hasMessageStartingWith(NESTING);
    }
    assertThat(level).isEqualTo(32);
    table.putItem(item(7, v));
    assertThat(table.getItem(Key.of(AttributeValue.s("p"), AttributeValue.n(7))))
        .contains(item(7, v));
  }
}
