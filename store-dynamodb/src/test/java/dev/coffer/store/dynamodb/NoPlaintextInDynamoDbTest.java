package dev.coffer.store.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coffer.AttributeType;
import dev.coffer.AttributeValue;
import dev.coffer.Coffer;
import dev.coffer.CofferOptions;
import dev.coffer.Item;
import dev.coffer.Key;
import dev.coffer.Table;
import dev.coffer.TableSpec;
import dev.coffer.kms.KeyDescription;
import dev.coffer.kms.KeyManagement.CreateKeyRequest;
import dev.coffer.kms.memory.InMemoryKeyProvider;
import dev.coffer.testkit.RawDynamoDbItems;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Writes the markers of the embedded store's no-plaintext test into a table name, key attribute
 * names, other attribute names, keys and values (strings, nested, binary, large values split into
 * chunks), then reads every item of the DynamoDB table back raw through the AWS SDK and searches
 * every attribute name and value for each marker in UTF-8, UTF-16LE and UTF-16BE ({@link
 * RawDynamoDbItems}): after the writes, after a key rotation and re-encryption, and after deletions
 * and garbage collection.
 */
class NoPlaintextInDynamoDbTest {
  private static final List<String> MARKERS =
      List.of(
          "TblMarkerQx7",
          "AttrMarkerQx7",
          "PkMarkerQx7",
          "SkMarkerQx7",
          "ValueMarkerQx7",
          "NestedMarkerQx7",
          "BinMarkerQx7",
          "PkNameMarkerQx7",
          "SkNameMarkerQx7",
          "BigMarkerQx7");

  @Test
  void noMarkerInAnyItem() {
    InMemoryKeyProvider provider = InMemoryKeyProvider.create();
    KeyDescription key = provider.createKey(CreateKeyRequest.withDescription("markers"));
    String ddbTable = LocalDynamo.freshTable("plaintext");
    DynamoDbClient client = LocalDynamo.client(null);
    CofferOptions options =
        CofferOptions.builder()
            .keyProvider(provider)
            .masterKeyId(key.keyId())
            .garbageGracePeriod(Duration.ofMillis(300))
            .accessCheckInterval(Duration.ofSeconds(1))
            .backend(DynamoDbBackend.builder().client(client).tableName(ddbTable).build())
            .build();
    try (Coffer c = Coffer.open(options)) {
      Table t =
          c.createTable(
              TableSpec.builder()
                  .name("TblMarkerQx7")
                  .partitionKey("PkNameMarkerQx7", AttributeType.S)
                  .sortKey("SkNameMarkerQx7", AttributeType.S)
                  .pageTargetBytes(512)
                  .build());
      Table single =
          c.createTable(
              TableSpec.builder()
                  .name("TblMarkerQx7-single")
                  .partitionKey("PkNameMarkerQx7", AttributeType.S)
                  .build());
      for (int i = 0; i < 120; i++) {
        Item item =
            Item.builder()
                .string("PkNameMarkerQx7", "PkMarkerQx7-" + (i % 7))
                .string("SkNameMarkerQx7", "SkMarkerQx7-" + i)
                .string("AttrMarkerQx7", "ValueMarkerQx7 " + i)
                .put(
                    "nested",
                    AttributeValue.m(Map.of("k", AttributeValue.ss(List.of("NestedMarkerQx7")))))
                .bytes("bin", "BinMarkerQx7".getBytes(StandardCharsets.UTF_8))
                .build();
        t.putItem(item);
        single.putItem(
            Item.builder()
                .string("PkNameMarkerQx7", "PkMarkerQx7-" + i)
                .string("AttrMarkerQx7", "ValueMarkerQx7 " + i)
                .build());
      }
      single.putItem(
          Item.builder()
              .string("PkNameMarkerQx7", "PkMarkerQx7-big")
              .string("AttrMarkerQx7", "BigMarkerQx7 ".repeat(30_000))
              .build()); // ~390 KB: split into chunks
      assertNoMarkers(client, ddbTable, "after the writes");
      t.rotateDataKey();
      t.reencrypt(dev.coffer.ReencryptOptions.defaults());
      assertNoMarkers(client, ddbTable, "after rotation and re-encryption");
      for (int i = 0; i < 120; i += 3) {
        t.deleteItem(Key.of("PkMarkerQx7-" + (i % 7), "SkMarkerQx7-" + i));
      }
      c.collectGarbage();
      assertNoMarkers(client, ddbTable, "after deletions and garbage collection");
    }
  }

  private static void assertNoMarkers(DynamoDbClient client, String table, String when) {
    RawDynamoDbItems.Search search = RawDynamoDbItems.search(client, table, MARKERS);
    assertThat(search.items()).as(when).isGreaterThan(20);
    assertThat(search.hits()).as(when).isEmpty();
  }
}
