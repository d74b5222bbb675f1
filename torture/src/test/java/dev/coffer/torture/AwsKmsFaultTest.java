package dev.coffer.torture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coffer.Coffer;
import dev.coffer.CofferOptions;
import dev.coffer.ReencryptOptions;
import dev.coffer.ReencryptResult;
import dev.coffer.Table;
import dev.coffer.kms.IncorrectKeyException;
import dev.coffer.kms.audit.AuditOutcome;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Network-shaped key-provider faults through the aws-kms provider ({@link AwsKmsRig}): throttling,
 * read timeouts, dropped connections and AccessDenied, in the middle of a master-key rewrap, a
 * data-key rotation, a re-encryption job and a DeleteTable. A transient fault is absorbed by the
 * provider's retries (the operation finishes at once; the provider's audit record says it succeeded
 * after more than one attempt); a persistent one makes the operation fail cleanly with the
 * provider's exception, changing nothing (or, for re-encryption, leaving a resumable job), and the
 * operation completes once the network heals. The matrix is in docs/testing.md.
 */
class AwsKmsFaultTest {
  private static final Duration DEFAULT_INTERVAL = CofferOptions.DEFAULT_ACCESS_CHECK_INTERVAL;

  @TempDir Path dir;

  private final AuditLog engineAudit = new AuditLog();
  private AwsKmsRig rig;

  @BeforeEach
  void start() throws Exception {
    rig = new AwsKmsRig();
  }

  @AfterEach
  void stop() throws Exception {
    rig.close();
  }

  private Coffer open(String key, Duration interval) {
    return rig.open(dir, key, interval, engineAudit);
  }

  /**
   * The network faults at the first, a middle and the last of the 10 keys; throttling and
   * AccessDenied at a middle key (MemoryProviderFaultTest puts them at every key).
   */
  static Stream<Arguments> rewrapFaults() {
    List<Arguments> out = new ArrayList<>();
    for (NetworkFault f : NetworkFault.values()) {
      boolean wire = f == NetworkFault.TIMEOUT || f == NetworkFault.DROPPED_CONNECTION;
      for (int k : wire ? new int[] {1, 5, 10} : new int[] {5}) {
        out.add(Arguments.of(f, k));
      }
    }
    return out.stream();
  }

  @ParameterizedTest
  @MethodSource("rewrapFaults")
  void aRewrapCutOffInTheMiddleChangesNothingAndCompletesAfterwards(NetworkFault fault, int k) {
    FaultFixture f;
    Map<String, List<String>> versions;
    try (Coffer c = open(rig.keyA, DEFAULT_INTERVAL)) {
      f = FaultFixture.populate(c);
      versions = FaultFixture.keyVersions(c);
      rig.provider.armAt("kms:ReEncrypt", k, () -> fault.persistent(rig, "kms:ReEncrypt"));
      assertThatThrownBy(() -> c.rotateMasterKey(rig.keyB)).isInstanceOf(fault.exception);
      rig.heal();
      assertThat(engineAudit.find("coffer:RotateMasterKey", fault.audited)).hasSize(1);
      assertThat(rig.providerAudit.find("kms:ReEncrypt", fault.audited)).hasSize(1);
      f.assertAllReadable(c);
    }
    assertThatThrownBy(() -> open(rig.keyB, DEFAULT_INTERVAL))
        .isInstanceOf(IncorrectKeyException.class);
    try (Coffer c = open(rig.keyA, DEFAULT_INTERVAL)) {
      assertThat(FaultFixture.keyVersions(c)).isEqualTo(versions);
      f.assertAllReadable(c);
      assertThat(c.rotateMasterKey(rig.keyB).keysRewrapped()).isEqualTo(10);
    }
    try (Coffer c = open(rig.keyB, DEFAULT_INTERVAL)) {
      f.assertAllReadable(c);
    }
  }

  @ParameterizedTest
  @EnumSource(
      value = NetworkFault.class,
      names = {"THROTTLING", "TIMEOUT", "DROPPED_CONNECTION"})
  void aTransientFaultInARewrapIsRetriedAway(NetworkFault fault) {
    try (Coffer c = open(rig.keyA, DEFAULT_INTERVAL)) {
      FaultFixture f = FaultFixture.populate(c);
      rig.provider.armAt("kms:ReEncrypt", 4, () -> fault.once(rig));
      assertThat(c.rotateMasterKey(rig.keyB).keysRewrapped()).isEqualTo(10);
      assertThat(rig.providerAudit.find("kms:ReEncrypt", AuditOutcome.SUCCESS))
          .anyMatch(r -> r.message().contains("succeeded after 2 attempts"));
      f.assertAllReadable(c);
    }
  }

  @ParameterizedTest
  @EnumSource(NetworkFault.class)
  void aDataKeyRotationCutOffChangesNothingAndTheNextTakesTheNextVersion(NetworkFault fault) {
    FaultFixture f;
    try (Coffer c = open(rig.keyA, DEFAULT_INTERVAL)) {
      f = FaultFixture.populate(c);
      Table t = c.table("t_sk");
      Map<String, List<String>> versions = FaultFixture.keyVersions(c);
      rig.provider.armAt(
          "kms:GenerateDataKey", 1, () -> fault.persistent(rig, "kms:GenerateDataKey"));
      assertThatThrownBy(t::rotateDataKey).isInstanceOf(fault.exception);
      rig.heal();
      assertThat(engineAudit.find("coffer:RotateDataKey", fault.audited)).hasSize(1);
      assertThat(FaultFixture.keyVersions(c)).isEqualTo(versions);
      f.put(c, "t_sk", 1, "after-failed-rotation");
      if (fault.retryable()) {
        rig.provider.armAt("kms:GenerateDataKey", 1, () -> fault.once(rig));
      }
      assertThat(t.rotateDataKey()).isEqualTo(2);
      f.assertAllReadable(c);
    }
    try (Coffer c = open(rig.keyA, DEFAULT_INTERVAL)) {
      assertThat(FaultFixture.keyVersions(c).get("t_sk")).containsExactly("1:RETIRED", "2:PRIMARY");
      f.assertAllReadable(c);
    }
  }

  /**
   * Re-encryption of t_sk (6 partitions), an access check (a KMS Decrypt) before each; the fault
   * starts at the 3rd check and lasts.
   */
  @ParameterizedTest
  @EnumSource(NetworkFault.class)
  void aReencryptionCutOffFinishesOrResumes(NetworkFault fault) {
    FaultFixture f;
    try (Coffer c = open(rig.keyA, DEFAULT_INTERVAL)) {
      f = FaultFixture.populate(c);
      c.table("t_sk").rotateDataKey();
    }
    try (Coffer c = open(rig.keyA, Duration.ZERO)) {
      Table t = c.table("t_sk");
      engineAudit.clear();
      rig.provider.armAt("kms:Decrypt", 3, () -> fault.persistent(rig, "kms:Decrypt"));
      ReencryptOptions options = ReencryptOptions.builder().persistEveryPages(1).build();
      if (fault.retryable()) {
        ReencryptResult r = t.reencrypt(options); // the last verdict stands on a retryable error
        assertThat(rig.provider.armed()).isFalse();
        assertThat(r.finished()).isTrue();
        assertThat(r.destroyedVersions()).containsExactly(1);
        assertThat(engineAudit.find("coffer:AccessCheck", AuditOutcome.FAILED)).isNotEmpty();
        rig.heal();
      } else {
        assertThatThrownBy(() -> t.reencrypt(options)).isInstanceOf(fault.exception);
        assertThat(t.describe().reencryption()).isPresent();
        assertThat(FaultFixture.keyVersions(c).get("t_sk"))
            .containsExactly("1:RETIRED", "2:PRIMARY");
        assertThat(engineAudit.find("coffer:Reencrypt", AuditOutcome.DENIED)).hasSize(1);
        rig.heal();
        ReencryptResult r = t.reencrypt(ReencryptOptions.defaults());
        assertThat(r.resumed()).isTrue();
        assertThat(r.finished()).isTrue();
        assertThat(r.destroyedVersions()).containsExactly(1);
      }
      f.assertAllReadable(c);
    }
    try (Coffer c = open(rig.keyA, DEFAULT_INTERVAL)) {
      assertThat(FaultFixture.keyVersions(c).get("t_sk"))
          .containsExactly("1:DESTROYED", "2:PRIMARY");
      f.assertAllReadable(c);
    }
  }

  @ParameterizedTest
  @EnumSource(NetworkFault.class)
  void deleteTableCompletesWhileKmsIsUnreachable(NetworkFault fault) {
    FaultFixture f;
    try (Coffer c = open(rig.keyA, DEFAULT_INTERVAL)) {
      f = FaultFixture.populate(c);
      for (String action :
          List.of("kms:Decrypt", "kms:GenerateDataKey", "kms:ReEncrypt", "kms:Encrypt")) {
        fault.persistent(rig, action);
      }
      long calls = rig.provider.totalCalls();
      long requests = rig.proxy.requests();
      c.deleteTable(FaultFixture.VICTIM.name());
      assertThat(rig.provider.totalCalls()).isEqualTo(calls);
      assertThat(rig.proxy.requests()).as("no request to KMS").isEqualTo(requests);
      f.dropped(FaultFixture.VICTIM.name());
      assertThat(engineAudit.find("coffer:DeleteTable", AuditOutcome.SUCCESS)).hasSize(2);
      f.assertAllReadable(c);
      rig.heal();
    }
    try (Coffer c = open(rig.keyA, DEFAULT_INTERVAL)) {
      assertThat(c.listTables()).doesNotContain(FaultFixture.VICTIM.name());
      f.assertAllReadable(c);
    }
  }
}
