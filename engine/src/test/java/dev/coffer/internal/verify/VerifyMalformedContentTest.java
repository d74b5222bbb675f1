package dev.coffer.internal.verify;

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
import dev.coffer.StoreVerification;
import dev.coffer.Table;
import dev.coffer.TableSpec;
import dev.coffer.TableVerification;
import dev.coffer.VerifyFinding;
import dev.coffer.VerifyFinding.Kind;
import dev.coffer.fixture.SealedPages;
import dev.coffer.internal.record.Entry;
import dev.coffer.internal.record.PageContent;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link Table#verify()} on records that authenticate (sealed correctly under the table's data key,
 * at their own place) but whose plaintext is wrong, as damage before sealing or an older bug could
 * leave them: an item that does not decode is a {@link Kind#CORRUPT_RECORD} "A stored item is
 * malformed", a leaf whose items are out of order is a {@link Kind#MALFORMED_NODE}; each finding
 * names the table, the partition and the node. Reads that reach the malformed item fail with {@link
 * CorruptionException} naming where it is (never a decoder's own exception), and deleting the item
 * repairs the table.
 */
class VerifyMalformedContentTest {
  @TempDir Path dir;

  private SealedPages.Store store;

  private Coffer open(long cacheBytes) {
    if (store == null) {
      store = new SealedPages.Store(dir);
    }
    return store.open(cacheBytes);
  }

  private static Item item(String pk, int sk) {
    return Item.builder().string("pk", pk).number("sk", sk).string("v", "value " + sk).build();
  }

  private static Key key(String pk, int sk) {
    return Key.of(AttributeValue.s(pk), AttributeValue.n(sk));
  }

  /**
   * Table {@code items}: partition {@code p} holds items 1..5 in one leaf, partition {@code q}
   * items 1..3.
   */
  private static Table items(Coffer coffer) {
    Table t =
        coffer.createTable(
            TableSpec.builder()
                .name("items")
                .partitionKey("pk", AttributeType.S)
                .sortKey("sk", AttributeType.N)
                .build());
    for (int sk = 1; sk <= 5; sk++) {
      t.putItem(item("p", sk));
    }
    for (int sk = 1; sk <= 3; sk++) {
      t.putItem(item("q", sk));
    }
    return t;
  }

  private static byte[] token(Coffer coffer, String pk) {
    return SealedPages.token(coffer, "items", pk);
  }

  // ------------------------------------------------------------------------------ malformed items

  static Stream<Arguments> malformedItems() throws IOException {
    byte[] forty = SealedPages.itemNested(40);
    byte[] untyped =
        withKey3()
            .putAttributes("what", dev.coffer.proto.AttributeValue.getDefaultInstance())
            .build()
            .toByteArray();
    byte[] badNumber =
        withKey3()
            .putAttributes("n", dev.coffer.proto.AttributeValue.newBuilder().setN("1e999").build())
            .build()
            .toByteArray();
    // nested 5,000 levels: protobuf's parser itself refuses it
    byte[] fiveThousand = SealedPages.itemNested(5000);
    return Stream.of(
        Arguments.of("nested 40 levels deep", forty, "nested deeper than 32 levels"),
        Arguments.of(
            "an attribute value without a type", untyped, "an attribute value has no type"),
        Arguments.of("a number out of range", badNumber, "A stored item is malformed"),
        Arguments.of("nested 5,000 levels deep", fiveThousand, "A stored item is malformed"));
  }

  private static dev.coffer.proto.Item.Builder withKey3() {
    return dev.coffer.proto.Item.newBuilder()
        .putAttributes("pk", dev.coffer.proto.AttributeValue.newBuilder().setS("p").build())
        .putAttributes("sk", dev.coffer.proto.AttributeValue.newBuilder().setN("3").build());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("malformedItems")
  void aMalformedItemIsReportedByVerifyFailsReadsWithItsLocationAndCanBeDeleted(
      String what, byte[] storedItem, String why) throws Exception {
    String p;
    try (Coffer coffer = open(1 << 20)) {
      items(coffer);
      p = HexFormat.of().formatHex(token(coffer, "p"));
      // replaces item 3 in p's only leaf, sealed as the writer seals
      SealedPages.writeEntry(coffer, "items", "p", SealedPages.rawEntry(3, storedItem));
    }
    String item = "partition " + p + " item with sort key {\"N\":\"3\"}";
    try (Coffer coffer = open(0)) { // from disk, without the page cache
      Table t = coffer.table("items");
      TableVerification v = t.verify();
      assertThat(v.findings())
          .as(what + ": " + v.findings())
          .singleElement()
          .satisfies(
              f -> {
                assertThat(f.kind()).isEqualTo(Kind.CORRUPT_RECORD);
                assertThat(f.tableName()).isEqualTo("items");
                assertThat(f.partitionToken()).contains(p);
                // the leaf that holds it: p's root, or (for the 5,000-level item, larger than a
                // page) a leaf of its own
                assertThat(f.location())
                    .isEqualTo("partition " + p + " node " + f.nodeId().orElseThrow());
                assertThat(f.message())
                    .startsWith("A stored item is malformed")
                    .contains(why)
                    .containsPattern("\\(item \\d of the leaf, sort key \\{\"N\":\"3\"\\}\\)$");
              });
      assertThat(v.partitions()).isEqualTo(2);
      StoreVerification all = coffer.verify();
      assertThat(all.findings())
          .extracting(VerifyFinding::location)
          .containsExactly(v.findings().get(0).location());

      assertCorrupt(() -> t.getItem(key("p", 3)), item, why);
      assertCorrupt(() -> t.query(Query.partition("p")), item, why);
      assertCorrupt(() -> t.scan(Scan.all()), item, why);
      // its neighbours and the other partition stay readable
      assertThat(t.getItem(key("p", 2))).contains(item("p", 2));
      assertThat(t.query(Query.partition("p").sortGreaterThan(AttributeValue.n(3))).items())
          .containsExactly(item("p", 4), item("p", 5));
      assertThat(t.query(Query.partition("q")).items()).hasSize(3);

      t.deleteItem(key("p", 3));
      assertThat(t.verify().findings()).as("after deleting the malformed item").isEmpty();
      assertThat(t.query(Query.partition("p")).items())
          .containsExactly(item("p", 1), item("p", 2), item("p", 4), item("p", 5));
      assertThat(t.scan(Scan.all()).items()).hasSize(7);
    }
  }

  private static void assertCorrupt(ThrowingCallable read, String location, String why) {
    assertThatThrownBy(read)
        .isExactlyInstanceOf(CorruptionException.class)
        .hasMessageContaining("A stored item is malformed")
        .hasMessageContaining(why)
        .hasMessageEndingWith("(table items, " + location + ")")
        .satisfies(
            e -> {
              CorruptionException c = (CorruptionException) e;
              assertThat(c.tableName()).isEqualTo("items");
              assertThat(c.location()).isEqualTo(location);
            });
  }

  // ------------------------------------------------------------------------------ malformed nodes

  @Test
  void aLeafWhoseItemsAreOutOfOrderIsAMalformedNode() throws Exception {
    String p;
    try (Coffer coffer = open(1 << 20)) {
      items(coffer);
      p = HexFormat.of().formatHex(token(coffer, "p"));
      // p's root leaf rewritten (sealed as the writer seals) with its items 5, 4, 3, 2, 1: each
      // item is well-formed
      List<Entry> descending = new ArrayList<>();
      for (int sk = 5; sk >= 1; sk--) {
        descending.add(SealedPages.entry(item("p", sk)));
      }
      putRoot(coffer, "p", new SealedPages.Leaf(descending, 1, 1));
    }
    try (Coffer coffer = open(0)) {
      TableVerification v = coffer.table("items").verify();
      assertThat(v.findings())
          .singleElement()
          .satisfies(
              f -> {
                assertThat(f.kind()).isEqualTo(Kind.MALFORMED_NODE);
                assertThat(f.tableName()).isEqualTo("items");
                assertThat(f.partitionToken()).contains(p);
                assertThat(f.nodeId()).hasValue(0);
                assertThat(f.location()).isEqualTo("partition " + p + " node 0");
                assertThat(f.message())
                    .isEqualTo("The leaf's items are not in ascending sort-key order (at item 1)");
              });
      assertThat(coffer.verify().clean()).isFalse();
    }
  }

  @Test
  void aRootWhoseHeightDisagreesWithItsLeafIsAMalformedNode() throws Exception {
    String p;
    try (Coffer coffer = open(1 << 20)) {
      items(coffer);
      p = HexFormat.of().formatHex(token(coffer, "p"));
      List<Entry> entries = new ArrayList<>();
      for (int sk = 1; sk <= 5; sk++) {
        entries.add(SealedPages.entry(item("p", sk)));
      }
      putRoot(
          coffer,
          "p",
          new SealedPages.Leaf(entries, 1, 3)); // a leaf root that claims a tree of height 3
    }
    try (Coffer coffer = open(0)) {
      TableVerification v = coffer.table("items").verify();
      assertThat(v.findings())
          .singleElement()
          .satisfies(
              f -> {
                assertThat(f.kind()).isEqualTo(Kind.MALFORMED_NODE);
                assertThat(f.tableName()).isEqualTo("items");
                assertThat(f.partitionToken()).contains(p);
                assertThat(f.nodeId()).hasValue(0);
                assertThat(f.location()).isEqualTo("partition " + p + " node 0");
                assertThat(f.message()).isEqualTo("The leaf is at depth 1 of a tree of height 3");
              });
    }
  }

  /** Seals {@code page} as the root of partition {@code pk} of table {@code items}. */
  private static void putRoot(Coffer coffer, String pk, PageContent page) {
    SealedPages.put(coffer, "items", pk, 0, page);
  }
}
