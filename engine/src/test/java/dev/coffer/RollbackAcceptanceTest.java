package dev.coffer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15, accepting a rollback: only for the one open that is given {@code acceptRollback(true)},
 * logged (WARN: the store, the anchored epoch, the epoch found) and recorded in the store's sealed
 * state ({@link Coffer#lastAcceptedRollback()}); a damaged anchor names its file and the remedy,
 * and can be accepted too.
 */
class RollbackAcceptanceTest {
  @TempDir Path dir;

  private final TestStores stores = new TestStores();
  private final MutableClock clock = new MutableClock();

  private Path store() {
    return dir.resolve("store");
  }

  private Path anchors() {
    return dir.resolve("anchors");
  }

  private CofferOptions.Builder options() {
    return stores.options().rollbackAnchorDirectory(anchors()).clock(clock);
  }

  private Coffer open() {
    return Coffer.open(store(), options().build());
  }

  private static TableSpec things() {
    return TableSpec.builder().name("things").partitionKey("id", AttributeType.S).build();
  }

  private static Item item(String id) {
    return Item.builder().string("id", id).build();
  }

  /** What {@code action} logged (slf4j-simple writes to System.err) while it ran. */
  private static <T> String logged(Supplier<T> action, T[] result) {
    PrintStream err = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      result[0] = action.get();
    } finally {
      System.setErr(err);
    }
    return captured.toString(StandardCharsets.UTF_8);
  }

  @Test
  void anAcceptedRollbackIsLoggedAndRecordedInTheSealedState() throws Exception {
    try (Coffer c = open()) { // epoch 1, closed at 2
      c.createTable(things()).putItem(item("a"));
    }
    Path backup = dir.resolve("backup");
    StoreDirs.copy(store(), backup);
    try (Coffer c = open()) { // epoch 3, closed at 4
      assertThat(c.lastAcceptedRollback()).isEmpty();
      c.table("things").putItem(item("b"));
    }
    StoreDirs.replace(store(), backup); // a restore from the backup, at epoch 2
    assertThatThrownBy(this::open)
        .isInstanceOf(CorruptionException.class)
        .hasMessageContaining(store().toString())
        .hasMessageContaining("older than its rollback anchor (store epoch 2")
        .hasMessageContaining("at epoch 4")
        .hasMessageContaining("--accept-rollback");
    Coffer[] opened = new Coffer[1];
    String log = logged(() -> Coffer.open(store(), options().acceptRollback(true).build()), opened);
    try (Coffer c = opened[0]) {
      assertThat(log)
          .contains("WARN")
          .contains("Rollback accepted for the store " + store())
          .contains("anchored epoch 4, found epoch 2");
      AcceptedRollback r = c.lastAcceptedRollback().orElseThrow();
      assertThat(r.reason()).isEqualTo(AcceptedRollback.Reason.OLDER_THAN_ANCHOR);
      assertThat(r.anchoredEpoch()).isEqualTo(OptionalLong.of(4));
      assertThat(r.foundEpoch()).isEqualTo(2);
      assertThat(r.acceptedAt()).isEqualTo(clock.instant());
      assertThat(c.table("things").getItem(Key.of("b"))).isEmpty(); // the backup's contents
    }
    // the acceptance was for that open only; the store is anchored anew and keeps the record
    try (Coffer c = open()) {
      assertThat(c.lastAcceptedRollback().orElseThrow().foundEpoch()).isEqualTo(2);
    }
    StoreDirs.replace(store(), backup);
    assertThatThrownBy(this::open)
        .isInstanceOf(CorruptionException.class)
        .hasMessageContaining("older than its rollback anchor");
  }

  @Test
  void aDamagedAnchorIsRefusedNamingTheFileAndTheRemedyUntilAccepted() throws Exception {
    try (Coffer c = open()) {
      c.createTable(things()).putItem(item("a"));
    }
    Path anchor = StoreDirs.anchorFile(anchors());
    byte[] bytes = Files.readAllBytes(anchor);
    bytes[bytes.length / 2] ^= 1;
    Files.write(anchor, bytes);
    assertThatThrownBy(this::open)
        .isInstanceOf(CorruptionException.class)
        .hasMessageContaining("rollback anchor " + anchor + " is damaged")
        .hasMessageContaining("failed authentication")
        .hasMessageContaining("Put back an intact copy of the anchor file")
        .hasMessageContaining("--accept-rollback");
    assertThat(Files.readAllBytes(anchor)).as("the refused open left the anchor").isEqualTo(bytes);
    try (Coffer c = Coffer.open(store(), options().acceptRollback(true).build())) {
      AcceptedRollback r = c.lastAcceptedRollback().orElseThrow();
      assertThat(r.reason()).isEqualTo(AcceptedRollback.Reason.ANCHOR_DAMAGED);
      assertThat(r.anchoredEpoch()).isEmpty();
      assertThat(r.foundEpoch()).isEqualTo(2);
      assertThat(c.table("things").getItem(Key.of("a"))).isPresent();
    }
    try (Coffer c = open()) {
      assertThat(c.table("things").getItem(Key.of("a"))).isPresent();
    }
    // not even an anchor's framing: malformed, refused the same way
    Files.write(anchor, new byte[] {1, 2, 3});
    assertThatThrownBy(this::open)
        .isInstanceOf(CorruptionException.class)
        .hasMessageContaining("is damaged")
        .hasMessageContaining("--accept-rollback");
    try (Coffer c = Coffer.open(store(), options().acceptRollback(true).build())) {
      assertThat(c.lastAcceptedRollback().orElseThrow().reason())
          .isEqualTo(AcceptedRollback.Reason.ANCHOR_DAMAGED);
    }
  }

  @Test
  void aMissingAnchorIsRecordedWhenAccepted() throws Exception {
    try (Coffer c = open()) {
      c.createTable(things());
    }
    Files.delete(StoreDirs.anchorFile(anchors()));
    assertThatThrownBy(this::open)
        .isInstanceOf(CorruptionException.class)
        .hasMessageContaining("is missing")
        .hasMessageContaining("--accept-rollback");
    try (Coffer c = Coffer.open(store(), options().acceptRollback(true).build())) {
      AcceptedRollback r = c.lastAcceptedRollback().orElseThrow();
      assertThat(r.reason()).isEqualTo(AcceptedRollback.Reason.ANCHOR_MISSING);
      assertThat(r.anchoredEpoch()).isEmpty();
      assertThat(r.foundEpoch()).isEqualTo(2);
    }
  }
}
