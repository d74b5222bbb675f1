package dev.coffer.torture;

import dev.coffer.kms.AccessDeniedException;
import dev.coffer.kms.KeyProviderException;
import dev.coffer.kms.KeyProviderUnavailableException;
import dev.coffer.kms.ThrottlingException;
import dev.coffer.kms.audit.AuditOutcome;
import dev.coffer.kms.memory.FaultInjector;
import dev.coffer.kms.memory.InMemoryKeyProvider;

/**
 * The faults the in-memory provider injects (its {@link FaultInjector}, from the kms-provider test
 * jar). Each stays on until {@link #clear}: a throttled, unavailable (what a timeout or a dropped
 * connection looks like once a provider has given up retrying) or refused provider.
 */
enum ProviderFault {
  /** {@code ThrottlingException} (retryable). */
  THROTTLING(ThrottlingException.class, AuditOutcome.FAILED),
  /** {@code KeyProviderUnavailableException} (retryable). */
  UNAVAILABLE(KeyProviderUnavailableException.class, AuditOutcome.FAILED),
  /** {@code AccessDeniedException} for one action (not retryable). */
  ACCESS_DENIED(AccessDeniedException.class, AuditOutcome.DENIED);

  final Class<? extends KeyProviderException> exception;
  final AuditOutcome audited;

  ProviderFault(Class<? extends KeyProviderException> exception, AuditOutcome audited) {
    this.exception = exception;
    this.audited = audited;
  }

  /**
   * Switches the fault on for calls of {@code action} (throttling and unavailability: every call).
   */
  void inject(InMemoryKeyProvider keys, String action) {
    switch (this) {
      case THROTTLING -> FaultInjector.of(keys).throttleNext(Integer.MAX_VALUE);
      case UNAVAILABLE -> FaultInjector.of(keys).unavailable(true);
      case ACCESS_DENIED -> FaultInjector.of(keys).deny(action);
      default -> throw new AssertionError(this);
    }
  }

  /** Switches every fault off. */
  static void clear(InMemoryKeyProvider keys) {
    FaultInjector.of(keys).clear();
  }

  /** Whether the engine lets the access check's last verdict stand on this fault (retryable). */
  boolean retryable() {
    return this != ACCESS_DENIED;
  }
}
