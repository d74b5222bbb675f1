package dev.coffer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coffer.fixture.FormatFixture;
import dev.coffer.kms.local.LocalKeyProvider;
import dev.coffer.proto.SealedPage;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15, leftover: once a table's re-encryption has left no record of envelope format 1
 * (AES-256-GCM under the page key itself), its catalog entry says so and a format-1 record put back
 * from an older copy is refused with {@code CorruptionException}; before the re-encryption the same
 * record is still read (the table may hold format-1 records legitimately). The format-2 fixture,
 * written by older code, holds only format-1 records.
 */
class OlderEnvelopeRefusalTest {
  private static final Path FIXTURE = Path.of("src/test/resources/fixtures/format2");

  @TempDir Path dir;

  private Coffer open(LocalKeyProvider keys) {
    return Coffer.open(
        dir.resolve("store"),
        CofferOptions.builder()
            .keyProvider(keys)
            .masterKeyId(FormatFixture.MASTER_KEY)
            .createIfMissing(false)
            .build());
  }

  /** Every node of the table's column family: key (as a buffer) to raw value. */
  private Map<ByteBuffer, byte[]> nodes(String tableId) throws Exception {
    Map<ByteBuffer, byte[]> out = new HashMap<>();
    try (RawStore raw = new RawStore(dir.resolve("store"))) {
      for (Map.Entry<byte[], byte[]> e : raw.entries(raw.family(tableId)).entrySet()) {
        out.put(ByteBuffer.wrap(e.getKey()), e.getValue());
      }
    }
    return out;
  }

  private void putBack(String tableId, ByteBuffer key, byte[] value) throws Exception {
    try (RawStore raw = new RawStore(dir.resolve("store"))) {
      raw.put(raw.family(tableId), key.array(), value);
    }
  }

  private static int envelopeFormat(byte[] nodeValue) throws Exception {
    List<byte[]> records = RawStore.split(nodeValue);
    return SealedPage.parseFrom(records.get(0)).getFormatVersion();
  }

  @Test
  void aFormatOneRecordPutBackIsReadBeforeReencryptionAndRefusedAfter() throws Exception {
    FormatFixture.copy(FIXTURE, dir);
    try (LocalKeyProvider keys =
        FormatFixture.provider(dir.resolve("keystore"), FormatFixture.rawKey(dir))) {
      String id;
      try (Coffer c = open(keys)) {
        id = c.table("users").describe().tableId();
      }
      Map<ByteBuffer, byte[]> before = nodes(id);
      try (Coffer c = open(keys)) { // user#2's node (its own partition) is re-sealed in format 2
        c.table("users")
            .putItem(Item.builder().string("id", "user#2").string("name", "changed").build());
      }
      Map<ByteBuffer, byte[]> after = nodes(id);
      ByteBuffer changed =
          before.keySet().stream()
              .filter(k -> after.containsKey(k) && !Arrays.equals(before.get(k), after.get(k)))
              .findFirst()
              .orElseThrow();
      byte[] old = before.get(changed);
      assertThat(envelopeFormat(old)).isEqualTo(1);
      assertThat(envelopeFormat(after.get(changed))).isEqualTo(2);

      // before re-encryption: the older format-1 record put back is still read (a rollback of one
      // partition, which the record layer's freshness is about, not the envelope format)
      putBack(id, changed, old);
      try (Coffer c = open(keys)) {
        assertThat(c.table("users").getItem(Key.of("user#2")).orElseThrow().get("name").s())
            .isEqualTo("User 2");
        assertThat(c.table("users").reencrypt(ReencryptOptions.defaults()).finished()).isTrue();
      }
      assertThat(nodes(id).values()).allSatisfy(v -> assertThat(envelopeFormat(v)).isEqualTo(2));

      // after: the same record put back is refused, by reads and by verify
      putBack(id, changed, old);
      try (Coffer c = open(keys)) {
        Table users = c.table("users");
        assertThatThrownBy(() -> users.getItem(Key.of("user#2")))
            .isInstanceOf(CorruptionException.class)
            .hasMessageContaining("envelope format 1, which this table no longer accepts");
        assertThat(users.getItem(Key.of("user#3"))).isPresent(); // the other partitions read
        assertThat(users.verify().clean()).isFalse();
        // another table of the store, not re-encrypted yet, still reads its format-1 records
        assertThat(FormatFixture.scanAll(c.table("numbers"))).isNotEmpty();
      }
    }
  }

  /** A table created by this code (format 2 only) refuses format-1 records from its creation. */
  @Test
  void aNewTableRefusesFormatOneFromItsCreation() throws Exception {
    FormatFixture.copy(FIXTURE, dir);
    try (LocalKeyProvider keys =
        FormatFixture.provider(dir.resolve("keystore"), FormatFixture.rawKey(dir))) {
      String id;
      try (Coffer c = open(keys)) {
        Table t =
            c.createTable(
                TableSpec.builder().name("fresh").partitionKey("id", AttributeType.S).build());
        t.putItem(Item.builder().string("id", "a").build());
        id = t.describe().tableId();
      }
      Map<ByteBuffer, byte[]> nodes = nodes(id);
      assertThat(nodes).hasSize(1);
      ByteBuffer key = nodes.keySet().iterator().next();
      // the same record relabelled as format 1: refused for its format before its tag is checked
      byte[] relabelled = asFormatOne(nodes.get(key));
      putBack(id, key, relabelled);
      try (Coffer c = open(keys)) {
        assertThatThrownBy(() -> c.table("fresh").getItem(Key.of("a")))
            .isInstanceOf(CorruptionException.class)
            .hasMessageContaining("envelope format 1, which this table no longer accepts");
      }
    }
  }

  private static byte[] asFormatOne(byte[] nodeValue) throws Exception {
    List<byte[]> records = RawStore.split(nodeValue);
    SealedPage p = SealedPage.parseFrom(records.get(0));
    records.set(
        0,
        p.toBuilder()
            .setFormatVersion(1)
            .setNonce(p.getNonce().substring(0, 12))
            .build()
            .toByteArray());
    return RawStore.join(records);
  }
}
