package dev.coffer.kms.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.coffer.kms.AccessDeniedException;
import dev.coffer.kms.DataKey;
import dev.coffer.kms.EncryptionContext;
import dev.coffer.kms.KeyManagement.CreateKeyRequest;
import dev.coffer.kms.KeyProviderUnavailableException;
import dev.coffer.kms.ThrottlingException;
import dev.coffer.kms.audit.AuditSink;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FaultInjectorTest {
  private static final EncryptionContext CTX = EncryptionContext.of("t", "1");
  private InMemoryKeyProvider p;
  private String key;

  @BeforeEach
  void setUp() {
    p = InMemoryKeyProvider.builder().auditSink(AuditSink.none()).build();
    key = p.createKey(CreateKeyRequest.withDescription("k")).keyId();
    FaultInjector.of(p).resetCounters();
  }

  @Test
  void denyOneActionUntilAllowed() {
    try (DataKey dk = p.generateDataKey(key, CTX)) {
      FaultInjector.of(p).deny("kms:Decrypt");
      AccessDeniedException e =
          catchThrowableOfType(AccessDeniedException.class, () -> p.decrypt(dk.wrapped(), CTX));
      assertThat(e.getMessage()).contains(p.principal()).contains("kms:Decrypt");
      assertThat(e.retryable()).isFalse();
      p.generateDataKey(key, CTX).close();
      FaultInjector.of(p).allow("kms:Decrypt");
      p.decrypt(dk.wrapped(), CTX).close();
    }
  }

  @Test
  void unavailableIsRetryable() {
    FaultInjector.of(p).unavailable(true);
    KeyProviderUnavailableException e =
        catchThrowableOfType(KeyProviderUnavailableException.class, () -> p.describeKey(key));
    assertThat(e.retryable()).isTrue();
    assertThat(e.errorCode()).isEqualTo("KeyUnavailableException");
    FaultInjector.of(p).unavailable(false);
    p.describeKey(key);

    FaultInjector.of(p).unavailableNext(2);
    assertThatThrownBy(() -> p.describeKey(key))
        .isInstanceOf(KeyProviderUnavailableException.class);
    assertThatThrownBy(() -> p.describeKey(key))
        .isInstanceOf(KeyProviderUnavailableException.class);
    p.describeKey(key);
  }

  @Test
  void throttleNextCalls() {
    FaultInjector.of(p).throttleNext(1);
    ThrottlingException e =
        catchThrowableOfType(ThrottlingException.class, () -> p.generateDataKey(key, CTX));
    assertThat(e.retryable()).isTrue();
    assertThat(e.errorCode()).isEqualTo("ThrottlingException");
    p.generateDataKey(key, CTX).close();
  }

  @Test
  void countersCountEveryCallAcrossViews() {
    FaultInjector.of(p).throttleNext(1);
    assertThatThrownBy(() -> p.generateDataKey(key, CTX)).isInstanceOf(ThrottlingException.class);
    p.generateDataKey(key, CTX).close();
    InMemoryKeyProvider bob = p.asPrincipal("bob");
    assertThat(FaultInjector.of(bob)).isSameAs(FaultInjector.of(p));
    assertThatThrownBy(() -> bob.generateDataKey(key, CTX))
        .isInstanceOf(AccessDeniedException.class);
    p.describeKey(key);
    assertThat(FaultInjector.of(p).calls("kms:GenerateDataKey")).isEqualTo(3);
    assertThat(FaultInjector.of(p).calls("kms:DescribeKey")).isEqualTo(1);
    assertThat(FaultInjector.of(p).calls("kms:Decrypt")).isZero();
    assertThat(FaultInjector.of(p).totalCalls()).isEqualTo(4);
    FaultInjector.of(p).resetCounters();
    assertThat(FaultInjector.of(p).totalCalls()).isZero();
  }

  @Test
  void clearRemovesEveryFault() {
    FaultInjector.of(p).deny("kms:DescribeKey").unavailableNext(3).throttleNext(3).clear();
    p.describeKey(key);
    p.generateDataKey(key, CTX).close();
  }
}
