package dev.coffer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coffer.kms.KeyManagement.CreateKeyRequest;
import dev.coffer.kms.KeyProviderException;
import dev.coffer.kms.KeyProviderUnavailableException;
import dev.coffer.kms.SecretBytes;
import dev.coffer.kms.audit.AuditSink;
import dev.coffer.kms.local.LocalKeyProvider;
import dev.coffer.kms.memory.FaultInjector;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15, finding 5: while the key provider cannot answer the access check, the store goes by its
 * last verdict only up to a maximum staleness, then fails closed until a check succeeds.
 */
class AccessStalenessTest {
  private static final Duration INTERVAL = Duration.ofMinutes(1);
  private static final Duration STALENESS = Duration.ofMinutes(3);

  @TempDir Path dir;
  private final MutableClock clock = new MutableClock();

  private static Table table(Coffer c) {
    return c.createTable(
        TableSpec.builder().name("items").partitionKey("id", AttributeType.S).build());
  }

  @Test
  void anUnreachableProviderFailsClosedAfterTheStalenessBoundAndRecovers() {
    TestStores stores = new TestStores();
    FaultInjector faults = FaultInjector.of(stores.provider);
    try (Coffer c =
        Coffer.open(
            dir,
            stores
                .options()
                .accessCheckInterval(INTERVAL)
                .accessCheckMaxStaleness(STALENESS)
                .clock(clock)
                .build())) {
      Table t = table(c);
      t.putItem(Item.builder().string("id", "a").build());
      faults.unavailable(true);
      clock.advance(INTERVAL); // the check fails with a retryable error: the last verdict stands
      assertThat(t.getItem(Key.of("a"))).isPresent();
      clock.advance(
          Duration.ofMinutes(2)); // 3 minutes since the last success: not yet past the bound
      t.putItem(Item.builder().string("id", "b").build());
      clock.advance(Duration.ofSeconds(1)); // past it, and the last check failed
      assertThatThrownBy(() -> t.getItem(Key.of("a")))
          .isInstanceOf(KeyProviderUnavailableException.class)
          .hasMessageContaining("could not be re-checked for PT3M1S")
          .hasMessageContaining("accessCheckMaxStaleness")
          .hasMessageContaining(stores.keyId)
          .satisfies(
              e -> {
                KeyProviderException k = (KeyProviderException) e;
                assertThat(k.action()).isEqualTo("kms:Decrypt");
                assertThat(k.keyId()).contains(stores.keyId);
                assertThat(k.retryable()).isTrue();
              });
      assertThatThrownBy(() -> t.putItem(Item.builder().string("id", "c").build()))
          .isInstanceOf(KeyProviderUnavailableException.class);
      assertThatThrownBy(() -> t.scan(Scan.all()))
          .isInstanceOf(KeyProviderUnavailableException.class);
      faults.unavailable(false);
      clock.advance(INTERVAL.dividedBy(10)); // the next retry succeeds
      assertThat(t.getItem(Key.of("b"))).isPresent();
      t.putItem(Item.builder().string("id", "c").build());
    }
  }

  /**
   * A check that hangs (a provider that stopped answering, with no deadline of its own) does not
   * let the other threads go on with the last verdict past the bound: while one thread waits for
   * the provider, the others are refused once the last successful check is older than the maximum
   * staleness, and serve again once a check has succeeded.
   */
  @Test
  void aHangingCheckDoesNotKeepTheOtherThreadsServingPastTheBound() throws Exception {
    TestStores stores = new TestStores();
    BlockingKeyProvider provider = new BlockingKeyProvider(stores.provider);
    ExecutorService other = Executors.newSingleThreadExecutor();
    try (Coffer c =
        Coffer.open(
            dir,
            CofferOptions.builder()
                .keyProvider(provider)
                .masterKeyId(stores.keyId)
                .accessCheckInterval(INTERVAL)
                .accessCheckMaxStaleness(STALENESS)
                .accessCheckTimeout(Duration.ZERO) // the checking thread waits as long as it takes
                .clock(clock)
                .build())) {
      Table t = table(c);
      t.putItem(Item.builder().string("id", "a").build());
      provider.blockNextDecrypt();
      clock.advance(INTERVAL); // a check is due: the next operation runs it, and it hangs
      Future<Optional<Item>> hanging = other.submit(() -> t.getItem(Key.of("a")));
      try {
        assertThat(provider.awaitBlocked()).isTrue();
        assertThat(t.getItem(Key.of("a"))).isPresent(); // within the bound: the last verdict
        clock.advance(Duration.ofMinutes(2));
        t.putItem(Item.builder().string("id", "b").build()); // 3 minutes: not yet past it
        clock.advance(Duration.ofSeconds(1));
        assertThatThrownBy(() -> t.getItem(Key.of("a")))
            .isInstanceOf(KeyProviderUnavailableException.class)
            .hasMessageContaining("could not be re-checked for PT3M1S")
            .hasMessageContaining("a check is still waiting for the key provider's answer")
            .hasMessageContaining(stores.keyId)
            .satisfies(
                e -> assertThat(((KeyProviderException) e).action()).isEqualTo("kms:Decrypt"));
        assertThatThrownBy(() -> t.putItem(Item.builder().string("id", "c").build()))
            .isInstanceOf(KeyProviderUnavailableException.class);
        assertThatThrownBy(() -> t.scan(Scan.all()))
            .isInstanceOf(KeyProviderUnavailableException.class);
      } finally {
        provider.release();
      }
      assertThat(hanging.get(1, TimeUnit.MINUTES)).isPresent(); // its check succeeded
      assertThat(t.getItem(Key.of("b"))).isPresent(); // the next check (due) succeeds here
      t.putItem(Item.builder().string("id", "c").build());
    } finally {
      other.shutdownNow();
    }
  }

  /**
   * A check has a deadline of its own (real time): past it the check counts as failed and the
   * operation that ran it is refused, naming the key and the deadline; the others go by the last
   * verdict up to the bound, no second check starts while the provider's call hangs, and its
   * answer, when it comes, restores access.
   */
  @Test
  void aCheckPastItsDeadlineCountsAsFailedAndItsCallerIsRefused() throws Exception {
    TestStores stores = new TestStores();
    BlockingKeyProvider provider = new BlockingKeyProvider(stores.provider);
    try (Coffer c =
        Coffer.open(
            dir,
            CofferOptions.builder()
                .keyProvider(provider)
                .masterKeyId(stores.keyId)
                .accessCheckInterval(INTERVAL)
                .accessCheckMaxStaleness(STALENESS)
                .accessCheckTimeout(Duration.ofMillis(200))
                .clock(clock)
                .build())) {
      Table t = table(c);
      t.putItem(Item.builder().string("id", "a").build());
      provider.blockNextDecrypt();
      clock.advance(INTERVAL); // a check is due, and the provider hangs
      try {
        assertThatThrownBy(() -> t.getItem(Key.of("a")))
            .isInstanceOf(KeyProviderUnavailableException.class)
            .hasMessageContaining("did not answer the access check of master key")
            .hasMessageContaining(stores.keyId)
            .hasMessageContaining("within PT0.2S")
            .hasMessageContaining("CofferOptions.accessCheckTimeout")
            .satisfies(
                e -> assertThat(((KeyProviderException) e).action()).isEqualTo("kms:Decrypt"));
        assertThat(provider.awaitBlocked()).isTrue();
        // within the bound the other operations go by the last verdict, and start no second check
        clock.advance(Duration.ofSeconds(30));
        assertThat(t.getItem(Key.of("a"))).isPresent();
        clock.advance(Duration.ofMinutes(3)); // past the bound: refused, naming the timed-out check
        assertThatThrownBy(() -> t.getItem(Key.of("a")))
            .isInstanceOf(KeyProviderUnavailableException.class)
            .hasMessageContaining("could not be re-checked")
            .hasMessageContaining("did not answer the access check");
      } finally {
        provider.release();
      }
      // the hanging call's answer comes; then a check succeeds and access is back
      Optional<Item> back = Optional.empty();
      for (int i = 0; i < 600 && back.isEmpty(); i++) {
        try {
          back = t.getItem(Key.of("a"));
        } catch (KeyProviderUnavailableException e) {
          Thread.sleep(100); // the background call has not returned yet
        }
      }
      assertThat(back).isPresent();
    }
  }

  /**
   * The default bound is three intervals, but at least a minute (an interval of zero checks every
   * operation).
   */
  @Test
  void theDefaultBoundIsThreeIntervalsAndAtLeastAMinute() {
    CofferOptions.Builder b = new TestStores().options();
    assertThat(b.build().accessCheckMaxStaleness()).isEqualTo(Duration.ofMinutes(15));
    assertThat(b.accessCheckInterval(Duration.ZERO).build().accessCheckMaxStaleness())
        .isEqualTo(Duration.ofMinutes(1));
    assertThat(
            b.accessCheckInterval(Duration.ofMinutes(1)).build().toBuilder()
                .accessCheckInterval(Duration.ofMinutes(2))
                .build()
                .accessCheckMaxStaleness())
        .isEqualTo(Duration.ofMinutes(6));
    assertThat(b.accessCheckMaxStaleness(Duration.ZERO).build().accessCheckMaxStaleness()).isZero();
    assertThatThrownBy(() -> b.accessCheckMaxStaleness(Duration.ofDays(8)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  /**
   * A deleted keystore file no longer keeps the keys the store already unwrapped working forever.
   */
  @Test
  void aDeletedKeystoreStopsTheStoreAfterTheBound() throws Exception {
    byte[] raw = new byte[32];
    new SecureRandom().nextBytes(raw);
    Path keystore = dir.resolve("keys").resolve("keystore");
    try (LocalKeyProvider keys =
        LocalKeyProvider.builder()
            .keystore(keystore)
            .rawKey(SecretBytes.copyOf(raw))
            .auditSink(AuditSink.none())
            .build()) {
      String key = keys.createKey(CreateKeyRequest.withDescription("store")).keyId();
      try (Coffer c =
          Coffer.open(
              dir.resolve("store"),
              CofferOptions.builder()
                  .keyProvider(keys)
                  .masterKeyId(key)
                  .accessCheckInterval(INTERVAL)
                  .accessCheckMaxStaleness(STALENESS)
                  .clock(clock)
                  .build())) {
        Table t = table(c);
        t.putItem(Item.builder().string("id", "a").build());
        Files.delete(keystore);
        clock.advance(INTERVAL);
        assertThat(t.getItem(Key.of("a"))).isPresent(); // within the bound
        clock.advance(STALENESS);
        assertThatThrownBy(() -> t.getItem(Key.of("a")))
            .isInstanceOf(KeyProviderUnavailableException.class)
            .hasMessageContaining("disappeared");
      }
    }
  }
}
