package dev.coffer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coffer.kms.KeyManagement.CreateKeyRequest;
import dev.coffer.kms.KeyProviderException;
import dev.coffer.kms.SecretBytes;
import dev.coffer.kms.local.LocalKeyProvider;
import dev.coffer.kms.memory.FaultInjector;
import dev.coffer.proto.StoreHeader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.ColumnFamilyHandle;

/**
 * Master-key rewrap, data-key rotation and re-encryption, destruction, crypto-shredding, policies.
 */
class KeyLifecycleTest {
  @TempDir Path dir;
  @TempDir Path scratch;

  private final TestStores stores = new TestStores();
  private final AuditCollector audit = new AuditCollector();

  private final TestBackend[] backend = new TestBackend[1];

  private Coffer open() {
    return TestBackend.open(dir, stores.options().auditSink(audit).build(), backend);
  }

  private static TableSpec orders() {
    return TableSpec.builder()
        .name("orders")
        .partitionKey("customer", AttributeType.S)
        .sortKey("n", AttributeType.N)
        .pageTargetBytes(512)
        .build();
  }

  private static Item order(int customer, int n) {
    return Item.builder()
        .string("customer", "c" + customer)
        .number("n", n)
        .string("payload", "p" + customer + "-" + n + "-".repeat(40))
        .build();
  }

  private static void fill(Table t, int customers, int perCustomer) {
    for (int c = 0; c < customers; c++) {
      for (int n = 0; n < perCustomer; n++) {
        t.putItem(order(c, n));
      }
    }
  }

  private static void checkAll(Table t, int customers, int perCustomer) {
    for (int c = 0; c < customers; c++) {
      for (int n = 0; n < perCustomer; n++) {
        assertThat(t.getItem(Key.of(AttributeValue.s("c" + c), AttributeValue.n(n))))
            .contains(order(c, n));
      }
    }
  }

  private Map<String, List<byte[]>> rawTableFamilies() throws Exception {
    Map<String, List<byte[]>> out = new LinkedHashMap<>();
    try (RawStore raw = new RawStore(dir)) {
      for (Map.Entry<String, ColumnFamilyHandle> f : raw.families().entrySet()) {
        if (!f.getKey().equals("default")) {
          List<byte[]> kv = new ArrayList<>();
          raw.entries(f.getValue())
              .forEach(
                  (k, v) -> {
                    kv.add(k);
                    kv.add(v);
                  });
          out.put(f.getKey(), kv);
        }
      }
    }
    return out;
  }

  private StoreHeader header() throws Exception {
    try (RawStore raw = new RawStore(dir)) {
      return StoreHeader.parseFrom(
          raw.get(
              raw.families().get("default"), "coffer/header".getBytes(StandardCharsets.US_ASCII)));
    }
  }

  @Test
  void rotateMasterKeyRewrapsEveryKeyInOneBatchAndTouchesNoPage() throws Exception {
    try (Coffer c = open()) {
      fill(c.createTable(orders()), 20, 10);
      Table users =
          c.createTable(
              TableSpec.builder().name("users").partitionKey("id", AttributeType.S).build());
      users.putItem(Item.builder().string("id", "u1").build());
      c.table("orders").rotateDataKey(); // two live data-key versions in orders
    }
    Map<String, List<byte[]>> before = rawTableFamilies();
    StoreHeader headerBefore = header();
    stores.provider.rotateKeyOnDemand(stores.keyId);
    try (Coffer c = open()) {
      TestBackend.Counters c0 = backend[0].counters();
      MasterKeyRotation r = c.rotateMasterKey();
      TestBackend.Counters c1 = backend[0].counters();
      // store key + orders (2 data-key versions + index key) + users (1 + index key)
      assertThat(r.keysRewrapped()).isEqualTo(6);
      assertThat(r.providerScheme()).isEqualTo("memory");
      assertThat(c1.tableReads()).isEqualTo(c0.tableReads());
      assertThat(c1.tableWrites()).isEqualTo(c0.tableWrites());
      assertThat(c1.commits()).isEqualTo(c0.commits() + 1);
      assertThat(c.keyInfo().lastMasterKeyRotation()).isNotNull();
      checkAll(c.table("orders"), 20, 10);
    }
    assertThat(rawTableFamilies()).usingRecursiveComparison().isEqualTo(before);
    StoreHeader headerAfter = header();
    assertThat(headerAfter.getStoreKey().getCiphertextBlob())
        .isNotEqualTo(headerBefore.getStoreKey().getCiphertextBlob());
    assertThat(headerAfter.getLastMasterRotationMillis()).isPositive();
    assertThat(audit.engine("coffer:RotateMasterKey")).hasSize(1);
    // the store key is now wrapped under the master key's current (second) version
    String storeHex = HexFormat.of().formatHex(headerAfter.getStoreId().toByteArray());
    dev.coffer.kms.KeyManagement.DecryptResult unwrapped =
        stores.provider.decryptBlob(
            headerAfter.getStoreKey().getCiphertextBlob().toByteArray(),
            // with the pair that says the store keeps a sealed state (threat-model.md)
            dev.coffer.kms.EncryptionContext.of(
                "store", storeHex, "purpose", "catalog", "state", "sealed"),
            null);
    try (SecretBytes ignored = unwrapped.plaintext()) {
      assertThat(unwrapped.keyVersion()).isEqualTo(2);
    }
    try (Coffer c = open()) {
      checkAll(c.table("orders"), 20, 10);
      assertThat(c.table("users").getItem(Key.of("u1"))).isPresent();
    }
  }

  @Test
  void aRefusedRewrapChangesNothing() throws Exception {
    try (Coffer c = open()) {
      fill(c.createTable(orders()), 5, 5);
    }
    StoreHeader before = header();
    try (Coffer c = open()) {
      FaultInjector.of(stores.provider).deny("kms:ReEncrypt");
      TestBackend.Counters c0 = backend[0].counters();
      assertThatThrownBy(c::rotateMasterKey)
          .isInstanceOf(dev.coffer.kms.AccessDeniedException.class);
      assertThat(backend[0].counters().commits()).isEqualTo(c0.commits());
      FaultInjector.of(stores.provider).allow("kms:ReEncrypt");
      checkAll(c.table("orders"), 5, 5);
    }
    assertThat(header()).isEqualTo(before);
    assertThat(audit.engine("coffer:RotateMasterKey"))
        .extracting(r -> r.outcome())
        .containsExactly(dev.coffer.kms.audit.AuditOutcome.DENIED);
    try (Coffer c = open()) {
      checkAll(c.table("orders"), 5, 5);
    }
  }

  @Test
  void rotateMasterKeyToAnotherKeyMovesEveryKeyOffTheOldOne() {
    String key2 = stores.provider.createKey(CreateKeyRequest.withDescription("second")).keyId();
    try (Coffer c = open()) {
      Table t = c.createTable(orders());
      fill(t, 5, 5);
      MasterKeyRotation r = c.rotateMasterKey(key2);
      assertThat(r.masterKeyId()).contains(key2);
      fill(t, 6, 5); // writes go on, new rotation-independent pages
      checkAll(t, 6, 5);
      c.createTable(TableSpec.builder().name("later").partitionKey("id", AttributeType.S).build())
          .putItem(Item.builder().string("id", "x").build());
    }
    stores.provider.disableKey(stores.keyId); // the old key is no longer needed
    assertThatThrownBy(this::open).isInstanceOf(KeyProviderException.class);
    try (Coffer c = Coffer.open(dir, stores.options().masterKeyId(key2).auditSink(audit).build())) {
      checkAll(c.table("orders"), 6, 5);
      assertThat(c.table("later").getItem(Key.of("x"))).isPresent();
      assertThat(c.keyInfo().masterKeyId()).contains(key2);
    }
  }

  @Test
  void rotateMasterKeyToAnotherProviderRecordsItsSchemeInTheHeader() throws Exception {
    byte[] raw = new byte[32];
    new SecureRandom().nextBytes(raw);
    Path keystore = scratch.resolve("keystore");
    try (LocalKeyProvider local =
        LocalKeyProvider.builder()
            .keystore(keystore)
            .rawKey(SecretBytes.wrap(raw.clone()))
            .auditSink(audit)
            .build()) {
      String localKey = local.createKey(CreateKeyRequest.withDescription("moved here")).keyId();
      try (Coffer c = open()) {
        fill(c.createTable(orders()), 5, 5);
        MasterKeyRotation r = c.rotateMasterKey(local, localKey);
        assertThat(r.providerScheme()).isEqualTo("local");
        assertThat(r.keysRewrapped()).isEqualTo(3);
        fill(c.table("orders"), 7, 5);
      }
      assertThat(header().getKeyProviderScheme()).isEqualTo("local");
      assertThatThrownBy(this::open)
          .isInstanceOf(ValidationException.class)
          .hasMessageContaining("local");
      try (Coffer c =
          Coffer.open(
              dir, CofferOptions.builder().keyProvider(local).masterKeyId(localKey).build())) {
        checkAll(c.table("orders"), 7, 5);
      }
    }
  }

  @Test
  void reencryptionMovesEveryPageToTheNewVersionAndDestroysTheOldOne() throws Exception {
    String tableId;
    try (Coffer c = open()) {
      Table t = c.createTable(orders());
      fill(t, 30, 12);
      tableId = t.describe().tableId();
    }
    Path copy = scratch.resolve("before-rotation");
    copyDir(dir, copy);
    List<ReencryptionProgress> progress = new ArrayList<>();
    try (Coffer c = open()) {
      Table t = c.table("orders");
      assertThat(t.rotateDataKey()).isEqualTo(2);
      TableDescription d = t.describe();
      assertThat(d.dataKeys())
          .extracting(DataKeyVersionInfo::state)
          .containsExactly(DataKeyVersionInfo.State.RETIRED, DataKeyVersionInfo.State.PRIMARY);
      assertThat(d.lastDataKeyRotation()).isPresent();
      t.putItem(order(99, 1)); // sealed by version 2
      ReencryptResult r =
          t.reencrypt(
              ReencryptOptions.builder().persistEveryPages(7).listener(progress::add).build());
      assertThat(r.finished()).isTrue();
      assertThat(r.destroyedVersions()).containsExactly(1);
      assertThat(r.pagesResealed()).isPositive();
      assertThat(t.describe().dataKeys())
          .extracting(DataKeyVersionInfo::state)
          .containsExactly(DataKeyVersionInfo.State.DESTROYED, DataKeyVersionInfo.State.PRIMARY);
      assertThat(t.describe().reencryption()).isEmpty();
      checkAll(t, 30, 12);
      assertThat(t.reencrypt(ReencryptOptions.defaults()).pagesVisited())
          .isZero(); // nothing retired
    }
    assertThat(progress).isNotEmpty();
    ReencryptionProgress last = progress.get(progress.size() - 1);
    assertThat(last.pagesDone()).isEqualTo(last.pagesTotal());
    assertThat(last.fraction()).isEqualTo(1.0);
    assertThat(SealedVersions.of(dir, tableId)).containsOnlyKeys(2);
    assertThat(audit.engine("coffer:RotateDataKey")).hasSize(1);
    assertThat(audit.engine("coffer:DestroyDataKeyVersion")).hasSize(1);
    assertThat(audit.engine("coffer:Reencrypt")).hasSizeGreaterThanOrEqualTo(2);

    // The pre-rotation copy's pages, put back into the live store, cannot be opened: the live
    // catalog no longer has version 1's key.
    try (RawStore old = new RawStore(copy);
        RawStore live = new RawStore(dir)) {
      Map<byte[], byte[]> oldPages = old.entries(old.family(tableId));
      assertThat(oldPages.values())
          .allSatisfy(
              v ->
                  assertThat(RawStore.split(v))
                      .allSatisfy(
                          r ->
                              assertThat(dev.coffer.proto.SealedPage.parseFrom(r).getKeyVersion())
                                  .isEqualTo(1)));
      for (Map.Entry<byte[], byte[]> e : oldPages.entrySet()) {
        live.put(live.family(tableId), e.getKey(), e.getValue());
      }
    }
    try (Coffer c = Coffer.open(dir, stores.options().pageCacheBytes(0).build())) {
      assertThatThrownBy(
              () -> c.table("orders").getItem(Key.of(AttributeValue.s("c1"), AttributeValue.n(1))))
          .isInstanceOf(CorruptionException.class)
          .hasMessageContaining("data-key version 1");
    }
  }

  @Test
  void anInterruptedReencryptionResumesFromItsCursor() throws Exception {
    String tableId;
    try (Coffer c = open()) {
      Table t = c.createTable(orders());
      fill(t, 40, 8);
      tableId = t.describe().tableId();
      t.rotateDataKey();
    }
    // Run the job but stop it after a few partitions by closing the store from the listener.
    Coffer c = open();
    Table t = c.table("orders");
    Thread closer = new Thread(c::close);
    ReencryptResult first =
        t.reencrypt(
            ReencryptOptions.builder()
                .persistEveryPages(3)
                .listener(
                    p -> {
                      if (p.pagesDone() >= 20
                          && !closer.isAlive()
                          && closer.getState() == Thread.State.NEW) {
                        closer.start();
                      }
                    })
                .build());
    closer.join();
    assertThat(first.finished()).isFalse();
    Map<Integer, Integer> midway = SealedVersions.of(dir, tableId);
    assertThat(midway).containsKeys(1, 2);
    try (Coffer again = Coffer.open(dir, stores.options().auditSink(audit).build())) {
      Table t2 = again.table("orders");
      ReencryptResult second =
          t2.reencrypt(ReencryptOptions.defaults()); // waits for the background resume
      TableDescription d = t2.describe();
      assertThat(d.dataKeys().get(0).state()).isEqualTo(DataKeyVersionInfo.State.DESTROYED);
      assertThat(second.finished()).isTrue();
      checkAll(t2, 40, 8);
    }
    assertThat(SealedVersions.of(dir, tableId)).containsOnlyKeys(2);
  }

  @Test
  void deleteTableDestroysTheKeysFirstThenTheColumnFamily() throws Exception {
    String tableId;
    try (Coffer c = open()) {
      Table t = c.createTable(orders());
      fill(t, 5, 5);
      tableId = t.describe().tableId();
      c.deleteTable("orders");
      assertThatThrownBy(() -> t.getItem(Key.of(AttributeValue.s("c1"), AttributeValue.n(1))))
          .isInstanceOf(ResourceNotFoundException.class);
    }
    assertThat(audit.engine("coffer:DeleteTable")).hasSize(2);
    assertThat(audit.engine("coffer:DeleteTable").get(0).message()).contains("keys destroyed");
    try (RawStore raw = new RawStore(dir)) {
      assertThat(raw.families().keySet()).containsExactly("default");
      byte[] prefix = "coffer/catalog/".getBytes(StandardCharsets.US_ASCII);
      assertThat(raw.entries(raw.families().get("default")).keySet())
          .noneMatch(
              k ->
                  k.length >= prefix.length
                      && Arrays.equals(k, 0, prefix.length, prefix, 0, prefix.length));
    }
    // nothing in any file of the store still names the table id's wrapped keys' context
    byte[] idBytes = tableId.getBytes(StandardCharsets.US_ASCII);
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        assertThat(indexOf(Files.readAllBytes(f), idBytes)).as(f.toString()).isNegative();
      }
    }
  }

  @Test
  void testRecoverFinishesADeletionInterruptedAfterTheKeysWereDestroyed() throws Exception {
    String tableId;
    try (Coffer c = open()) {
      Table t = c.createTable(orders());
      fill(t, 5, 5);
      tableId = t.describe().tableId();
      backend[0].crashAt("dropTable"::equals); // the process dies right after step 1
      assertThatThrownBy(() -> c.deleteTable("orders"))
          .isInstanceOf(StorageException.class)
          .hasMessageContaining("simulated crash");
      assertThat(c.listTables()).isEmpty();
    }
    try (RawStore raw = new RawStore(dir)) {
      assertThat(raw.families()).containsKey(tableId); // the data is still there, its keys are not
    }
    try (Coffer c = open()) {
      assertThat(c.listTables()).isEmpty();
    }
    assertThat(audit.engine("coffer:DeleteTable"))
        .extracting(r -> r.message())
        .anySatisfy(m -> assertThat(m).contains("resumed at open"));
    try (RawStore raw = new RawStore(dir)) {
      assertThat(raw.families().keySet()).containsExactly("default");
    }
  }

  @Test
  void policiesRotateByPagesAndByAgeAndStartReencryption() throws Exception {
    MutableClock clock = new MutableClock();
    String tableId;
    try (Coffer c = Coffer.open(dir, stores.options().clock(clock).auditSink(audit).build())) {
      Table t =
          c.createTable(
              TableSpec.builder()
                  .name("orders")
                  .partitionKey("customer", AttributeType.S)
                  .sortKey("n", AttributeType.N)
                  .pageTargetBytes(512)
                  .rotateAfterPages(200)
                  .autoReencrypt(true)
                  .build());
      tableId = t.describe().tableId();
      fill(t, 10, 50);
      assertThat(t.describe().primaryDataKeyVersion()).isGreaterThan(1);
      waitForNoRetired(t);
      Table aged =
          c.createTable(
              TableSpec.builder()
                  .name("aged")
                  .partitionKey("id", AttributeType.S)
                  .rotateAfterDays(30)
                  .rotateAfterPages(0)
                  .build());
      aged.putItem(Item.builder().string("id", "a").build());
      clock.advance(Duration.ofDays(29));
      aged.putItem(Item.builder().string("id", "b").build());
      assertThat(aged.describe().primaryDataKeyVersion()).isEqualTo(1);
      clock.advance(Duration.ofDays(2));
      aged.putItem(Item.builder().string("id", "c").build());
      assertThat(aged.describe().primaryDataKeyVersion()).isEqualTo(2);
      assertThat(aged.describe().rotateAfterDays()).isEqualTo(30);
      checkAll(t, 10, 50);
    }
    Map<Integer, Integer> versions = SealedVersions.of(dir, tableId);
    assertThat(audit.engine("coffer:RotateDataKey")).hasSizeGreaterThanOrEqualTo(2);
    assertThat(versions).isNotEmpty();
  }

  private static void waitForNoRetired(Table t) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (System.nanoTime() < deadline) {
      boolean retired =
          t.describe().dataKeys().stream()
              .anyMatch(v -> v.state() == DataKeyVersionInfo.State.RETIRED);
      if (!retired) {
        return;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("background re-encryption did not finish: " + t.describe().dataKeys());
  }

  static void copyDir(Path from, Path to) throws Exception {
    Files.createDirectories(to);
    try (Stream<Path> files = Files.list(from)) {
      for (Path f : files.toList()) {
        Files.copy(f, to.resolve(f.getFileName()));
      }
    }
  }

  private static int indexOf(byte[] hay, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= hay.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (hay[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  @SuppressWarnings("unused")
  private static String hex(byte[] b) {
    return HexFormat.of().formatHex(b);
  }
}
