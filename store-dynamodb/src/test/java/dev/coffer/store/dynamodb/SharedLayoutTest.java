package dev.coffer.store.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coffer.AttributeType;
import dev.coffer.Coffer;
import dev.coffer.CofferOptions;
import dev.coffer.Item;
import dev.coffer.Key;
import dev.coffer.Table;
import dev.coffer.TableSpec;
import dev.coffer.ValidationException;
import dev.coffer.kms.KeyManagement.CreateKeyRequest;
import dev.coffer.kms.memory.InMemoryKeyProvider;
import dev.coffer.proto.StoreHeader;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;

/**
 * Layout 2 of a store in DynamoDB ({@code docs/scale-out.md}, "The record layout"), read raw
 * through the SDK from dynalite: the items are as the layout says (4-byte table keys, one-byte root
 * sort keys, index entries without a value, versions binary); and a store written in layout 1
 * (store format 3, versions as numbers) is refused with the way to migrate, without a write.
 */
class SharedLayoutTest {
  private static final AttributeValue STORE_PARTITION =
      AttributeValue.fromB(SdkBytes.fromUtf8String("coffer/store"));
  private static final AttributeValue HEADER_SORT =
      AttributeValue.fromB(SdkBytes.fromUtf8String("coffer/header"));

  private final InMemoryKeyProvider provider = InMemoryKeyProvider.create();
  private final String masterKey =
      provider.createKey(CreateKeyRequest.withDescription("layout")).keyId();

  private CofferOptions options(DynamoDbClient client, String ddbTable) {
    return CofferOptions.builder()
        .keyProvider(provider)
        .masterKeyId(masterKey)
        .backend(DynamoDbBackend.builder().client(client).tableName(ddbTable).build())
        .build();
  }

  private static List<Map<String, AttributeValue>> items(DynamoDbClient client, String ddbTable) {
    return client.scan(ScanRequest.builder().tableName(ddbTable).build()).items();
  }

  @Test
  void theItemsAreInLayout2() {
    String ddbTable = LocalDynamo.freshTable("layout");
    DynamoDbClient client = LocalDynamo.client(null);
    byte[] tableKey;
    try (Coffer c = Coffer.open(options(client, ddbTable))) {
      Table t =
          c.createTable(
              TableSpec.builder().name("flat").partitionKey("id", AttributeType.S).build());
      for (int i = 0; i < 5; i++) {
        t.putItem(Item.builder().string("id", "k" + i).string("v", "value " + i).build());
      }
      assertThat(t.getItem(Key.of("k3"))).isPresent();
    }
    List<Map<String, AttributeValue>> items = items(client, ddbTable);
    List<Map<String, AttributeValue>> roots =
        items.stream().filter(i -> i.get("p").b().asByteArray().length == 20).toList();
    List<Map<String, AttributeValue>> index =
        items.stream().filter(i -> i.get("p").b().asByteArray().length == 5).toList();
    assertThat(roots).hasSize(5);
    assertThat(index).hasSize(5);
    tableKey = Arrays.copyOf(roots.get(0).get("p").b().asByteArray(), 4);
    for (Map<String, AttributeValue> r : roots) {
      assertThat(r.get("s").b().asByteArray()).containsExactly(0); // the root's one-byte sort key
      assertThat(r.get("v").b().asByteArray()).hasSizeBetween(1, 8);
      assertThat(r.keySet()).containsExactlyInAnyOrder("p", "s", "r", "v");
      assertThat(Arrays.copyOf(r.get("p").b().asByteArray(), 4)).isEqualTo(tableKey);
    }
    for (Map<String, AttributeValue> e : index) {
      assertThat(e.keySet()).containsExactlyInAnyOrder("p", "s", "v"); // no value
      assertThat(e.get("s").b().asByteArray()).hasSize(16); // the token
    }
    // the table key is reserved for good in the store's meta partition
    byte[] meta = "coffer/meta".getBytes(StandardCharsets.US_ASCII);
    byte[] prefix = "tablekey/".getBytes(StandardCharsets.US_ASCII);
    List<byte[]> reservations =
        items.stream()
            .filter(i -> Arrays.equals(i.get("p").b().asByteArray(), meta))
            .map(i -> i.get("s").b().asByteArray())
            .filter(sk -> sk.length > prefix.length && Arrays.equals(sk, 0, 9, prefix, 0, 9))
            .toList();
    assertThat(reservations).hasSize(1);
    assertThat(Arrays.copyOfRange(reservations.get(0), 9, reservations.get(0).length))
        .isEqualTo(tableKey);
  }

  @Test
  void aStoreInLayout1IsRefusedWithTheWayToMigrate() throws Exception {
    String ddbTable = LocalDynamo.freshTable("layout1");
    DynamoDbClient client = LocalDynamo.client(null);
    try (Coffer c = Coffer.open(options(client, ddbTable))) {
      c.createTable(TableSpec.builder().name("flat").partitionKey("id", AttributeType.S).build())
          .putItem(Item.builder().string("id", "k").string("v", "kept").build());
    }
    // The header as layout 1 wrote it: store format 3, its version a number.
    Map<String, AttributeValue> header = headerItem(client, ddbTable);
    StoreHeader layout2 = StoreHeader.parseFrom(header.get("r").b().asByteArray());
    assertThat(layout2.getFormatVersion()).isEqualTo(4);
    Map<String, AttributeValue> layout1 = new HashMap<>(header);
    layout1.put(
        "r",
        AttributeValue.fromB(
            SdkBytes.fromByteArray(layout2.toBuilder().setFormatVersion(3).build().toByteArray())));
    layout1.put("v", AttributeValue.fromN("1"));
    client.putItem(PutItemRequest.builder().tableName(ddbTable).item(layout1).build());
    List<Map<String, AttributeValue>> before = items(client, ddbTable);

    assertThatThrownBy(() -> Coffer.open(options(client, ddbTable)))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("dynamodb:" + ddbTable)
        .hasMessageContaining("layout 1 of the shared record backend (store format 3)")
        .hasMessageContaining("export")
        .hasMessageContaining("import");
    assertThat(items(client, ddbTable)).containsExactlyInAnyOrderElementsOf(before); // no write

    // the same store with its layout-2 header opens and reads as before
    client.putItem(PutItemRequest.builder().tableName(ddbTable).item(header).build());
    try (Coffer c = Coffer.open(options(client, ddbTable))) {
      assertThat(c.table("flat").getItem(Key.of("k")).get().get("v").s()).isEqualTo("kept");
    }
  }

  private static Map<String, AttributeValue> headerItem(DynamoDbClient client, String ddbTable) {
    return items(client, ddbTable).stream()
        .filter(i -> i.get("p").equals(STORE_PARTITION) && i.get("s").equals(HEADER_SORT))
        .findFirst()
        .orElseThrow();
  }

  @Property
  void versionsRoundTripInTheirShortestBinary(@ForAll long version) {
    byte[] b = DynamoDbBackend.versionBytes(version);
    assertThat(DynamoDbBackend.version(b)).isEqualTo(version);
    assertThat(b.length).isBetween(1, 8);
    if (b.length > 1) {
      assertThat(b[0]).isNotZero(); // one encoding per version: v = :v compares versions
    }
  }
}
