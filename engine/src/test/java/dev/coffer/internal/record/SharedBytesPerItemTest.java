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
 * backend, after the replaced nodes were collected; and the same with items of 256 B and 1 KiB.
 * Each record is sized as DynamoDB sizes the item the DynamoDB backend writes for it (layout 2:
 * attribute names {@code p s r v} and their values, the version binary) and split into its parts:
 * keys, attribute names, version, the node's framing, the envelope (header, nonce, tag) and the
 * plaintext (the page body around the items' {@code LeafEntry} encodings). The parts must add up to
 * the whole; the test prints them.
 */
class SharedBytesPerItemTest {
  private static final int ITEMS = 100;

  /**
   * The size of the version attribute's value as the DynamoDB backend writes it: binary,
   * big-endian, without leading zero bytes, at least one byte.
   */
  static long versionBytes(long v) {
    return Math.max(1, 8 - Long.numberOfLeadingZeros(v) / 8);
  }

  /**
   * A record's size as DynamoDB sizes the item the DynamoDB backend writes: the names {@code p s
   * v}, and {@code r} with the value when it is not empty (index entries have none), and their
   * values.
   */
  static long itemBytes(BackendRecord r) {
    return names(r)
        + r.partitionKey().length
        + r.sortKey().length
        + versionBytes(r.version())
        + r.value().length;
  }

  static long names(BackendRecord r) {
    return r.value().length > 0 ? 4 : 3;
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
      long size = itemBytes(r);
      if (pk == SharedKeys.INDEX_PARTITION_BYTES) {
        p.indexRecords++;
        p.indexBytes += size;
      } else if (pk == SharedKeys.NODE_PARTITION_BYTES) {
        p.records++;
        p.keys += pk + r.sortKey().length;
        p.names += names(r);
        p.version += versionBytes(r.version());
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

  /**
   * {@code base} with a string attribute {@code body} added so that the item is {@code target}
   * bytes as DynamoDB sizes it ({@code base} itself when it is that large already).
   */
  static Item sized(Item base, int target) {
    long size = ItemSizes.sizeOf(base);
    int pad = (int) (target - size - "body".length());
    if (pad <= 0) {
      return base;
    }
    Item out = base.toBuilder().string("body", "x".repeat(pad)).build();
    assertThat(ItemSizes.sizeOf(out)).isEqualTo(target);
    return out;
  }

  static Parts flat(int target) throws Exception {
    return measure(
        TableSpec.builder().name("flat").partitionKey("id", AttributeType.S).build(),
        i ->
            sized(
                Item.builder()
                    .string("id", "order-" + i)
                    .string("status", "shipped")
                    .string("address", "1 Example Street, Springfield")
                    .number("total", 100 + i)
                    .build(),
                target));
  }

  static Parts rows(int target) throws Exception {
    return measure(
        TableSpec.builder()
            .name("rows")
            .partitionKey("pk", AttributeType.S)
            .sortKey("sk", AttributeType.N)
            .build(),
        i ->
            sized(
                Item.builder()
                    .string("pk", "customer-17")
                    .number("sk", i)
                    .string("status", "shipped")
                    .string("address", "1 Example Street, Springfield")
                    .number("total", 100 + i)
                    .build(),
                target));
  }

  @Test
  void whereTheBytesOfAnItemGo() throws Exception {
    StringBuilder out = new StringBuilder("\nShared backend: bytes per item, by part\n");
    for (int target : new int[] {0, 256, 1024}) {
      Parts flat = flat(target);
      Parts rows = rows(target);
      assertThat(flat.records).isEqualTo(ITEMS); // one root leaf per item
      assertThat(flat.indexRecords).isEqualTo(ITEMS); // and one index entry
      assertThat(rows.indexRecords).isEqualTo(1);
      String size = target == 0 ? "small" : target + " B";
      out.append(flat.line("no sort key, " + size)).append(rows.line("100-item part., " + size));
    }
    System.out.println(out);
  }
}
