package dev.coffer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coffer.fixture.FormatFixture;
import dev.coffer.kms.local.LocalKeyProvider;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.ColumnFamilyHandle;

/**
 * Issue 15, freshness of TransactWriteItems' ClientRequestToken records: with {@link
 * CofferOptions#freshness()} the store keeps the digest of every token record in a map whose root
 * its sealed state holds beside the tables' roots, so a token record removed from the store
 * directory, or put back from an older copy, fails the replay of its token with {@link
 * CorruptionException} instead of letting the replay apply a second time. Records removed by Coffer
 * itself (expired, swept, re-sealed at a store-key renewal) raise no false alarm. With freshness
 * off the removal goes unnoticed (what the map adds).
 */
class FreshTokenTest {
  private static final byte[] TOKEN_PREFIX = "coffer/token/".getBytes(StandardCharsets.US_ASCII);

  @TempDir Path dir;

  private final TestStores stores = new TestStores();
  private final CofferOptions.Builder anchored = stores.anchoredOptions();
  private final MutableClock clock = new MutableClock();

  private Coffer open(boolean fresh) {
    Coffer c = Coffer.open(dir, anchored.build().toBuilder().freshness(fresh).clock(clock).build());
    if (!c.listTables().contains("ctr")) {
      c.createTable(TableSpec.builder().name("ctr").partitionKey("id", AttributeType.S).build());
    }
    return c;
  }

  private static TransactWriteItemsRequest add(String token, String counter, int n) {
    return TransactWriteItemsRequest.builder()
        .transactItems(
            TransactWriteItem.update(
                "ctr",
                Key.of(counter),
                Update.builder().add("n", AttributeValue.n(n)).build(),
                null))
        .clientRequestToken(token)
        .build();
  }

  private static String counter(Coffer c, String id) {
    return c.table("ctr").getItem(Key.of(id)).map(i -> i.get("n").n()).orElse("absent");
  }

  private static boolean isToken(byte[] key) {
    return key.length > TOKEN_PREFIX.length
        && Arrays.equals(key, 0, TOKEN_PREFIX.length, TOKEN_PREFIX, 0, TOKEN_PREFIX.length);
  }

  /** The token records of the closed store in {@code store}, key to value. */
  private static Map<byte[], byte[]> tokenRecords(Path store) throws Exception {
    try (RawStore raw = new RawStore(store)) {
      Map<byte[], byte[]> all = raw.entries(raw.families().get("default"));
      all.keySet().removeIf(k -> !isToken(k));
      return all;
    }
  }

  private static void deleteTokenRecords(Path store) throws Exception {
    Map<byte[], byte[]> records = tokenRecords(store);
    try (RawStore raw = new RawStore(store)) {
      ColumnFamilyHandle def = raw.families().get("default");
      for (byte[] k : records.keySet()) {
        raw.delete(def, k);
      }
    }
  }

  /** A token record deleted from the directory: the replay fails instead of applying again. */
  @Test
  void aDeletedTokenRecordFailsTheReplayInsteadOfApplyingItAgain() throws Exception {
    try (Coffer c = open(true)) {
      c.transactWriteItems(add("deposit-1", "a", 5));
    }
    assertThat(tokenRecords(dir)).hasSize(1);
    deleteTokenRecords(dir);
    try (Coffer c = open(true)) {
      assertThatThrownBy(() -> c.transactWriteItems(add("deposit-1", "a", 5)))
          .isInstanceOf(CorruptionException.class)
          .hasMessageContaining("ClientRequestToken records lists is missing")
          .hasMessageContaining("ClientRequestToken record ");
      assertThat(counter(c, "a")).as("not applied twice").isEqualTo("5");
      assertThat(c.freshnessStats().failedChecks()).isEqualTo(1);
    }
  }

  @Test
  void withoutFreshnessADeletedTokenRecordLetsTheReplayApplyAgain() throws Exception {
    try (Coffer c = open(false)) {
      c.transactWriteItems(add("deposit-1", "a", 5));
    }
    deleteTokenRecords(dir);
    try (Coffer c = open(false)) {
      c.transactWriteItems(add("deposit-1", "a", 5));
      assertThat(counter(c, "a")).isEqualTo("10");
    }
  }

  /**
   * A token used again after its window wrote a new record under the same key; the older record put
   * back (expired, so it would read as free) fails the replay within the new window.
   */
  @Test
  void anOlderCopyOfATokenRecordPutBackFailsTheReplay() throws Exception {
    try (Coffer c = open(true)) {
      c.transactWriteItems(add("deposit-1", "a", 5));
    }
    Map<byte[], byte[]> older = tokenRecords(dir);
    clock.advance(Duration.ofMinutes(11));
    try (Coffer c = open(true)) {
      c.transactWriteItems(add("deposit-1", "a", 5)); // the window is over: a new request
      assertThat(counter(c, "a")).isEqualTo("10");
    }
    try (RawStore raw = new RawStore(dir)) {
      ColumnFamilyHandle def = raw.families().get("default");
      for (Map.Entry<byte[], byte[]> e : older.entrySet()) {
        raw.put(def, e.getKey(), e.getValue());
      }
    }
    try (Coffer c = open(true)) {
      assertThatThrownBy(() -> c.transactWriteItems(add("deposit-1", "a", 5)))
          .isInstanceOf(CorruptionException.class)
          .hasMessageContaining(
              "not the version the freshness map of the store's"
                  + " ClientRequestToken records lists");
      assertThat(counter(c, "a")).isEqualTo("10");
    }
  }

  /** Where {@code verify} locates the token record under {@code key}. */
  private static String location(byte[] key) {
    return "ClientRequestToken record "
        + HexFormat.of().formatHex(Arrays.copyOfRange(key, TOKEN_PREFIX.length, key.length));
  }

  private static void put(Path store, byte[] key, byte[] value) throws Exception {
    try (RawStore raw = new RawStore(store)) {
      raw.put(raw.families().get("default"), key, value);
    }
  }

  /**
   * The store's findings of {@code Coffer.verify()} in a session that only looks (as the CLI's).
   */
  private List<VerifyFinding> verifyLookingOnly() {
    try (Coffer c =
        Coffer.open(
            dir, anchored.build().toBuilder().clock(clock).moveRollbackAnchor(false).build())) {
      StoreVerification v = c.verify();
      assertThat(v.clean()).isEqualTo(v.storeFindings().isEmpty());
      return v.storeFindings();
    }
  }

  /**
   * {@code verify} compares the token records with their map too (before, it walked neither): a
   * token record removed, or an older copy put back, is a {@code FRESHNESS_MISMATCH} among the
   * store's findings naming its token digest, with no read of it needed; a store whose records
   * match verifies clean.
   */
  @Test
  void verifyReportsARemovedOrPutBackTokenRecord() throws Exception {
    try (Coffer c = open(true)) {
      c.transactWriteItems(add("deposit-1", "a", 5));
      c.transactWriteItems(add("deposit-2", "a", 5));
      StoreVerification v = c.verify();
      assertThat(v.clean()).isTrue();
      assertThat(v.storeFindings()).isEmpty();
    }
    Map<byte[], byte[]> older = tokenRecords(dir);
    assertThat(older).hasSize(2);
    Map.Entry<byte[], byte[]> first = older.entrySet().iterator().next();
    try (RawStore raw = new RawStore(dir)) {
      raw.delete(raw.families().get("default"), first.getKey());
    }
    assertThat(verifyLookingOnly())
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.kind()).isEqualTo(VerifyFinding.Kind.FRESHNESS_MISMATCH);
              assertThat(f.tableName()).isEmpty();
              assertThat(f.location()).isEqualTo(location(first.getKey()));
              assertThat(f.message()).contains("ClientRequestToken records lists is missing");
            });
    put(dir, first.getKey(), first.getValue());
    assertThat(verifyLookingOnly()).as("the same record put back").isEmpty();

    clock.advance(Duration.ofMinutes(11));
    try (Coffer c = open(true)) {
      c.transactWriteItems(add("deposit-1", "a", 5)); // the window is over: a new record
      assertThat(c.verify().storeFindings()).isEmpty();
    }
    Map<byte[], byte[]> now = tokenRecords(dir);
    byte[] renewed =
        older.keySet().stream()
            .filter(
                k ->
                    now.entrySet().stream()
                        .anyMatch(
                            e ->
                                Arrays.equals(e.getKey(), k)
                                    && !Arrays.equals(e.getValue(), older.get(k))))
            .findFirst()
            .orElseThrow();
    put(dir, renewed, older.get(renewed));
    try (Coffer c = open(true)) {
      StoreVerification v = c.verify();
      assertThat(v.clean()).isFalse();
      assertThat(v.findings()).isEqualTo(v.storeFindings());
      assertThat(v.storeFindings())
          .singleElement()
          .satisfies(
              f -> {
                assertThat(f.location()).isEqualTo(location(renewed));
                assertThat(f.message())
                    .contains(
                        "not the version the freshness map of the store's ClientRequestToken"
                            + " records lists");
              });
    }
  }

  /**
   * Expired records deleted at their look-up and by the sweep keep the map right: no false alarm,
   * tokens within their window are still answered, expired ones are new requests.
   */
  @Test
  void expiryAndTheSweepRaiseNoFalseAlarm() throws Exception {
    try (Coffer c = open(true)) {
      for (int i = 0; i < 40; i++) {
        c.transactWriteItems(add("old-" + i, "a", 1));
      }
    }
    clock.advance(Duration.ofMinutes(11));
    try (Coffer c = open(true)) {
      c.transactWriteItems(add("old-0", "a", 1)); // expired: deleted at its look-up, new again
      for (int i = 0; i < 40; i++) {
        c.transactWriteItems(add("new-" + i, "b", 1));
      }
      assertThat(counter(c, "a")).isEqualTo("41");
    }
    assertThat(tokenRecords(dir)).as("the sweep deleted the expired records").hasSize(41);
    try (Coffer c = open(true)) {
      c.transactWriteItems(add("new-0", "b", 1));
      c.transactWriteItems(add("old-0", "a", 1));
      c.transactWriteItems(add("old-1", "a", 1));
      assertThat(counter(c, "b")).as("a token within its window").isEqualTo("40");
      assertThat(counter(c, "a")).as("old-1 expired: a new request").isEqualTo("42");
      assertThat(c.freshnessStats().failedChecks()).isZero();
      assertThat(c.table("ctr").verify().clean()).isTrue();
    }
  }

  /**
   * No false alarm under concurrency: threads run transactions with new tokens and replay earlier
   * ones while the clock moves past the window (so looked-up records expire and sweeps delete
   * records) and token records of several threads share map buckets.
   */
  @Test
  void concurrentTransactionsReplaysAndSweepsRaiseNoFalseAlarm() throws Exception {
    int threads = 4;
    int each = 60;
    try (Coffer c = open(true)) {
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      try {
        List<Future<?>> done = new ArrayList<>();
        for (int w = 0; w < threads; w++) {
          int thread = w;
          done.add(
              pool.submit(
                  () -> {
                    for (int i = 0; i < each; i++) {
                      c.transactWriteItems(add("w" + thread + "-" + i, "c" + thread, 1));
                      c.transactWriteItems(add("w" + thread + "-" + i / 2, "c" + thread, 1));
                      if (thread == 0 && i % 20 == 19) {
                        clock.advance(Duration.ofMinutes(6));
                      }
                    }
                    return null;
                  }));
        }
        for (Future<?> f : done) {
          f.get(120, TimeUnit.SECONDS);
        }
      } finally {
        pool.shutdownNow();
      }
      assertThat(c.freshnessStats().failedChecks()).isZero();
      for (int w = 0; w < threads; w++) {
        assertThat(Integer.parseInt(counter(c, "c" + w)))
            .as("each new token applied once; replays within the window not again")
            .isBetween(each, 2 * each);
      }
    }
    try (Coffer c = open(true)) {
      c.transactWriteItems(add("after", "d", 1));
      assertThat(c.freshnessStats().failedChecks()).isZero();
    }
  }

  /**
   * A store whose token records were written without freshness gets their map built as found at its
   * first open with it; from then on a removal is caught.
   */
  @Test
  void tokenRecordsWrittenWithoutFreshnessAreMappedAtTheFirstOpenWithIt() throws Exception {
    try (Coffer c = open(false)) {
      c.transactWriteItems(add("deposit-1", "a", 5));
      c.transactWriteItems(add("deposit-2", "a", 5));
    }
    try (Coffer c = open(true)) {
      c.transactWriteItems(add("deposit-1", "a", 5));
      assertThat(counter(c, "a")).isEqualTo("10");
      assertThat(c.freshnessStats().failedChecks()).isZero();
    }
    deleteTokenRecords(dir);
    try (Coffer c = open(true)) {
      assertThatThrownBy(() -> c.transactWriteItems(add("deposit-2", "a", 5)))
          .isInstanceOf(CorruptionException.class);
      assertThat(counter(c, "a")).isEqualTo("10");
    }
  }

  /**
   * The renewal of the store key (the first master-key rotation of a store older than the sealed
   * state's binding) re-seals every token record under a new digest in one batch: the map follows
   * in the same batch, so replays are still answered, with no false alarm; and a token record
   * removed before it fails the renewal rather than being carried over as absent.
   */
  @Test
  void theStoreKeyRenewalKeepsTheTokenMapAndRefusesARemovedRecord() throws Exception {
    Path fixture = Path.of("src/test/resources/fixtures/format2");
    for (boolean removed : new boolean[] {false, true}) {
      Path at = dir.resolve("renewal-" + removed);
      FormatFixture.copy(fixture, at);
      Path store = at.resolve("store");
      try (LocalKeyProvider keys =
          FormatFixture.provider(at.resolve("keystore"), FormatFixture.rawKey(at))) {
        CofferOptions options =
            CofferOptions.builder()
                .keyProvider(keys)
                .masterKeyId(FormatFixture.MASTER_KEY)
                .createIfMissing(false)
                .clock(clock)
                .freshness(true)
                .build();
        try (Coffer c = Coffer.open(store, options)) {
          c.createTable(
              TableSpec.builder().name("ctr").partitionKey("id", AttributeType.S).build());
          for (int i = 0; i < 5; i++) {
            c.transactWriteItems(add("t-" + i, "a", 1));
          }
        }
        if (removed) {
          byte[] first = tokenRecords(store).keySet().iterator().next();
          try (RawStore raw = new RawStore(store)) {
            raw.delete(raw.families().get("default"), first);
          }
          try (Coffer c = Coffer.open(store, options)) {
            assertThatThrownBy(c::rotateMasterKey)
                .isInstanceOf(CorruptionException.class)
                .hasMessageContaining("ClientRequestToken records lists is missing");
          }
          continue;
        }
        List<byte[]> before = List.copyOf(tokenRecords(store).keySet());
        try (Coffer c = Coffer.open(store, options)) {
          c.rotateMasterKey();
          c.transactWriteItems(add("t-0", "a", 1));
          assertThat(counter(c, "a")).as("answered, not applied again").isEqualTo("5");
        }
        assertThat(tokenRecords(store).keySet())
            .as("re-sealed under new digests")
            .hasSize(5)
            .noneMatch(k -> before.stream().anyMatch(b -> Arrays.equals(b, k)));
        try (Coffer c = Coffer.open(store, options)) {
          c.transactWriteItems(add("t-4", "a", 1));
          c.transactWriteItems(add("t-5", "a", 1));
          assertThat(counter(c, "a")).isEqualTo("6");
          assertThat(c.freshnessStats().failedChecks()).isZero();
        }
        deleteTokenRecords(store);
        try (Coffer c = Coffer.open(store, options)) {
          assertThatThrownBy(() -> c.transactWriteItems(add("t-1", "a", 1)))
              .isInstanceOf(CorruptionException.class);
        }
      }
    }
  }
}
