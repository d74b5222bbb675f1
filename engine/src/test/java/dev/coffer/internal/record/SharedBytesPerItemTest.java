package dev.coffer.internal.record;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coffer.AttributeType;
import dev.coffer.Coffer;
import dev.coffer.CofferOptions;
import dev.coffer.Item;
import dev.coffer.Table;
import dev.coffer.TableSpec;
import dev.coffer.internal.model.ItemSizes;
import dev.coffer.internal.query.ItemOperations;
import dev.coffer.kms.KeyManagement.CreateKeyRequest;
import dev.coffer.kms.memory.InMemoryKeyProvider;
import dev.coffer.spi.BackendRecord;
import dev.coffer.spi.MemoryBackend;
import java.time.Duration;
import java.util.Locale;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;

/**
 * Where the bytes of an item go on a shared backend (the breakdown in {@code docs/scale-out.md},
 * "Bytes per item"): 100 items of about 70 bytes (as DynamoDB sizes them) in a table without a sort
 * key, and 100 in one partition of a table with one, each table alone in a store on the in-memory
 * backend, after the replaced nodes were collected. Each record is sized as DynamoDB sizes an item
 * (attribute names {@code p s r v} and their values, the version as a number) and split into its
 * parts: keys, attribute names, version, the node's framing, the envelope (header, nonce, tag) and
 * the plaintext (the page body around the items' {@code LeafEntry} encodings). The parts must add
 * up to the whole; the test prints them.
 */
class SharedBytesPerItemTest {
  private static final int ITEMS = 100;

  /** The size of a number attribute's value as DynamoDB counts it. */
  static long numberBytes(long v) {
    String digits = Long.toString(v).replace("-", "").replaceFirst("0+$", "");
    return Math.max(1, (digits.length() + 1) / 2 + 1) + (v < 0 ? 1 : 0);
  }

  /** Bytes per item, by part. */
  static final class Parts {
    long records;
    long keys;
    long names;
    long version;
    long value;
    long framing;
    long envelopeHeader;
    long nonce;
    long tag;
    long plaintext;
    long indexRecords;
    long indexBytes;
    long items;
    long leafEntries;
    long itemBytes;

    long total() {
      return keys + names + version + value + indexBytes;
    }

    String line(String what) {
      double n = items;
      return String.format(
          Locale.ROOT,
          "  %-24s item %5.1f | stored %5.1f (%.2fx) = keys %.1f + names %.1f + version %.1f"
              + " + framing %.1f + envelope header %.1f + nonce %.1f + tag %.1f + plaintext %.1f"
              + " (LeafEntry %.1f) + index entries %.1f%n",
          what,
          itemBytes / n,
          total() / n,
          (double) total() / itemBytes,
          keys / n,
          names / n,
          version / n,
          framing / n,
          envelopeHeader / n,
          nonce / n,
          tag / n,
          plaintext / n,
          leafEntries / n,
          indexBytes / n);
    }
  }

  private static Parts measure(TableSpec spec, IntFunction<Item> item) throws Exception {
    InMemoryKeyProvider provider = InMemoryKeyProvider.create();
    String key = provider.createKey(CreateKeyRequest.withDescription("bytes")).keyId();
    MemoryBackend backend = new MemoryBackend();
    Parts p = new Parts();
    try (Coffer c =
        Coffer.open(
            CofferOptions.builder()
                .keyProvider(provider)
                .masterKeyId(key)
                .backend(backend)
                .garbageGracePeriod(Duration.ofMillis(50))
                .build())) {
      Table t = c.createTable(spec);
      for (int i = 0; i < ITEMS; i++) {
        Item it = item.apply(i);
        t.putItem(it);
        p.items++;
        p.itemBytes += ItemSizes.sizeOf(it);
        p.leafEntries += ItemOperations.entry(t.keySchema(), it).encodedSize();
      }
      Thread.sleep(200); // every replaced node older than the grace period
      c.collectGarbage();
    }
    for (BackendRecord r : backend.all()) {
      int pk = r.partitionKey().length;
      long size = 4 + pk + r.sortKey().length + numberBytes(r.version()) + r.value().length;
      if (pk == RecordKeys.TABLE_ID_BYTES + 1) {
        p.indexRecords++;
        p.indexBytes += size;
      } else if (pk == RecordKeys.TABLE_ID_BYTES + RecordKeys.TOKEN_BYTES) {
        p.records++;
        p.keys += pk + r.sortKey().length;
        p.names += 4;
        p.version += numberBytes(r.version());
        p.value += r.value().length;
        RecordFormat.Spans spans = RecordFormat.records(r.value());
        assertThat(spans.count()).isEqualTo(1);
        RecordFormat.Envelope env =
            RecordFormat.parseEnvelope(r.value(), spans.offset(0), spans.length(0));
        p.framing += spans.offset(0);
        p.envelopeHeader += env.ciphertextOffset - spans.offset(0) - env.nonceLength;
        p.nonce += env.nonceLength;
        p.tag += RecordFormat.TAG_BYTES;
        p.plaintext += env.ciphertextLength - RecordFormat.TAG_BYTES;
        assertThat(env.ciphertextOffset + env.ciphertextLength).isEqualTo(r.value().length);
      }
    }
    assertThat(p.framing + p.envelopeHeader + p.nonce + p.tag + p.plaintext).isEqualTo(p.value);
    assertThat(p.plaintext).isGreaterThanOrEqualTo(p.leafEntries); // the items are all in there
    return p;
  }

  @Test
  void whereTheBytesOfAnItemGo() throws Exception {
    Parts flat =
        measure(
            TableSpec.builder().name("flat").partitionKey("id", AttributeType.S).build(),
            i ->
                Item.builder()
                    .string("id", "order-" + i)
                    .string("status", "shipped")
                    .string("address", "1 Example Street, Springfield")
                    .number("total", 100 + i)
                    .build());
    Parts rows =
        measure(
            TableSpec.builder()
                .name("rows")
                .partitionKey("pk", AttributeType.S)
                .sortKey("sk", AttributeType.N)
                .build(),
            i ->
                Item.builder()
                    .string("pk", "customer-17")
                    .number("sk", i)
                    .string("status", "shipped")
                    .string("address", "1 Example Street, Springfield")
                    .number("total", 100 + i)
                    .build());
    assertThat(flat.records).isEqualTo(ITEMS); // one root leaf per item
    assertThat(flat.indexRecords).isEqualTo(ITEMS); // and one index entry
    assertThat(rows.indexRecords).isEqualTo(1);
    System.out.println(
        "\nShared backend: bytes per item, by part\n"
            + flat.line("no sort key")
            + rows.line("100-item partition"));
  }
}
