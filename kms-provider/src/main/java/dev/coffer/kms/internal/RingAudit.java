package dev.coffer.kms.internal;

import dev.coffer.kms.AccessDeniedException;
import dev.coffer.kms.EncryptionContext;
import dev.coffer.kms.KeyProviderException;
import dev.coffer.kms.audit.AuditOutcome;
import dev.coffer.kms.audit.AuditRecord;
import dev.coffer.kms.audit.AuditSink;
import dev.coffer.kms.audit.SafeAudit;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

/**
 * The audit records of a key ring: one per call (success, denial or failure) and one per change the
 * service makes by itself (rotation, deletion), all with the ring's source name. A failing sink
 * never fails a call ({@link SafeAudit}). Thread-safe.
 */
final class RingAudit {
  /** Principal used for changes the service makes by itself (rotation, deletion). */
  static final String SERVICE_PRINCIPAL = "kms.amazonaws.com";

  private final AuditSink sink;
  private final Clock clock;
  private final String source;

  RingAudit(AuditSink sink, Clock clock, String source) {
    this.sink = sink;
    this.clock = clock;
    this.source = source;
  }

  /** Records one call: its facts, its outcome and, on failure, the error. */
  void call(
      String principal,
      String action,
      Facts facts,
      EncryptionContext context,
      KeyProviderException e) {
    SafeAudit.record(
        sink,
        new AuditRecord(
            clock.instant(),
            principal,
            action,
            facts.keyId,
            facts.version,
            context,
            e == null ? AuditOutcome.SUCCESS : outcome(e),
            e == null ? null : e.errorCode(),
            e == null ? null : e.getMessage(),
            source));
  }

  /** A record of a change the service made by itself, at {@code now}. */
  AuditRecord serviceEvent(String action, String keyArn, int version, long now, String message) {
    return new AuditRecord(
        Instant.ofEpochMilli(now),
        SERVICE_PRINCIPAL,
        action,
        keyArn,
        version,
        null,
        AuditOutcome.SUCCESS,
        null,
        message,
        source);
  }

  /** Emits service events collected during a change, after it was saved. */
  void emit(List<AuditRecord> events) {
    events.forEach(e -> SafeAudit.record(sink, e));
  }

  private static AuditOutcome outcome(KeyProviderException e) {
    return e instanceof AccessDeniedException ? AuditOutcome.DENIED : AuditOutcome.FAILED;
  }

  /** One call's audit facts, filled in as the call learns them. Confined to the calling thread. */
  static final class Facts {
    String keyId;
    int version;

    Facts(String keyRef) {
      this.keyId = keyRef;
    }
  }
}
