package dev.coffer.internal.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import com.google.protobuf.ByteString;
import dev.coffer.AttributeType;
import dev.coffer.AttributeValue;
import dev.coffer.Coffer;
import dev.coffer.CorruptionException;
import dev.coffer.EngineAccess;
import dev.coffer.Item;
import dev.coffer.Key;
import dev.coffer.Query;
import dev.coffer.Scan;
import dev.coffer.Table;
import dev.coffer.TableSpec;
import dev.coffer.Update;
import dev.coffer.UpdateItemRequest;
import dev.coffer.VerifyFinding;
import dev.coffer.VerifyFinding.Kind;
import dev.coffer.fixture.SealedPages;
import dev.coffer.internal.partition.Node;
import dev.coffer.internal.record.Entry;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Reads check the key order they rely on (binary searches over a leaf's items and an inner node's
 * separators) with the check {@code verify} makes ({@link Node#orderProblem}): a page that
 * authenticates but whose keys are out of order, as only a writer with a bug could seal it, fails
 * every read and write that opens it with a {@link CorruptionException} naming the table, the
 * partition and the node (the reason, in verify's words, as its cause), instead of a Get or Query
 * that silently misses or repeats an item; {@code verify} reports the same node as a {@link
 * Kind#MALFORMED_NODE} with the same words. Other partitions stay readable.
 */
class ReadsCheckKeyOrderTest {
  @TempDir Path dir;

  private SealedPages.Store store;

  private Coffer open() {
    if (store == null) {
      store = new SealedPages.Store(dir);
    }
    return store.open(0);
  }

  private static Item item(String pk, int sk) {
    return Item.builder().string("pk", pk).number("sk", sk).string("v", "value " + sk).build();
  }

  private static Key key(String pk, int sk) {
    return Key.of(AttributeValue.s(pk), AttributeValue.n(sk));
  }

  /** Table {@code items} (pages of {@code pageBytes}): {@code p} holds 1..n, {@code q} 1..3. */
  private static Table items(Coffer coffer, int pageBytes, int n) {
    Table t =
        coffer.createTable(
            TableSpec.builder()
                .name("items")
                .partitionKey("pk", AttributeType.S)
                .sortKey("sk", AttributeType.N)
                .pageTargetBytes(pageBytes)
                .build());
    for (int sk = 1; sk <= n; sk++) {
      t.putItem(item("p", sk));
    }
    for (int sk = 1; sk <= 3; sk++) {
      t.putItem(item("q", sk));
    }
    return t;
  }

  /**
   * p's root leaf resealed with its items in the order given (sort keys, comma-separated): out of
   * order, or with an item twice.
   */
  @ParameterizedTest
  @ValueSource(strings = {"5,4,3,2,1", "1,2,4,3,5", "1,2,3,3,4,5", "1,2,3,4,5,1"})
  void aLeafOutOfOrderFailsEveryReadThatOpensIt(String order) {
    String p;
    List<Entry> entries = new ArrayList<>();
    int first = -1;
    String[] sks = order.split(",");
    for (int i = 0; i < sks.length; i++) {
      entries.add(SealedPages.entry(item("p", Integer.parseInt(sks[i]))));
      if (first < 0 && i > 0 && Integer.parseInt(sks[i - 1]) >= Integer.parseInt(sks[i])) {
        first = i;
      }
    }
    try (Coffer coffer = open()) {
      items(coffer, 4096, 5);
      p = HexFormat.of().formatHex(SealedPages.token(coffer, "items", "p"));
      SealedPages.put(coffer, "items", "p", 0, new SealedPages.Leaf(entries, 1, 1));
    }
    String why = "The leaf's items are not in ascending sort-key order (at item " + first + ")";
    try (Coffer coffer = open()) {
      Table t = coffer.table("items");
      String where = "partition " + p + " node 0";
      assertOutOfOrder(() -> t.getItem(key("p", 3)), where, why);
      assertOutOfOrder(() -> t.getItem(key("p", 1)), where, why);
      assertOutOfOrder(() -> t.query(Query.partition("p")), where, why);
      assertOutOfOrder(
          () -> t.query(Query.partition("p").sortGreaterThan(AttributeValue.n(2))), where, why);
      assertOutOfOrder(() -> t.scan(Scan.all()), where, why);
      assertOutOfOrder(() -> t.putItem(item("p", 6)), where, why);
      assertOutOfOrder(
          () ->
              t.updateItem(
                  UpdateItemRequest.builder()
                      .key(key("p", 2))
                      .update(Update.expression("REMOVE v"))
                      .build()),
          where,
          why);
      // the other partition is untouched
      assertThat(t.query(Query.partition("q")).items())
          .containsExactly(item("q", 1), item("q", 2), item("q", 3));
      assertThat(t.getItem(key("q", 2))).contains(item("q", 2));
      // verify names the same node with the same words
      assertThat(t.verify().findings())
          .singleElement()
          .satisfies(
              f -> {
                assertThat(f.kind()).isEqualTo(Kind.MALFORMED_NODE);
                assertThat(f.location()).isEqualTo(where);
                assertThat(f.message()).isEqualTo(why);
              });
    }
  }

  @Test
  void anInnerNodeWhoseSeparatorsAreOutOfOrderFailsEveryReadThatOpensIt() {
    String p;
    try (Coffer coffer = open()) {
      items(coffer, 256, 60);
      byte[] token = SealedPages.token(coffer, "items", "p");
      p = HexFormat.of().formatHex(token);
      Node root = EngineAccess.table(coffer, "items").records().readNode(token, 0, Node.FACTORY);
      assertThat(root.isLeaf()).as("p's root is an inner node").isFalse();
      assertThat(root.separators()).hasSizeGreaterThan(1);
      List<ByteString> reversed = new ArrayList<>(root.separators());
      Collections.reverse(reversed);
      SealedPages.put(
          coffer,
          "items",
          "p",
          0,
          new SealedPages.Inner(reversed, root.children(), root.nextNodeId(), root.height()));
    }
    String why = "The inner node's separators are not ascending (at separator 1)";
    try (Coffer coffer = open()) {
      Table t = coffer.table("items");
      String where = "partition " + p + " node 0";
      assertOutOfOrder(() -> t.getItem(key("p", 30)), where, why);
      assertOutOfOrder(() -> t.query(Query.partition("p")), where, why);
      assertOutOfOrder(() -> t.putItem(item("p", 61)), where, why);
      assertThat(t.query(Query.partition("q")).items()).hasSize(3);
      assertThat(t.verify().findings())
          .extracting(VerifyFinding::kind, VerifyFinding::location, VerifyFinding::message)
          .contains(tuple(Kind.MALFORMED_NODE, where, why));
    }
  }

  private static void assertOutOfOrder(ThrowingCallable call, String location, String why) {
    assertThatThrownBy(call)
        .isExactlyInstanceOf(CorruptionException.class)
        .hasMessage("A page body is malformed (table items, " + location + ")")
        .hasRootCauseMessage(why)
        .satisfies(
            e -> {
              CorruptionException c = (CorruptionException) e;
              assertThat(c.tableName()).isEqualTo("items");
              assertThat(c.location()).isEqualTo(location);
            });
  }
}
