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
import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;

/**
 * Writes the markers of the embedded store's no-plaintext test into a table name, key attribute
 * names, other attribute names, keys and values (strings, nested, binary, large values split into
 * chunks), then reads every item of the DynamoDB table back raw through the AWS SDK and searches
 * every attribute name and value for each marker in UTF-8, UTF-16LE and UTF-16BE: after the writes,
 * after a key rotation and re-encryption, and after deletions and garbage collection.
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
    List<byte[]> fields = new ArrayList<>();
    Map<String, software.amazon.awssdk.services.dynamodb.model.AttributeValue> start = null;
    int items = 0;
    do {
      var startKey = start;
      ScanResponse r = client.scan(s -> s.tableName(table).exclusiveStartKey(startKey));
      for (var item : r.items()) {
        items++;
        item.forEach(
            (name, value) -> {
              fields.add(name.getBytes(StandardCharsets.UTF_8));
              fields.add(raw(value));
            });
      }
      start =
          r.hasLastEvaluatedKey() && !r.lastEvaluatedKey().isEmpty() ? r.lastEvaluatedKey() : null;
    } while (start != null);
    assertThat(items).as(when).isGreaterThan(20);
    for (byte[] f : fields) {
      for (String marker : MARKERS) {
        for (Charset cs :
            List.of(StandardCharsets.UTF_8, StandardCharsets.UTF_16LE, StandardCharsets.UTF_16BE)) {
          assertThat(indexOf(f, marker.getBytes(cs)))
              .as("%s: marker %s (%s)", when, marker, cs)
              .isEqualTo(-1);
        }
      }
    }
  }

  /**
   * The bytes of any attribute value: binary as is, strings and numbers as their text, sets and
   * lists joined.
   */
  private static byte[] raw(software.amazon.awssdk.services.dynamodb.model.AttributeValue v) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    if (v.b() != null) {
      out.writeBytes(v.b().asByteArray());
    }
    if (v.s() != null) {
      out.writeBytes(v.s().getBytes(StandardCharsets.UTF_8));
    }
    if (v.n() != null) {
      out.writeBytes(v.n().getBytes(StandardCharsets.UTF_8));
    }
    v.ss().forEach(s -> out.writeBytes(s.getBytes(StandardCharsets.UTF_8)));
    v.bs().forEach(b -> out.writeBytes(b.asByteArray()));
    v.l().forEach(x -> out.writeBytes(raw(x)));
    v.m()
        .forEach(
            (k, x) -> {
              out.writeBytes(k.getBytes(StandardCharsets.UTF_8));
              out.writeBytes(raw(x));
            });
    return out.toByteArray();
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i <= haystack.length - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
