package dev.coffer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A session that only looks ({@code moveRollbackAnchor(false)}, what the command line's read
 * commands open) writes nothing its own writes would not anchor: no automatic data-key rotation or
 * background re-encryption from item operations, and no sealed state bound at open after accepting
 * a deleted state record.
 */
class LookOnlySessionTest {
  @TempDir Path dir;

  private final TestStores stores = new TestStores();
  private final MutableClock clock = new MutableClock();

  private CofferOptions.Builder options() {
    return stores.options().clock(clock);
  }

  private static final byte[] STATE_KEY = "coffer/state".getBytes(StandardCharsets.US_ASCII);

  private byte[] stateRecord() throws Exception {
    try (RawStore raw = new RawStore(dir)) {
      return raw.get(raw.families().get("default"), STATE_KEY);
    }
  }

  /**
   * Before, every item operation (reads too) ran the table's rotation policy, so a get-item on a
   * table whose key was due rotated it (and re-encrypted in the background), unanchored.
   */
  @Test
  void itemReadsOfALookOnlySessionRunNoAutomaticRotation() {
    try (Coffer c = Coffer.open(dir, options().build())) {
      Table t =
          c.createTable(
              TableSpec.builder()
                  .name("aged")
                  .partitionKey("id", AttributeType.S)
                  .rotateAfterDays(30)
                  .rotateAfterPages(0)
                  .autoReencrypt(true)
                  .build());
      t.putItem(Item.builder().string("id", "a").build());
    }
    clock.advance(Duration.ofDays(31)); // the primary version is due
    try (Coffer c = Coffer.open(dir, options().moveRollbackAnchor(false).build())) {
      Table t = c.table("aged");
      assertThat(t.getItem(Key.of("a"))).isPresent();
      t.query(Query.partition("a"));
      assertThat(t.describe().primaryDataKeyVersion()).isEqualTo(1);
      assertThat(t.describe().dataKeys()).hasSize(1);
    }
    try (Coffer c = Coffer.open(dir, options().build())) {
      Table t = c.table("aged");
      assertThat(t.describe().primaryDataKeyVersion()).isEqualTo(1); // nothing written meanwhile
      assertThat(t.getItem(Key.of("a"))).isPresent(); // a session that moves the anchor rotates
      assertThat(t.describe().primaryDataKeyVersion()).isEqualTo(2);
    }
  }

  /**
   * Before, a look-only open that accepted a bound store's deleted state record wrote a new bound
   * state while reading the catalog, so the next open passed with no acceptance recorded.
   */
  @Test
  void aLookOnlyAcceptOfADeletedStateRecordWritesNoState() throws Exception {
    try (Coffer c = Coffer.open(dir, options().build())) {
      c.createTable(TableSpec.builder().name("things").partitionKey("id", AttributeType.S).build())
          .putItem(Item.builder().string("id", "a").build());
    }
    try (RawStore raw = new RawStore(dir)) {
      raw.delete(raw.families().get("default"), STATE_KEY);
    }
    try (Coffer c =
        Coffer.open(dir, options().moveRollbackAnchor(false).acceptRollback(true).build())) {
      assertThat(c.table("things").getItem(Key.of("a"))).isPresent();
      assertThat(c.lastAcceptedRollback()).isEmpty();
    }
    assertThat(stateRecord()).as("the look-only session wrote no state").isNull();
    assertThatThrownBy(() -> Coffer.open(dir, options().build()))
        .isInstanceOf(CorruptionException.class)
        .hasMessageContaining("sealed state record is missing");
    try (Coffer c = Coffer.open(dir, options().acceptRollback(true).build())) {
      assertThat(c.lastAcceptedRollback().orElseThrow().reason())
          .isEqualTo(AcceptedRollback.Reason.STATE_MISSING);
    }
    assertThat(stateRecord()).isNotNull();
  }
}
