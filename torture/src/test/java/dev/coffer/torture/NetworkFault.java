package dev.coffer.torture;

import dev.coffer.kms.AccessDeniedException;
import dev.coffer.kms.KeyProviderException;
import dev.coffer.kms.KeyProviderUnavailableException;
import dev.coffer.kms.ThrottlingException;
import dev.coffer.kms.audit.AuditOutcome;
import dev.coffer.kms.memory.FaultInjector;

/**
 * The faults of the aws-kms route ({@link AwsKmsRig}): throttling and AccessDenied answered by the
 * endpoint as KMS errors, a read timeout and a dropped connection made by the proxy. Each can be
 * persistent (until healed) or, except AccessDenied, transient (one request), which the provider's
 * retries absorb.
 */
enum NetworkFault {
  /** KMS answers {@code ThrottlingException}. */
  THROTTLING(ThrottlingException.class, AuditOutcome.FAILED),
  /** The request is never answered: the read times out. */
  TIMEOUT(KeyProviderUnavailableException.class, AuditOutcome.FAILED),
  /** The connection is reset when the request arrives. */
  DROPPED_CONNECTION(KeyProviderUnavailableException.class, AuditOutcome.FAILED),
  /** KMS answers {@code AccessDeniedException} for the action. */
  ACCESS_DENIED(AccessDeniedException.class, AuditOutcome.DENIED);

  final Class<? extends KeyProviderException> exception;
  final AuditOutcome audited;

  NetworkFault(Class<? extends KeyProviderException> exception, AuditOutcome audited) {
    this.exception = exception;
    this.audited = audited;
  }

  /** On until {@link AwsKmsRig#heal()}; AccessDenied for {@code action} only. */
  void persistent(AwsKmsRig rig, String action) {
    switch (this) {
      case THROTTLING -> FaultInjector.of(rig.ring).throttleNext(Integer.MAX_VALUE);
      case TIMEOUT -> rig.proxy.failAll(FaultyProxy.Mode.STALL);
      case DROPPED_CONNECTION -> rig.proxy.failAll(FaultyProxy.Mode.DROP);
      case ACCESS_DENIED -> FaultInjector.of(rig.ring).deny(action);
      default -> throw new AssertionError(this);
    }
  }

  /** For the next request only. */
  void once(AwsKmsRig rig) {
    switch (this) {
      case THROTTLING -> FaultInjector.of(rig.ring).throttleNext(1);
      case TIMEOUT -> rig.proxy.failNext(FaultyProxy.Mode.STALL, 1);
      case DROPPED_CONNECTION -> rig.proxy.failNext(FaultyProxy.Mode.DROP, 1);
      default -> throw new IllegalStateException(this + " is not transient");
    }
  }

  boolean retryable() {
    return this != ACCESS_DENIED;
  }
}
