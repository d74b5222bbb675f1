package dev.coffer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15, copies of a store: a copy of a store directory is the same store to its rollback anchor
 * (one anchor per store id), as the store's attacker's copy would be. Looking at a copy without
 * moving the anchor ({@code moveRollbackAnchor(false)}, what {@code coffer info} and {@code coffer
 * verify} do) leaves the store itself openable; a copy opened as the store becomes the store's
 * newest state, and the original is then refused; an older copy is refused either way; and the
 * anchor never moves backwards when two copies are open at once.
 */
class StoreCopiesTest {
  @TempDir Path dir;

  private final TestStores stores = new TestStores();

  private Path store() {
    return dir.resolve("store");
  }

  private Path anchors() {
    return dir.resolve("anchors");
  }

  private CofferOptions.Builder options() {
    return stores.options().rollbackAnchorDirectory(anchors());
  }

  private Coffer open(Path where) {
    return Coffer.open(where, options().build());
  }

  private Coffer lookAt(Path where) {
    return Coffer.open(where, options().moveRollbackAnchor(false).build());
  }

  private static TableSpec things() {
    return TableSpec.builder().name("things").partitionKey("id", AttributeType.S).build();
  }

  private static Item item(String id) {
    return Item.builder().string("id", id).build();
  }

  /** Before, opening the copy moved the shared anchor and the store itself was then refused. */
  @Test
  void aCopyLookedAtWithoutMovingTheAnchorLeavesTheStoreOpenable() throws Exception {
    try (Coffer c = open(store())) {
      c.createTable(things()).putItem(item("a"));
    }
    Path copy = dir.resolve("copy");
    StoreDirs.copy(store(), copy);
    byte[] anchor = Files.readAllBytes(StoreDirs.anchorFile(anchors()));
    try (Coffer c = lookAt(copy)) {
      assertThat(c.table("things").getItem(Key.of("a"))).isPresent();
      assertThat(c.verify().clean()).isTrue();
    }
    assertThat(Files.readAllBytes(StoreDirs.anchorFile(anchors()))).isEqualTo(anchor);
    try (Coffer c = open(store())) {
      assertThat(c.table("things").getItem(Key.of("a"))).isPresent();
    }
  }

  @Test
  void aCopyOpenedAsTheStoreBecomesItsNewestStateAndTheOriginalIsRefused() throws Exception {
    try (Coffer c = open(store())) {
      c.createTable(things()).putItem(item("a"));
    }
    Path copy = dir.resolve("copy");
    StoreDirs.copy(store(), copy);
    try (Coffer c = open(copy)) {
      c.table("things").putItem(item("written-in-the-copy"));
    }
    assertThatThrownBy(() -> open(store()))
        .isInstanceOf(CorruptionException.class)
        .hasMessageContaining("older than its rollback anchor");
    try (Coffer c = open(copy)) {
      assertThat(c.table("things").getItem(Key.of("written-in-the-copy"))).isPresent();
    }
  }

  @Test
  void anOlderCopyIsRefusedEvenWhenOnlyLookedAtAndAcceptingThatRecordsNothing() throws Exception {
    try (Coffer c = open(store())) {
      c.createTable(things()).putItem(item("a"));
    }
    Path backup = dir.resolve("backup");
    StoreDirs.copy(store(), backup);
    try (Coffer c = open(store())) {
      c.table("things").deleteItem(Key.of("a"));
    }
    assertThatThrownBy(() -> lookAt(backup))
        .isInstanceOf(CorruptionException.class)
        .hasMessageContaining("older than its rollback anchor");
    byte[] anchor = Files.readAllBytes(StoreDirs.anchorFile(anchors()));
    try (Coffer c =
        Coffer.open(backup, options().moveRollbackAnchor(false).acceptRollback(true).build())) {
      assertThat(c.table("things").getItem(Key.of("a"))).isPresent(); // the backup, inspected
      assertThat(c.lastAcceptedRollback()).isEmpty(); // nothing written
    }
    assertThat(Files.readAllBytes(StoreDirs.anchorFile(anchors()))).isEqualTo(anchor);
    try (Coffer c = open(store())) {
      assertThat(c.table("things").getItem(Key.of("a"))).isEmpty();
    }
  }

  /**
   * A copy taken while the store is open, opened beside it: both move the shared anchor on, and it
   * never goes backwards. The one that moved it last (the copy, closed last) is the store's newest
   * state; the original, whose close found the anchor ahead of it, is refused at its next open.
   */
  @Test
  void theAnchorNeverMovesBackwardsWhenTwoCopiesAreOpenAtOnce() throws Exception {
    Path copy = dir.resolve("copy");
    Coffer original = open(store());
    try {
      original.createTable(things()).putItem(item("a"));
      original.flush();
      StoreDirs.copy(store(), copy);
      try (Coffer c = open(copy)) {
        c.table("things").putItem(item("b"));
      }
      byte[] anchor = Files.readAllBytes(StoreDirs.anchorFile(anchors()));
      original.close(); // its next epoch is below the copy's close: the anchor is left
      assertThat(Files.readAllBytes(StoreDirs.anchorFile(anchors()))).isEqualTo(anchor);
    } finally {
      original.close();
    }
    assertThatThrownBy(() -> open(store()))
        .isInstanceOf(CorruptionException.class)
        .hasMessageContaining("older than its rollback anchor");
    try (Coffer c = open(copy)) {
      assertThat(c.table("things").getItem(Key.of("b"))).isPresent();
    }
  }
}
