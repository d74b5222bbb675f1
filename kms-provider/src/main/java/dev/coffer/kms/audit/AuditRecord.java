package dev.coffer.kms.audit;

import dev.coffer.kms.EncryptionContext;
import java.time.Instant;
import java.util.Objects;

/**
 * One audit record: who did what with which key, under which encryption context, and how it ended.
 * Never holds key material or plaintext. Immutable.
 *
 * @param time when it happened
 * @param principal the principal ARN
 * @param action e.g. {@code kms:Decrypt}, or an engine event such as {@code coffer:RotateDataKey}
 * @param keyId the master key id or ARN; empty where none
 * @param keyVersion the master key version, or 0 when not known
 * @param encryptionContext the operation's encryption context
 * @param outcome how it ended
 * @param errorCode for a failure, the error name such as {@code AccessDeniedException}; else empty
 * @param message a detail for people; may be empty
 * @param source what emitted it: {@code local}, {@code memory}, {@code aws-kms} or {@code engine}
 */
public record AuditRecord(
    Instant time,
    String principal,
    String action,
    String keyId,
    int keyVersion,
    EncryptionContext encryptionContext,
    AuditOutcome outcome,
    String errorCode,
    String message,
    String source) {

  public AuditRecord {
    Objects.requireNonNull(time, "time");
    principal = principal == null ? "" : principal;
    Objects.requireNonNull(action, "action");
    keyId = keyId == null ? "" : keyId;
    encryptionContext = encryptionContext == null ? EncryptionContext.empty() : encryptionContext;
    Objects.requireNonNull(outcome, "outcome");
    errorCode = errorCode == null ? "" : errorCode;
    message = message == null ? "" : message;
    source = source == null ? "" : source;
  }
}
