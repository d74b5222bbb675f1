package dev.coffer.kms.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.coffer.kms.DataKey;
import dev.coffer.kms.EncryptionContext;
import dev.coffer.kms.InvalidKeystoreException;
import dev.coffer.kms.KeyDescription;
import dev.coffer.kms.KeyManagement.AliasEntry;
import dev.coffer.kms.KeyManagement.CreateKeyRequest;
import dev.coffer.kms.KeyProviderClosedException;
import dev.coffer.kms.KeyState;
import dev.coffer.kms.SecretBytes;
import dev.coffer.kms.WrappedKey;
import dev.coffer.kms.audit.AuditRecord;
import dev.coffer.kms.audit.AuditSink;
import dev.coffer.kms.internal.AesGcm;
import dev.coffer.proto.KeystoreFile;
import dev.coffer.proto.KeystoreHeader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The keystore file: persistence, integrity, crash safety, sharing, and the builder. */
class LocalKeyProviderTest {
  private static final char[] PASSPHRASE = "correct horse battery staple".toCharArray();
  private static final EncryptionContext CTX = EncryptionContext.of("table", "t1");

  @TempDir Path dir;

  private Path keystore() {
    return dir.resolve("my keys").resolve("coffer.keystore");
  }

  private LocalKeyProvider open(Path file, char[] passphrase) {
    return LocalKeyProvider.builder()
        .keystore(file)
        .passphrase(passphrase)
        .argon2id(19456, 2, 1)
        .auditSink(AuditSink.none())
        .build();
  }

  private LocalKeyProvider open() {
    return open(keystore(), PASSPHRASE);
  }

  // ---------------------------------------------------------------- persistence

  @Test
  void createsTheKeystoreWhenAbsentAndReopenKeepsEverything() {
    String kept;
    String disabled;
    String pending;
    byte[] dataKey;
    byte[] blob;
    try (LocalKeyProvider p = open()) {
      assertThat(Files.exists(keystore())).isTrue();
      kept = p.createKey(new CreateKeyRequest("kept", null, Map.of("env", "test"))).keyId();
      disabled = p.createKey(CreateKeyRequest.withDescription("disabled")).keyId();
      pending = p.createKey(CreateKeyRequest.withDescription("pending")).keyId();
      p.createAlias("alias/kept", kept);
      p.disableKey(disabled);
      p.scheduleKeyDeletion(pending, 30);
      p.enableKeyRotation(kept, 180);
      p.rotateKeyOnDemand(kept);
      p.putKeyPolicy(
          kept,
          "{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\""
              + p.principal()
              + "\"},\"Action\":\"kms:*\",\"Resource\":\"*\"},{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":"
              + "\"arn:aws:iam::111122223333:user/bob\"},\"Action\":\"kms:Decrypt\"}]}");
      try (DataKey dk = p.generateDataKey("alias/kept", CTX)) {
        dataKey = dk.plaintext().copyBytes();
        blob = dk.wrapped().ciphertextBlob();
      }
    }
    try (LocalKeyProvider p = open()) {
      KeyDescription k = p.describeKey(kept);
      assertThat(k.aliases()).containsExactly("alias/kept");
      assertThat(k.tags()).containsEntry("env", "test");
      assertThat(k.rotationPeriodInDays()).isEqualTo(180);
      assertThat(k.currentKeyVersion()).isEqualTo(2);
      assertThat(p.describeKey(disabled).state()).isEqualTo(KeyState.DISABLED);
      assertThat(p.describeKey(pending).state()).isEqualTo(KeyState.PENDING_DELETION);
      try (LocalKeyProvider bob = p.asPrincipal("bob");
          SecretBytes back = bob.decrypt(WrappedKey.of(k.arn(), blob), CTX)) {
        assertThat(back.copyBytes()).isEqualTo(dataKey);
      }
    }
  }

  @Test
  void fileFormatMatchesTheProtoAndHidesContents() throws IOException {
    byte[] first;
    try (LocalKeyProvider p = open()) {
      first = Files.readAllBytes(keystore());
      p.createKey(CreateKeyRequest.withDescription("a description that must not show"));
    }
    byte[] second = Files.readAllBytes(keystore());
    KeystoreFile a = KeystoreFile.parseFrom(first);
    KeystoreFile b = KeystoreFile.parseFrom(second);
    KeystoreHeader h = b.getHeader();
    assertThat(h.getFormatVersion()).isEqualTo(2);
    assertThat(h.getArgon2Id().getMemoryKib()).isEqualTo(19456);
    assertThat(h.getArgon2Id().getIterations()).isEqualTo(2);
    assertThat(h.getArgon2Id().getParallelism()).isEqualTo(1);
    assertThat(h.getArgon2Id().getSalt().size()).isEqualTo(16);
    assertThat(h.getNonce().size()).isEqualTo(12);
    assertThat(h.getArgon2Id()).isEqualTo(a.getHeader().getArgon2Id());
    assertThat(h.getNonce()).isNotEqualTo(a.getHeader().getNonce());
    // Format 2: a fresh write salt per write, so every write is sealed under a key of its own.
    assertThat(h.getWriteSalt().size()).isEqualTo(32);
    assertThat(h.getWriteSalt()).isNotEqualTo(a.getHeader().getWriteSalt());
    assertThat(new String(second, StandardCharsets.ISO_8859_1)).doesNotContain("must not show");
  }

  @Test
  void keystoreIsPrivateToItsOwner() throws IOException {
    open().close();
    if (Files.getFileStore(keystore()).supportsFileAttributeView("posix")) {
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keystore())))
          .isEqualTo("rw-------");
    }
  }

  // ---------------------------------------------------------------- integrity

  @Test
  void wrongPassphraseIsAClearError() {
    open().close();
    InvalidKeystoreException e =
        catchThrowableOfType(
            InvalidKeystoreException.class, () -> open(keystore(), "wrong".toCharArray()));
    assertClear(e);
    assertThat(e.getMessage()).contains("passphrase or key is wrong");
  }

  @Test
  void flippedByteAnywhereIsRejected() throws IOException {
    try (LocalKeyProvider p = open()) {
      String id = p.createKey(CreateKeyRequest.withDescription("k")).keyId();
      p.createAlias("alias/k", id);
    }
    byte[] good = Files.readAllBytes(keystore());
    for (int i = 0; i < good.length; i++) {
      // Every byte with its low bit flipped; every fourth byte with its high bit flipped too.
      for (int mask : i % 4 == 0 ? new int[] {0x01, 0x80} : new int[] {0x01}) {
        byte[] bad = good.clone();
        bad[i] ^= (byte) mask;
        Files.write(keystore(), bad);
        InvalidKeystoreException e =
            catchThrowableOfType(InvalidKeystoreException.class, () -> open().close());
        assertThat(e).as("byte %d of %d xor 0x%02x", i, good.length, mask).isNotNull();
        assertClear(e);
      }
    }
    Files.write(keystore(), good);
    try (LocalKeyProvider p = open()) {
      assertThat(p.describeKey("alias/k").state()).isEqualTo(KeyState.ENABLED);
    }
  }

  @Test
  void truncatedFileIsRejected() throws IOException {
    try (LocalKeyProvider p = open()) {
      p.createKey(CreateKeyRequest.withDescription("k"));
    }
    byte[] good = Files.readAllBytes(keystore());
    for (int len : new int[] {0, 1, 2, 10, good.length / 2, good.length - 17, good.length - 1}) {
      Files.write(keystore(), Arrays.copyOf(good, len));
      InvalidKeystoreException e =
          catchThrowableOfType(InvalidKeystoreException.class, () -> open().close());
      assertThat(e).as("truncated to %d of %d bytes", len, good.length).isNotNull();
      assertClear(e);
    }
  }

  @Test
  void garbageFileIsRejected() throws IOException {
    Files.createDirectories(keystore().getParent());
    Files.writeString(keystore(), "{\"this\": \"is not a keystore\"}\n");
    assertClear(catchThrowableOfType(InvalidKeystoreException.class, () -> open().close()));
  }

  private void assertClear(InvalidKeystoreException e) {
    assertThat(e).isNotNull();
    assertThat(e.getMessage()).contains(keystore().toString()).doesNotContain("\n").endsWith(".");
    assertThat(e.getMessage().toLowerCase())
        .doesNotContain("protobuf")
        .doesNotContain("bouncycastle");
    assertThat(e.retryable()).isFalse();
    assertThat(e.errorCode()).isEqualTo("InvalidKeystoreException");
  }

  // ---------------------------------------------------------------- crash safety

  @Test
  void testRecoverFromCrashBetweenWriteAndRename() throws IOException {
    String id;
    try (LocalKeyProvider p = open()) {
      id = p.createKey(CreateKeyRequest.withDescription("before the crash")).keyId();
    }
    byte[] before = Files.readAllBytes(keystore());
    // A crash after writing the temporary file and before the rename leaves this behind.
    Path leftover = keystore().resolveSibling(keystore().getFileName() + ".tmp-00112233deadbeef");
    Files.write(leftover, AesGcm.randomBytes(300));
    try (LocalKeyProvider p = open()) {
      assertThat(p.describeKey(id).description()).isEqualTo("before the crash");
      assertThat(p.listKeys()).hasSize(1);
    }
    assertThat(Files.exists(leftover)).isFalse();
    assertThat(Files.readAllBytes(keystore())).isEqualTo(before);
    try (Stream<Path> files = Files.list(keystore().getParent())) {
      assertThat(files.map(f -> f.getFileName().toString()))
          .containsExactlyInAnyOrder("coffer.keystore", "coffer.keystore.lock");
    }
  }

  // ---------------------------------------------------------------- sharing

  @Test
  void concurrentUpdatesFromTwoThreadsLoseNothing() throws Exception {
    try (LocalKeyProvider p = open()) {
      runConcurrently(List.of(() -> createKeys(p, "a", 15), () -> createKeys(p, "b", 15)));
      assertThat(p.listKeys()).hasSize(30);
      assertThat(p.listAliases(null)).hasSize(30);
    }
    try (LocalKeyProvider p = open()) {
      assertThat(p.listKeys()).hasSize(30);
      assertThat(p.listAliases(null)).hasSize(30);
    }
  }

  @Test
  void concurrentUpdatesFromTwoInstancesLoseNothing() throws Exception {
    try (LocalKeyProvider a = open();
        LocalKeyProvider b = open()) {
      runConcurrently(List.of(() -> createKeys(a, "a", 15), () -> createKeys(b, "b", 15)));
      assertThat(a.listKeys()).hasSize(30);
      assertThat(b.listKeys()).hasSize(30);
      assertThat(aliasNames(a)).isEqualTo(aliasNames(b)).hasSize(30);
      // What one instance makes, the other reads at once.
      String fresh = a.createKey(CreateKeyRequest.withDescription("fresh")).keyId();
      try (DataKey dk = a.generateDataKey(fresh, CTX);
          SecretBytes back = b.decrypt(dk.wrapped(), CTX)) {
        assertThat(back.contentEquals(dk.plaintext())).isTrue();
      }
      b.disableKey(fresh);
      assertThat(a.describeKey(fresh).state()).isEqualTo(KeyState.DISABLED);
    }
    try (LocalKeyProvider p = open()) {
      assertThat(p.listKeys()).hasSize(31);
    }
  }

  @Test
  void concurrentUpdatesFromTwoProcessesLoseNothing() throws Exception {
    open().close();
    List<Process> processes = new ArrayList<>();
    for (String prefix : List.of("p1", "p2")) {
      processes.add(
          new ProcessBuilder(
                  Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                  "-cp",
                  System.getProperty("java.class.path"),
                  KeystoreWriterMain.class.getName(),
                  keystore().toString(),
                  new String(PASSPHRASE),
                  prefix,
                  "10")
              .redirectErrorStream(true)
              .start());
    }
    try (LocalKeyProvider p = open()) {
      createKeys(p, "here", 10);
      for (Process proc : processes) {
        assertThat(proc.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String out = new String(proc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(proc.exitValue()).as(out).isZero();
      }
      assertThat(p.listKeys()).hasSize(30);
      assertThat(aliasNames(p)).hasSize(30).contains("alias/p1-9", "alias/p2-9", "alias/here-9");
    }
  }

  private static Set<String> aliasNames(LocalKeyProvider p) {
    return p.listAliases(null).stream().map(AliasEntry::aliasName).collect(Collectors.toSet());
  }

  static Void createKeys(LocalKeyProvider p, String prefix, int n) {
    for (int i = 0; i < n; i++) {
      String id = p.createKey(CreateKeyRequest.withDescription(prefix + i)).keyId();
      p.createAlias("alias/" + prefix + "-" + i, id);
    }
    return null;
  }

  private static void runConcurrently(List<Callable<Void>> tasks) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(tasks.size());
    CyclicBarrier start = new CyclicBarrier(tasks.size());
    try {
      List<Future<Void>> futures = new ArrayList<>();
      for (Callable<Void> t : tasks) {
        futures.add(
            pool.submit(
                () -> {
                  start.await();
                  return t.call();
                }));
      }
      for (Future<Void> f : futures) {
        f.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  // ---------------------------------------------------------------- raw-key mode

  @Test
  void rawKeyMode() {
    byte[] raw = AesGcm.randomBytes(32);
    String id;
    try (SecretBytes key = SecretBytes.copyOf(raw);
        LocalKeyProvider p = LocalKeyProvider.builder().keystore(keystore()).rawKey(key).build()) {
      id = p.createKey(CreateKeyRequest.withDescription("raw")).keyId();
    }
    try (SecretBytes key = SecretBytes.copyOf(raw);
        LocalKeyProvider p = LocalKeyProvider.builder().keystore(keystore()).rawKey(key).build()) {
      assertThat(p.describeKey(id).description()).isEqualTo("raw");
    }
    try (SecretBytes other = SecretBytes.wrap(AesGcm.randomBytes(32))) {
      assertThatThrownBy(
              () -> LocalKeyProvider.builder().keystore(keystore()).rawKey(other).build())
          .isInstanceOf(InvalidKeystoreException.class)
          .hasMessageContaining("passphrase or key is wrong");
    }
    assertThatThrownBy(() -> open())
        .isInstanceOf(InvalidKeystoreException.class)
        .hasMessageContaining("protected by a raw key, but a passphrase was given");
  }

  @Test
  void passphraseKeystoreRefusesARawKey() {
    open().close();
    try (SecretBytes key = SecretBytes.wrap(AesGcm.randomBytes(32))) {
      assertThatThrownBy(() -> LocalKeyProvider.builder().keystore(keystore()).rawKey(key).build())
          .isInstanceOf(InvalidKeystoreException.class)
          .hasMessageContaining("protected by a passphrase, but a raw key was given");
    }
  }

  // ---------------------------------------------------------------- lifecycle and builder

  @Test
  void closeIsIdempotentAndViewsShareTheKeystore() {
    LocalKeyProvider owner = open();
    String id = owner.createKey(CreateKeyRequest.withDescription("k")).keyId();
    LocalKeyProvider view = owner.asPrincipal("root");
    owner.close();
    owner.close();
    assertThatThrownBy(() -> owner.describeKey(id)).isInstanceOf(KeyProviderClosedException.class);
    assertThat(view.describeKey(id).keyId()).isEqualTo(id);
    view.close();
    view.close();
    assertThatThrownBy(() -> view.describeKey(id))
        .isInstanceOf(KeyProviderClosedException.class)
        .hasMessageContaining("is closed");
  }

  @Test
  void builderValidatesAtOnce() {
    LocalKeyProvider.Builder b =
        LocalKeyProvider.builder().keystore(keystore()).passphrase("long enough".toCharArray());
    try (SecretBytes key = SecretBytes.wrap(new byte[32]);
        SecretBytes shortKey = SecretBytes.wrap(new byte[16])) {
      assertThatThrownBy(() -> b.rawKey(key)).isInstanceOf(IllegalStateException.class);
      assertThatThrownBy(() -> LocalKeyProvider.builder().rawKey(shortKey))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("32 bytes");
    }
    assertThatThrownBy(() -> b.argon2id(4, 1, 1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.argon2id(64, 0, 1)).isInstanceOf(IllegalArgumentException.class);
    // Below OWASP's minimum (19 MiB, 2 passes): refused for a new keystore.
    assertThatThrownBy(() -> b.argon2id(8, 1, 1)).hasMessageContaining("OWASP");
    assertThatThrownBy(() -> b.argon2id(19455, 2, 1)).hasMessageContaining("OWASP");
    assertThatThrownBy(() -> b.argon2id(65536, 1, 1)).hasMessageContaining("OWASP");
    assertThatThrownBy(() -> b.passphrase(new char[0]))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> LocalKeyProvider.builder().passphrase("x".toCharArray()).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("keystore");
    b.argon2id(19456, 2, 1).build().close();
    assertThatThrownBy(b::build)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("already built");
  }

  @Test
  void toStringShowsNoSecret() {
    try (LocalKeyProvider p = open()) {
      assertThat(p.toString()).contains("local").doesNotContain(new String(PASSPHRASE));
    }
  }

  @Test
  void auditRecordsHaveSourceLocal() {
    List<AuditRecord> records = new CopyOnWriteArrayList<>();
    try (LocalKeyProvider p =
        LocalKeyProvider.builder()
            .keystore(keystore())
            .passphrase(PASSPHRASE)
            .argon2id(19456, 2, 1)
            .auditSink(records::add)
            .build()) {
      p.createKey(CreateKeyRequest.withDescription("k"));
    }
    assertThat(records).isNotEmpty().allSatisfy(r -> assertThat(r.source()).isEqualTo("local"));
    assertThat(new HashSet<>(records.stream().map(r -> r.action()).toList()))
        .contains("kms:CreateKey");
  }
}
