package dev.coffer.internal.partition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import dev.coffer.AttributeType;
import dev.coffer.AttributeValue;
import dev.coffer.Coffer;
import dev.coffer.CofferOptions;
import dev.coffer.CorruptionException;
import dev.coffer.EngineAccess;
import dev.coffer.Item;
import dev.coffer.Key;
import dev.coffer.Query;
import dev.coffer.Scan;
import dev.coffer.Table;
import dev.coffer.TableSpec;
import dev.coffer.internal.catalog.TableContext;
import dev.coffer.internal.model.KeyCodec;
import dev.coffer.internal.record.RecordTestAccess;
import dev.coffer.kms.KeyManagement.CreateKeyRequest;
import dev.coffer.kms.memory.InMemoryKeyProvider;
import dev.coffer.proto.ListValue;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.locks.Lock;
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

  private final InMemoryKeyProvider keys = InMemoryKeyProvider.create();
  private final String keyId = keys.createKey(CreateKeyRequest.withDescription("t")).keyId();

  private Coffer open(long cacheBytes) {
    return Coffer.open(
        dir,
        CofferOptions.builder()
            .keyProvider(keys)
            .masterKeyId(keyId)
            .pageCacheBytes(cacheBytes)
            .build());
  }

  private static Item item(int sk) {
    return Item.builder().string("pk", "p").number("sk", sk).string("v", "value " + sk).build();
  }

  private static Key key(int sk) {
    return Key.of(AttributeValue.s("p"), AttributeValue.n(sk));
  }

  @Test
  void anItemNestedFortyLevelsDeep() throws Exception {
    dev.coffer.proto.AttributeValue v =
        dev.coffer.proto.AttributeValue.newBuilder().setS("bottom").build();
    for (int i = 1; i < 40; i++) {
      v =
          dev.coffer.proto.AttributeValue.newBuilder()
              .setL(ListValue.newBuilder().addValues(v))
              .build();
    }
    byte[] item =
        dev.coffer.proto.Item.newBuilder()
            .putAttributes("pk", dev.coffer.proto.AttributeValue.newBuilder().setS("p").build())
            .putAttributes("sk", dev.coffer.proto.AttributeValue.newBuilder().setN("3").build())
            .putAttributes("deep", v)
            .build()
            .toByteArray();
    check(item, "nested deeper than 32 levels");
  }

  @Test
  void anItemNestedFiveThousandLevelsDeep() throws Exception {
    // encoded by hand, inside out: protobuf's own encoder would recurse once per level
    byte[] value =
        field(1, "bottom".getBytes(java.nio.charset.StandardCharsets.UTF_8)); // AttributeValue{s}
    for (int i = 1; i < 5000; i++) {
      value = field(6, field(1, value)); // AttributeValue{l: ListValue{values: [value]}}
    }
    byte[] item =
        concat(
            field(1, concat(field(1, bytes("pk")), field(2, field(1, bytes("p"))))),
            field(1, concat(field(1, bytes("sk")), field(2, field(2, bytes("3"))))),
            field(1, concat(field(1, bytes("deep")), field(2, value))));
    check(item, "malformed");
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
  private static void writeRaw(Coffer coffer, int sk, byte[] storedItem) throws IOException {
    TableContext t = EngineAccess.table(coffer, "items");
    Partitions partitions = EngineAccess.partitions(coffer);
    byte[] token = t.keys().tokens().token(KeyCodec.partitionKeyBytes(AttributeValue.s("p")));
    byte[] leafEntry =
        concat(field(1, KeyCodec.encodeSortKey(AttributeValue.n(sk))), field(2, storedItem));
    Lock lock = partitions.locks().forToken(token).writeLock();
    lock.lock();
    try {
      partitions.writer().put(t, token, RecordTestAccess.entry(ByteString.copyFrom(leafEntry)));
    } finally {
      lock.unlock();
    }
  }

  private static byte[] bytes(String s) {
    return s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }

  /** A length-delimited protobuf field. */
  private static byte[] field(int number, byte[] body) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(body.length + 8);
    CodedOutputStream cos = CodedOutputStream.newInstance(out);
    cos.writeByteArray(number, body);
    cos.flush();
    return out.toByteArray();
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }
}
