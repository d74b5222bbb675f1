package dev.coffer.kms.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coffer.kms.KeyDescription;
import dev.coffer.kms.KeyManagement.CreateKeyRequest;
import dev.coffer.kms.audit.AuditRecord;
import dev.coffer.kms.contract.KeyProviderContractTest.MutableClock;
import dev.coffer.kms.memory.InMemoryKeyProvider;
import dev.coffer.proto.KeystoreContents;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** KeyRing behaviour beyond the provider contract: service events, catch-up rotation, stores. */
class KeyRingTest {
  private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
  private final List<AuditRecord> audit = new CopyOnWriteArrayList<>();
  private final InMemoryKeyProvider p =
      InMemoryKeyProvider.builder().clock(clock).auditSink(audit::add).build();

  @Test
  void reEnablingAfterTheRotationDateRotatesOnceNow() {
    String id = p.createKey(CreateKeyRequest.withDescription("k")).keyId();
    p.enableKeyRotation(id, 90);
    p.disableKey(id);
    clock.advance(Duration.ofDays(400));
    assertThat(p.describeKey(id).currentKeyVersion()).isEqualTo(1);
    p.enableKey(id);
    KeyDescription d = p.describeKey(id);
    assertThat(d.currentKeyVersion()).isEqualTo(2);
    assertThat(d.nextRotationDate()).contains(clock.instant().plus(Duration.ofDays(90)));
  }

  @Test
  void serviceEventsAreAuditedAsTheService() {
    String id = p.createKey(CreateKeyRequest.withDescription("k")).keyId();
    p.enableKeyRotation(id, 90);
    String doomed = p.createKey(CreateKeyRequest.withDescription("d")).keyId();
    p.scheduleKeyDeletion(doomed, 7);
    clock.advance(Duration.ofDays(91));
    p.listKeys();
    assertThat(audit)
        .anySatisfy(
            r -> {
              assertThat(r.action()).isEqualTo("kms:RotateKey");
              assertThat(r.principal()).isEqualTo(KeyRing.SERVICE_PRINCIPAL);
              assertThat(r.keyId()).endsWith(id);
            });
    assertThat(audit)
        .anySatisfy(
            r -> {
              assertThat(r.action()).isEqualTo("kms:DeleteKey");
              assertThat(r.keyId()).endsWith(doomed);
            });
  }

  @Test
  void createKeyDoesNotNeedDescribePermission() {
    String policy =
        "{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\""
            + p.principal()
            + "\"},\"Action\":[\"kms:PutKeyPolicy\",\"kms:GenerateDataKey\"]}]}";
    KeyDescription d = p.createKey(new CreateKeyRequest("restricted", policy, null));
    assertThat(d.description()).isEqualTo("restricted");
    assertThat(audit).noneSatisfy(r -> assertThat(r.action()).isEqualTo("kms:DescribeKey"));
  }

  @Test
  void aStoreWithoutUpdateStillSavesThroughTheDefault() {
    AtomicInteger saves = new AtomicInteger();
    RingStore base = RingStore.inMemory(Arns.DEFAULT_ACCOUNT, Arns.DEFAULT_REGION, null);
    RingStore counting =
        new RingStore() {
          @Override
          public KeystoreContents load() {
            return base.load();
          }

          @Override
          public void save(KeystoreContents contents) {
            saves.incrementAndGet();
          }

          @Override
          public KeystoreContents reloadIfChanged() {
            return null;
          }
        };
    KeyRing ring = new KeyRing(counting, clock, audit::add, "test");
    Actor root = ring.actor("root", null);
    KeyDescription d = ring.keys.createKey(root, CreateKeyRequest.withDescription("k"));
    ring.keys.disableKey(root, d.keyId());
    assertThat(saves).hasValue(2);
    assertThat(counting.update(base.load(), UnaryOperator.identity())).isSameAs(base.load());
    assertThat(saves).hasValue(2);
  }
}
