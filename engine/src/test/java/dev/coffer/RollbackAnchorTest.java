package dev.coffer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coffer.kms.KeyManagement.CreateKeyRequest;
import dev.coffer.kms.SecretBytes;
import dev.coffer.kms.audit.AuditSink;
import dev.coffer.kms.local.LocalKeyProvider;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15, freshness (whole store): a store keeps a rollback anchor outside its directory (by
 * default beside a {@code local:} keystore), and a store directory rolled back to an older copy is
 * refused at the next open.
 */
class RollbackAnchorTest {
  @TempDir Path dir;
  private final byte[] raw = new byte[32];
  private LocalKeyProvider keys;
  private Path keystore;
  private Path store;

  @BeforeEach
  void setUp() {
    new SecureRandom().nextBytes(raw);
    keystore = dir.resolve("keys").resolve("keystore");
    store = dir.resolve("store");
    keys =
        LocalKeyProvider.builder()
            .keystore(keystore)
            .rawKey(SecretBytes.copyOf(raw))
            .auditSink(AuditSink.none())
            .build();
    keys.createAlias(
        "alias/store", keys.createKey(CreateKeyRequest.withDescription("store")).keyId());
  }

  @AfterEach
  void tearDown() {
    keys.close();
  }

  private CofferOptions.Builder options() {
    return CofferOptions.builder().keyProvider(keys).masterKeyId("alias/store");
  }

  private Coffer open() {
    return Coffer.open(store, options().build());
  }

  private static TableSpec things() {
    return TableSpec.builder().name("things").partitionKey("id", AttributeType.S).build();
  }

  private static Item item(String id, String v) {
    return Item.builder().string("id", id).string("v", v).build();
  }

  /**
   * Copies {@code from} (which may be an open store: a file RocksDB deletes meanwhile is obsolete,
   * and left out, as a copy taken a moment later would).
   */
  private static void copyDir(Path from, Path to) throws IOException {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        Path target = to.resolve(from.relativize(f).toString());
        if (Files.isDirectory(f)) {
          Files.createDirectories(target);
        } else {
          try {
            Files.copy(f, target, StandardCopyOption.REPLACE_EXISTING);
          } catch (NoSuchFileException e) {
            // deleted since the walk listed it
          }
        }
      }
    }
  }

  private static void replaceDir(Path dir, Path with) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(f);
      }
    }
    copyDir(with, dir);
  }

  private Path anchorFile() throws IOException {
    try (Stream<Path> files = Files.list(keystore.resolveSibling("keystore.anchors"))) {
      List<Path> anchors = files.filter(f -> f.toString().endsWith(".anchor")).toList();
      assertThat(anchors).hasSize(1);
      return anchors.get(0);
    }
  }

  @Test
  void aStoreDirectoryRolledBackToAnOlderCopyIsRefusedAtOpen() throws Exception {
    try (Coffer c = open()) {
      c.createTable(things()).putItem(item("a", "old"));
    }
    Path copy = dir.resolve("attacker-copy");
    copyDir(store, copy); // the attacker's copy, taken between two sessions
    try (Coffer c = open()) {
      c.table("things").putItem(item("a", "new"));
      c.table("things").deleteItem(Key.of("a")); // e.g. a deletion the attacker wants undone
    }
    replaceDir(store, copy);
    assertThatThrownBy(this::open)
        .isInstanceOf(CorruptionException.class)
        .hasMessageContaining("older than its rollback anchor")
        .hasMessageContaining("acceptRollback");
    // A deliberate restore from a backup is accepted when asked for, and anchored anew.
    try (Coffer c = Coffer.open(store, options().acceptRollback(true).build())) {
      assertThat(c.table("things").getItem(Key.of("a")).orElseThrow().get("v").s())
          .isEqualTo("old");
    }
    try (Coffer c = open()) {
      assertThat(c.table("things").getItem(Key.of("a"))).isPresent();
    }
  }

  /**
   * While the store is open its anchor moves on at the access checks (at most once a minute), so a
   * copy of the directory taken while it is open is older than the anchor once the next check has
   * run, even if the process is then killed before its close moves the anchor. The kill is played
   * by putting back the anchor as the access check left it (a close would move it on once more);
   * with the anchor as the open left it, the same copy opens: the check is what refuses it.
   */
  @Test
  void theAnchorMovesOnAtAccessChecksWhileTheStoreIsOpen() throws Exception {
    MutableClock clock = new MutableClock();
    Path copy = dir.resolve("attacker-copy");
    byte[] atOpen;
    byte[] afterCheck;
    try (Coffer c = Coffer.open(store, options().clock(clock).build())) {
      c.createTable(things()).putItem(item("a", "1"));
      atOpen = Files.readAllBytes(anchorFile());
      copyDir(store, copy); // taken while the store is open, before the access check
      clock.advance(Duration.ofSeconds(30));
      c.table("things").putItem(item("a", "2")); // no check due yet: the anchor stays
      assertThat(Files.readAllBytes(anchorFile())).isEqualTo(atOpen);
      clock.advance(CofferOptions.DEFAULT_ACCESS_CHECK_INTERVAL);
      c.table("things").getItem(Key.of("a")); // the access check runs, and moves the anchor on
      afterCheck = Files.readAllBytes(anchorFile());
      assertThat(afterCheck).isNotEqualTo(atOpen);
    }
    // killed right after the check: the anchor as the check left it, the store put back
    Files.write(anchorFile(), afterCheck);
    replaceDir(store, copy);
    assertThatThrownBy(this::open)
        .isInstanceOf(CorruptionException.class)
        .hasMessageContaining("older than its rollback anchor");
    // killed before the check: the anchor as the open left it, and the copy is not detected (the
    // documented limit of a copy taken since the anchor last moved)
    Files.write(anchorFile(), atOpen);
    replaceDir(store, copy);
    try (Coffer c = open()) {
      assertThat(c.table("things").getItem(Key.of("a")).orElseThrow().get("v").s()).isEqualTo("1");
    }
  }

  @Test
  void theAnchorLivesBesideTheKeystoreSealedAndPrivate() throws Exception {
    try (Coffer c = open()) {
      c.createTable(things()).putItem(item("a", "secret-value"));
    }
    Path anchor = anchorFile();
    assertThat(anchor.getFileName().toString()).endsWith(".anchor");
    assertThat(new String(Files.readAllBytes(anchor), StandardCharsets.ISO_8859_1))
        .doesNotContain("secret-value");
    if (Files.getFileStore(anchor).supportsFileAttributeView("posix")) {
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(anchor)))
          .isEqualTo("rw-------");
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(anchor.getParent())))
          .isEqualTo("rwx------");
    }
  }

  @Test
  void aMissingAnchorIsRefusedUntilAccepted() throws Exception {
    try (Coffer c = open()) {
      c.createTable(things()).putItem(item("a", "1"));
    }
    Files.delete(anchorFile());
    assertThatThrownBy(this::open)
        .isInstanceOf(CorruptionException.class)
        .hasMessageContaining("is missing");
    try (Coffer c = Coffer.open(store, options().acceptRollback(true).build())) {
      assertThat(c.table("things").getItem(Key.of("a"))).isPresent();
    }
    try (Coffer c = open()) {
      assertThat(c.table("things").getItem(Key.of("a"))).isPresent();
    }
  }

  @Test
  void anAnchorBehindTheStoreIsAcceptedAsACrashBetweenTheTwoWritesLeavesIt() throws Exception {
    try (Coffer c = open()) {
      c.createTable(things()).putItem(item("a", "1"));
    }
    Path anchor = anchorFile();
    byte[] behind = Files.readAllBytes(anchor);
    try (Coffer c = open()) {
      c.table("things").putItem(item("b", "2"));
    }
    Files.write(anchor, behind); // the store is now two epochs ahead of its anchor
    try (Coffer c = open()) {
      assertThat(c.table("things").getItem(Key.of("b"))).isPresent();
    }
  }

  @Test
  void anAnchorChangedOrOfAnotherStoreFailsAuthentication() throws Exception {
    try (Coffer c = open()) {
      c.createTable(things());
    }
    Path anchor = anchorFile();
    byte[] bytes = Files.readAllBytes(anchor);
    bytes[bytes.length - 1] ^= 1;
    Files.write(anchor, bytes);
    assertThatThrownBy(this::open)
        .isInstanceOf(CorruptionException.class)
        .hasMessageContaining("failed authentication");
    // Another store's anchor, under this store's name, does not authenticate either.
    Path other = dir.resolve("other");
    try (Coffer c = Coffer.open(other, options().build())) {
      c.createTable(things());
    }
    Path otherAnchor;
    try (Stream<Path> files = Files.list(anchor.getParent())) {
      otherAnchor =
          files
              .filter(f -> f.toString().endsWith(".anchor") && !f.equals(anchor))
              .findFirst()
              .orElseThrow();
    }
    Files.copy(otherAnchor, anchor, StandardCopyOption.REPLACE_EXISTING);
    assertThatThrownBy(this::open)
        .isInstanceOf(CorruptionException.class)
        .hasMessageContaining("failed authentication");
  }

  @Test
  void anExplicitDirectoryServesAnyProviderAndMayNotBeInsideTheStore() throws Exception {
    Path anchors = dir.resolve("anchors");
    TestStores memory = new TestStores();
    Path memStore = dir.resolve("mem-store");
    try (Coffer c =
        Coffer.open(memStore, memory.options().rollbackAnchorDirectory(anchors).build())) {
      c.createTable(things()).putItem(item("a", "old"));
    }
    Path copy = dir.resolve("mem-copy");
    copyDir(memStore, copy);
    try (Coffer c =
        Coffer.open(memStore, memory.options().rollbackAnchorDirectory(anchors).build())) {
      c.table("things").putItem(item("a", "new"));
    }
    replaceDir(memStore, copy);
    assertThatThrownBy(
            () -> Coffer.open(memStore, memory.options().rollbackAnchorDirectory(anchors).build()))
        .isInstanceOf(CorruptionException.class)
        .hasMessageContaining("older than its rollback anchor");
    // Without a directory, a provider other than local: keeps no anchor.
    try (Coffer c = memory.open(dir.resolve("no-anchor"))) {
      c.createTable(things());
    }
    try (Stream<Path> files = Files.list(anchors)) {
      assertThat(files.filter(f -> f.toString().endsWith(".anchor")).count()).isEqualTo(1);
    }
    CofferOptions inside = options().rollbackAnchorDirectory(store.resolve("anchors")).build();
    assertThatThrownBy(() -> Coffer.open(store, inside))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("inside the store directory");
  }

  @Test
  void turnedOffNoAnchorIsKept() throws Exception {
    try (Coffer c = Coffer.open(store, options().rollbackAnchor(false).build())) {
      c.createTable(things());
    }
    assertThat(Files.exists(keystore.resolveSibling("keystore.anchors"))).isFalse();
  }
}
