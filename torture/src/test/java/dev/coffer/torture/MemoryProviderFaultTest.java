package dev.coffer.torture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coffer.Coffer;
import dev.coffer.CofferOptions;
import dev.coffer.Key;
import dev.coffer.MasterKeyRotation;
import dev.coffer.ReencryptOptions;
import dev.coffer.ReencryptResult;
import dev.coffer.Table;
import dev.coffer.kms.AccessDeniedException;
import dev.coffer.kms.IncorrectKeyException;
import dev.coffer.kms.KeyManagement.CreateKeyRequest;
import dev.coffer.kms.audit.AuditOutcome;
import dev.coffer.kms.memory.InMemoryKeyProvider;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Key-provider faults (the in-memory provider's throttling, unavailability and AccessDenied)
 * injected in the middle of a master-key rewrap, a data-key rotation, a re-encryption job and a
 * DeleteTable. Each operation must end finished or cleanly resumable, never half-applied: after the
 * fault clears, the operation completes, every item reads back as written by every read path, no
 * data-key version is lost, and the engine's audit shows the failure. The matrix is in
 * docs/testing.md.
 */
class MemoryProviderFaultTest {
  @TempDir Path dir;

  private final AuditLog engineAudit = new AuditLog();
  private InMemoryKeyProvider keys;
  private TriggeredProvider provider;
  private String keyA;
  private String keyB;

  @BeforeEach
  void keys() {
    keys = InMemoryKeyProvider.builder().auditSink(new AuditLog()).build();
    keyA = keys.createKey(CreateKeyRequest.withDescription("a")).keyId();
    keyB = keys.createKey(CreateKeyRequest.withDescription("b")).keyId();
    provider = new TriggeredProvider(keys);
  }

  private Coffer open(String masterKey, Duration accessCheckInterval) {
    return Coffer.open(
        dir,
        CofferOptions.builder()
            .keyProvider(provider)
            .masterKeyId(masterKey)
            .accessCheckInterval(accessCheckInterval)
            .auditSink(engineAudit)
            .build());
  }

  private Coffer open(String masterKey) {
    return open(masterKey, CofferOptions.DEFAULT_ACCESS_CHECK_INTERVAL);
  }

  @ParameterizedTest
  @EnumSource(ProviderFault.class)
  void aRewrapFailingAtAnyKeyChangesNothingAndThenCompletes(ProviderFault fault) {
    FaultFixture f;
    int n;
    try (Coffer c = open(keyA)) {
      f = FaultFixture.populate(c);
      long before = provider.calls("kms:ReEncrypt");
      c.rotateMasterKey(); // to the same key: counts the keys a rewrap re-wraps
      n = (int) (provider.calls("kms:ReEncrypt") - before);
    }
    assertThat(n).as("store key + 4 index keys + 5 data-key versions").isEqualTo(10);
    for (int k = 1; k <= n; k++) {
      Map<String, List<String>> versions;
      try (Coffer c = open(keyA)) {
        versions = FaultFixture.keyVersions(c);
        engineAudit.clear();
        provider.armAt("kms:ReEncrypt", k, () -> fault.inject(keys, "kms:ReEncrypt"));
        assertThatThrownBy(() -> c.rotateMasterKey(keyB))
            .as("fault at key %d of %d", k, n)
            .isInstanceOf(fault.exception);
        ProviderFault.clear(keys);
        assertThat(engineAudit.find("coffer:RotateMasterKey", fault.audited)).hasSize(1);
        assertThat(engineAudit.find("coffer:RotateMasterKey", AuditOutcome.SUCCESS)).isEmpty();
        f.assertAllReadable(c); // the open store goes on under the old key
        f.put(c, "t_pk", 1, "after-failed-rewrap-" + k);
        assertThat(FaultFixture.keyVersions(c)).isEqualTo(versions);
      }
      assertThatThrownBy(() -> open(keyB))
          .as("nothing was re-wrapped under the new key")
          .isInstanceOf(IncorrectKeyException.class);
      try (Coffer c = open(keyA)) {
        f.assertAllReadable(c);
        assertThat(FaultFixture.keyVersions(c)).isEqualTo(versions);
      }
    }
    try (Coffer c = open(keyA)) {
      MasterKeyRotation r = c.rotateMasterKey(keyB);
      assertThat(r.keysRewrapped()).isEqualTo(n);
    }
    assertThatThrownBy(() -> open(keyA)).isInstanceOf(IncorrectKeyException.class);
    try (Coffer c = open(keyB)) {
      f.assertAllReadable(c);
    }
  }

  @ParameterizedTest
  @EnumSource(ProviderFault.class)
  void aFailedDataKeyRotationChangesNothingAndTheNextTakesTheNextVersion(ProviderFault fault) {
    FaultFixture f;
    try (Coffer c = open(keyA)) {
      f = FaultFixture.populate(c);
      Table t = c.table("t_sk");
      Map<String, List<String>> versions = FaultFixture.keyVersions(c);
      engineAudit.clear();
      provider.armAt("kms:GenerateDataKey", 1, () -> fault.inject(keys, "kms:GenerateDataKey"));
      assertThatThrownBy(t::rotateDataKey).isInstanceOf(fault.exception);
      ProviderFault.clear(keys);
      assertThat(engineAudit.find("coffer:RotateDataKey", fault.audited)).hasSize(1);
      assertThat(FaultFixture.keyVersions(c)).isEqualTo(versions);
      f.put(c, "t_sk", 1, "after-failed-rotation"); // sealed under version 1, still primary
      assertThat(t.rotateDataKey()).isEqualTo(2);
      f.put(c, "t_sk", 3, "after-rotation");
      f.assertAllReadable(c);
    }
    try (Coffer c = open(keyA)) {
      assertThat(FaultFixture.keyVersions(c).get("t_sk")).containsExactly("1:RETIRED", "2:PRIMARY");
      f.assertAllReadable(c);
    }
  }

  static Stream<Arguments> reencryptionFaults() {
    List<Arguments> out = new ArrayList<>();
    for (ProviderFault fault : ProviderFault.values()) {
      for (int k : new int[] {2, 40, 110}) {
        out.add(Arguments.of(fault, k));
      }
    }
    return out.stream();
  }

  /**
   * With an access-check interval of zero, the job checks its right to use the master key (a
   * provider Decrypt) before each of the table's 120 partitions; the fault lands at the k-th check.
   */
  @ParameterizedTest
  @MethodSource("reencryptionFaults")
  void aReencryptionHitByAFaultFinishesOrResumes(ProviderFault fault, int k) {
    FaultFixture f;
    try (Coffer c = open(keyA, Duration.ZERO)) {
      f = FaultFixture.populate(c);
      Table t = c.table("t_pk");
      t.rotateDataKey();
      engineAudit.clear();
      provider.armAt("kms:Decrypt", k, () -> fault.inject(keys, "kms:Decrypt"));
      ReencryptOptions options = ReencryptOptions.builder().persistEveryPages(1).build();
      if (fault.retryable()) {
        // the access check keeps its last verdict on a retryable error: the job goes on
        ReencryptResult r = t.reencrypt(options);
        assertThat(provider.armed()).as("the fault fired during the job").isFalse();
        assertThat(r.finished()).isTrue();
        assertThat(r.destroyedVersions()).containsExactly(1);
        assertThat(engineAudit.find("coffer:AccessCheck", AuditOutcome.FAILED)).isNotEmpty();
        ProviderFault.clear(keys);
      } else {
        assertThatThrownBy(() -> t.reencrypt(options)).isInstanceOf(AccessDeniedException.class);
        assertThat(t.describe().reencryption())
            .as("resumable: the cursor is persisted")
            .isPresent();
        assertThat(FaultFixture.keyVersions(c).get("t_pk"))
            .containsExactly("1:RETIRED", "2:PRIMARY");
        assertThat(engineAudit.find("coffer:Reencrypt", AuditOutcome.DENIED)).hasSize(1);
        assertThat(engineAudit.find("coffer:AccessCheck", AuditOutcome.DENIED)).isNotEmpty();
        assertThatThrownBy(() -> t.getItem(Key.of("k0")))
            .as("fail closed meanwhile")
            .isInstanceOf(AccessDeniedException.class);
        ProviderFault.clear(keys);
        ReencryptResult r = t.reencrypt(ReencryptOptions.defaults());
        assertThat(r.resumed()).isTrue();
        assertThat(r.finished()).isTrue();
        assertThat(r.destroyedVersions()).containsExactly(1);
      }
      f.assertAllReadable(c);
    }
    try (Coffer c = open(keyA)) {
      assertThat(FaultFixture.keyVersions(c).get("t_pk"))
          .containsExactly("1:DESTROYED", "2:PRIMARY");
      f.assertAllReadable(c);
    }
  }

  /**
   * A job stopped by a refusal, a store closed, an open that fails on a fault, then one that
   * resumes the job.
   */
  @ParameterizedTest
  @EnumSource(ProviderFault.class)
  void aReencryptionStoppedByAFaultAndAClosedStoreResumesAtTheNextOpen(ProviderFault fault) {
    FaultFixture f;
    try (Coffer c = open(keyA, Duration.ZERO)) {
      f = FaultFixture.populate(c);
      c.table("t_pk").rotateDataKey();
      provider.armAt(
          "kms:Decrypt", 30, () -> ProviderFault.ACCESS_DENIED.inject(keys, "kms:Decrypt"));
      assertThatThrownBy(
              () ->
                  c.table("t_pk")
                      .reencrypt(ReencryptOptions.builder().persistEveryPages(1).build()))
          .isInstanceOf(AccessDeniedException.class); // stopped in the middle, cursor persisted
    }
    ProviderFault.clear(keys);
    fault.inject(keys, "kms:Decrypt");
    assertThatThrownBy(() -> open(keyA))
        .as("the open needs the provider")
        .isInstanceOf(fault.exception);
    ProviderFault.clear(keys);
    try (Coffer c = open(keyA)) {
      ReencryptResult r =
          c.table("t_pk").reencrypt(ReencryptOptions.defaults()); // waits for the resumed job
      assertThat(r.finished()).isTrue();
      assertThat(FaultFixture.keyVersions(c).get("t_pk"))
          .containsExactly("1:DESTROYED", "2:PRIMARY");
      assertThat(c.table("t_pk").describe().reencryption()).isEmpty();
      f.assertAllReadable(c);
    }
  }

  @ParameterizedTest
  @EnumSource(ProviderFault.class)
  void deleteTableNeedsNoProviderCallAndCompletesDuringAFault(ProviderFault fault) {
    FaultFixture f;
    try (Coffer c = open(keyA)) {
      f = FaultFixture.populate(c);
      for (String action :
          List.of("kms:Decrypt", "kms:GenerateDataKey", "kms:ReEncrypt", "kms:Encrypt")) {
        fault.inject(keys, action);
      }
      engineAudit.clear();
      long calls = provider.totalCalls();
      c.deleteTable(FaultFixture.VICTIM.name());
      assertThat(provider.totalCalls())
          .as("crypto-shredding is local: no provider call")
          .isEqualTo(calls);
      f.dropped(FaultFixture.VICTIM.name());
      assertThat(c.listTables()).doesNotContain(FaultFixture.VICTIM.name());
      assertThat(engineAudit.find("coffer:DeleteTable", AuditOutcome.SUCCESS)).hasSize(2);
      f.assertAllReadable(c); // no access check is due: the other tables serve on
      ProviderFault.clear(keys);
    }
    try (Coffer c = open(keyA)) {
      assertThat(c.listTables()).doesNotContain(FaultFixture.VICTIM.name());
      f.assertAllReadable(c);
    }
  }
}
