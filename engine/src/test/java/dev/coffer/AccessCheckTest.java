package dev.coffer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coffer.kms.AccessDeniedException;
import dev.coffer.kms.DisabledException;
import dev.coffer.kms.KeyProviderException;
import dev.coffer.kms.KmsInvalidStateException;
import dev.coffer.kms.audit.AuditOutcome;
import dev.coffer.kms.memory.FaultInjector;
import dev.coffer.kms.memory.InMemoryKeyProvider;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loss of access fails closed within the re-check interval and recovers without a reopen. */
class AccessCheckTest {
  private static final Duration INTERVAL = Duration.ofMinutes(1);

  @TempDir Path dir;

  private final TestStores stores = new TestStores();
  private final MutableClock clock = new MutableClock();
  private final AuditCollector audit = new AuditCollector();
  private Coffer coffer;
  private Table table;

  @BeforeEach
  void open() {
    coffer = open(stores.provider);
  }

  private Coffer open(InMemoryKeyProvider provider) {
    Coffer c =
        Coffer.open(
            dir,
            CofferOptions.builder()
                .keyProvider(provider)
                .masterKeyId(stores.keyId)
                .accessCheckInterval(INTERVAL)
                .clock(clock)
                .auditSink(audit)
                .build());
    table =
        c.listTables().contains("t01")
            ? c.table("t01")
            : c.createTable(
                TableSpec.builder().name("t01").partitionKey("id", AttributeType.S).build());
    table.putItem(Item.builder().string("id", "a").build());
    return c;
  }

  @org.junit.jupiter.api.AfterEach
  void close() {
    coffer.close();
  }

  private void assertWorks() {
    table.putItem(Item.builder().string("id", "b").build());
    assertThat(table.getItem(Key.of("a"))).isPresent();
    assertThat(table.scan(Scan.all()).count()).isEqualTo(2);
  }

  private <E extends KeyProviderException> void assertRefused(Class<E> type, String action) {
    assertThatThrownBy(() -> table.getItem(Key.of("a")))
        .isInstanceOf(type)
        .satisfies(e -> assertThat(((KeyProviderException) e).action()).isEqualTo(action))
        .satisfies(e -> assertThat(((KeyProviderException) e).keyId()).isNotNull());
    assertThatThrownBy(() -> table.putItem(Item.builder().string("id", "c").build()))
        .isInstanceOf(type);
    assertThatThrownBy(() -> table.scan(Scan.all())).isInstanceOf(type);
  }

  @Test
  void revokedDecryptStopsTheTableWithinTheIntervalAndTheGrantRestoresIt() {
    FaultInjector.of(stores.provider).deny("kms:Decrypt");
    assertWorks(); // still within the interval: the last check stands
    clock.advance(INTERVAL);
    assertRefused(AccessDeniedException.class, "kms:Decrypt");
    assertThatThrownBy(() -> table.getItem(Key.of("a")))
        .hasMessageContaining("not authorized to perform: kms:Decrypt")
        .hasMessageContaining(stores.provider.principal());
    FaultInjector.of(stores.provider).allow("kms:Decrypt");
    assertRefused(AccessDeniedException.class, "kms:Decrypt"); // until the next check
    clock.advance(INTERVAL);
    assertWorks();
    assertThat(audit.engine("coffer:AccessCheck"))
        .extracting(r -> r.outcome())
        .containsExactly(AuditOutcome.DENIED, AuditOutcome.SUCCESS);
  }

  @Test
  void aKeyPolicyThatNoLongerGrantsDecryptStopsTheTable() {
    coffer.close();
    InMemoryKeyProvider app = stores.provider.asPrincipal("app");
    String root = stores.provider.principal();
    String grant =
        "{\"Version\":\"2012-10-17\",\"Statement\":["
            + "{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\""
            + root
            + "\"},\"Action\":\"kms:*\",\"Resource\":\"*\"},"
            + "{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\""
            + app.principal()
            + "\"},"
            + "\"Action\":[\"kms:Decrypt\",\"kms:GenerateDataKey\",\"kms:Encrypt\",\"kms:DescribeKey\"],\"Resource\":\"*\"}]}";
    String rootOnly =
        "{\"Version\":\"2012-10-17\",\"Statement\":["
            + "{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\""
            + root
            + "\"},\"Action\":\"kms:*\",\"Resource\":\"*\"}]}";
    stores.provider.putKeyPolicy(stores.keyId, grant);
    coffer = open(app);
    stores.provider.putKeyPolicy(stores.keyId, rootOnly);
    clock.advance(INTERVAL);
    assertRefused(AccessDeniedException.class, "kms:Decrypt");
    assertThatThrownBy(() -> table.getItem(Key.of("a"))).hasMessageContaining(app.principal());
    stores.provider.putKeyPolicy(stores.keyId, grant);
    clock.advance(INTERVAL);
    assertWorks();
  }

  @Test
  void aDisabledKeyStopsTheTableAndReEnablingRestoresIt() {
    stores.provider.disableKey(stores.keyId);
    clock.advance(INTERVAL.minusSeconds(1));
    assertWorks();
    clock.advance(Duration.ofSeconds(1));
    assertRefused(DisabledException.class, "kms:Decrypt");
    stores.provider.enableKey(stores.keyId);
    clock.advance(INTERVAL);
    assertWorks();
  }

  @Test
  void aKeyPendingDeletionStopsTheTableAndCancellingRestoresIt() {
    stores.provider.scheduleKeyDeletion(stores.keyId, 7);
    clock.advance(INTERVAL);
    assertRefused(KmsInvalidStateException.class, "kms:Decrypt");
    stores.provider.cancelKeyDeletion(stores.keyId); // back to Disabled, as in KMS
    stores.provider.enableKey(stores.keyId);
    clock.advance(INTERVAL);
    assertWorks();
  }

  @Test
  void anUnavailableProviderKeepsTheLastVerdict() {
    FaultInjector.of(stores.provider).unavailable(true);
    clock.advance(INTERVAL);
    assertWorks();
    FaultInjector.of(stores.provider).unavailable(false);
    FaultInjector.of(stores.provider).deny("kms:Decrypt");
    clock.advance(INTERVAL.dividedBy(10));
    assertRefused(AccessDeniedException.class, "kms:Decrypt");
  }
}
