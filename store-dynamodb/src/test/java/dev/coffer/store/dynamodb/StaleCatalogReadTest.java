package dev.coffer.store.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coffer.AttributeType;
import dev.coffer.AttributeValue;
import dev.coffer.Coffer;
import dev.coffer.CofferOptions;
import dev.coffer.Condition;
import dev.coffer.CorruptionException;
import dev.coffer.DataKeyVersionInfo;
import dev.coffer.Item;
import dev.coffer.Key;
import dev.coffer.PutItemRequest;
import dev.coffer.Query;
import dev.coffer.Scan;
import dev.coffer.Table;
import dev.coffer.TableSpec;
import dev.coffer.Update;
import dev.coffer.UpdateItemRequest;
import dev.coffer.kms.KeyManagement.CreateKeyRequest;
import dev.coffer.kms.memory.InMemoryKeyProvider;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;

/**
 * The race behind {@code RotationAcrossJvmsTest}'s old flakiness, made deterministic: two instances
 * of one store in this JVM, on one dynalite table. Instance B rotates a table's data key and writes
 * under the new version; instance A, whose catalog is older (its refresh interval is an hour, so it
 * never reads the catalog again on its own), then meets records sealed under a version it does not
 * know. Each read path must read the catalog again once and go on: point reads, Query and Scan, the
 * write path's read before a conditional write or an update, and a blind write returning the item
 * it replaced. A version that no catalog names (a damaged record) still fails as damage, after one
 * catalog read and without a loop.
 */
class StaleCatalogReadTest {
  private final InMemoryKeyProvider provider = InMemoryKeyProvider.create();
  private final String masterKey =
      provider.createKey(CreateKeyRequest.withDescription("stale catalog")).keyId();
  private final String ddbTable = LocalDynamo.freshTable("stale");
  private final DynamoDbClient raw = LocalDynamo.client(null);
  private final LocalDynamo.RequestCounter requestsOfA = new LocalDynamo.RequestCounter();
  private Coffer a;
  private Coffer b;

  private CofferOptions options(LocalDynamo.RequestCounter counter) {
    return CofferOptions.builder()
        .keyProvider(provider)
        .masterKeyId(masterKey)
        .accessCheckInterval(Duration.ofHours(1)) // no refresh on its own during the test
        .backend(
            DynamoDbBackend.builder()
                .client(counter == null ? raw : LocalDynamo.client(counter))
                .tableName(ddbTable)
                .build())
        .build();
  }

  @BeforeEach
  void twoInstances() {
    b = Coffer.open(options(null));
    b.createTable(
        TableSpec.builder()
            .name("events")
            .partitionKey("pk", AttributeType.S)
            .sortKey("sk", AttributeType.N)
            .pageTargetBytes(400)
            .build());
    b.createTable(TableSpec.builder().name("flat").partitionKey("pk", AttributeType.S).build());
    a = Coffer.open(options(requestsOfA)); // reads the catalog now: version 1 only
  }

  @AfterEach
  void close() {
    if (a != null) {
      a.close();
    }
    if (b != null) {
      b.close();
    }
  }

  private static Item event(String pk, int sk, String v) {
    return Item.builder().string("pk", pk).number("sk", sk).string("v", v).build();
  }

  private static Key key(String pk, int sk) {
    return Key.of(AttributeValue.s(pk), AttributeValue.n(sk));
  }

  /** B rotates {@code table}'s data key (to version 2); A has not seen it. */
  private void rotateInB(String table) {
    assertThat(b.table(table).rotateDataKey()).isEqualTo(2);
    assertThat(a.table(table).describe().dataKeys()).hasSize(1); // A's view is stale
  }

  private static void assertCaughtUp(Table t) {
    assertThat(t.describe().dataKeys())
        .extracting(DataKeyVersionInfo::version, DataKeyVersionInfo::state)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(1, DataKeyVersionInfo.State.RETIRED),
            org.assertj.core.groups.Tuple.tuple(2, DataKeyVersionInfo.State.PRIMARY));
  }

  @Test
  void aPointReadOfARecordSealedUnderANewerVersionReadsTheCatalogAgain() {
    rotateInB("events");
    b.table("events").putItem(event("p", 1, "sealed under 2"));
    Table ta = a.table("events");
    assertThat(ta.getItem(key("p", 1)).orElseThrow().get("v").s()).isEqualTo("sealed under 2");
    assertCaughtUp(ta);
  }

  @Test
  void queryAndScanReadTheCatalogAgain() {
    Table ta = a.table("events");
    for (int i = 0; i < 20; i++) {
      ta.putItem(event("old", i, "v1 " + i)); // sealed under 1, several leaves
    }
    rotateInB("events");
    Table tb = b.table("events");
    for (int i = 0; i < 20; i++) {
      tb.putItem(event("new" + (i % 3), i, "v2 " + i));
    }
    tb.putItem(event("old", 100, "v2 in an old partition"));
    assertThat(ta.query(Query.partition("new1")).items()).hasSize(7);
    assertThat(ta.query(Query.partition("old")).items()).hasSize(21);
    assertThat(ta.scan(Scan.all()).items()).hasSize(41);
    assertCaughtUp(ta);
  }

  @Test
  void aScanMeetsTheNewVersionFirst() {
    rotateInB("events");
    Table tb = b.table("events");
    for (int i = 0; i < 12; i++) {
      tb.putItem(event("s" + i, i, "v2 " + i));
    }
    assertThat(a.table("events").scan(Scan.all()).items()).hasSize(12);
  }

  @Test
  void theReadBeforeAConditionalWriteOrAnUpdateReadsTheCatalogAgain() {
    Table ta = a.table("events");
    for (int i = 0; i < 20; i++) {
      ta.putItem(event("p", i, "v1 " + i));
    }
    rotateInB("events");
    b.table("events").putItem(event("p", 50, "from b"));
    ta.updateItem(
        UpdateItemRequest.builder()
            .key(key("p", 50))
            .update(Update.builder().add("n", AttributeValue.n(1)).build())
            .build());
    ta.putItem(
        PutItemRequest.builder()
            .item(event("p", 51, "from a"))
            .condition(Condition.attributeNotExists("sk"))
            .build());
    assertCaughtUp(ta);
    Table tb = b.table("events");
    assertThat(tb.getItem(key("p", 50)).orElseThrow().get("n").n()).isEqualTo("1");
    assertThat(tb.getItem(key("p", 51)).orElseThrow().get("v").s()).isEqualTo("from a");
    assertThat(tb.query(Query.partition("p")).items()).hasSize(22);
  }

  @Test
  void aBlindWriteThatReturnsTheItemItReplacedReadsTheCatalogAgain() {
    rotateInB("flat");
    Table tb = b.table("flat");
    tb.putItem(Item.builder().string("pk", "x").string("v", "b's").build());
    tb.putItem(Item.builder().string("pk", "y").string("v", "b's").build());
    Table ta = a.table("flat");
    assertThat(ta.putItemReturningOld(Item.builder().string("pk", "x").string("v", "a's").build()))
        .hasValueSatisfying(old -> assertThat(old.get("v").s()).isEqualTo("b's"));
    assertThat(ta.deleteItemReturningOld(Key.of(AttributeValue.s("y"))))
        .hasValueSatisfying(old -> assertThat(old.get("v").s()).isEqualTo("b's"));
    assertCaughtUp(ta);
  }

  @Test
  void aVersionNoCatalogNamesStaysDamageAfterOneCatalogRead() {
    Table tb = b.table("flat");
    tb.putItem(Item.builder().string("pk", "x").string("v", "one").build());
    tamperKeyVersion(9);
    Table ta = a.table("flat");
    ta.describe(); // a look-up made before counting
    for (int attempt = 0; attempt < 2; attempt++) {
      requestsOfA.reset();
      assertThatThrownBy(() -> ta.getItem(Key.of(AttributeValue.s("x"))))
          .isInstanceOf(CorruptionException.class)
          .hasMessageContaining("names data-key version 9, which this table does not have")
          .hasMessageContaining("not even after reading the shared catalog again");
      // the root, then one catalog read (the header and the entries), and no loop
      assertThat(requestsOfA.of("GetItem")).as(requestsOfA.toString()).isEqualTo(2);
      assertThat(requestsOfA.of("Query")).as(requestsOfA.toString()).isEqualTo(1);
    }
    assertThat(ta.describe().dataKeys()).hasSize(1);
  }

  /**
   * Rewrites the key version in the envelope of the one partition root the DynamoDB table holds
   * (version 1 to {@code version}): a record naming a version no catalog has.
   */
  private void tamperKeyVersion(int version) {
    var items = raw.scan(ScanRequest.builder().tableName(ddbTable).build()).items();
    List<Map<String, software.amazon.awssdk.services.dynamodb.model.AttributeValue>> roots =
        items.stream()
            .filter(i -> i.get("p").b().asByteArray().length == 20)
            .filter(i -> isRootSort(i.get("s").b().asByteArray()))
            .toList();
    assertThat(roots).hasSize(1);
    var item = new HashMap<>(roots.get(0));
    byte[] r = item.get("r").b().asByteArray();
    int at = indexOf(r, new byte[] {0x08, 0x02, 0x10, 0x01}); // envelope format 2, key version 1
    assertThat(at).isNotNegative();
    r[at + 3] = (byte) version;
    item.put(
        "r",
        software.amazon.awssdk.services.dynamodb.model.AttributeValue.builder()
            .b(SdkBytes.fromByteArray(r))
            .build());
    raw.putItem(b -> b.tableName(ddbTable).item(item));
  }

  private static boolean isRootSort(byte[] s) {
    for (byte x : s) {
      if (x != 0) {
        return false;
      }
    }
    return true;
  }

  private static int indexOf(byte[] hay, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= hay.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (hay[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
