package dev.coffer.kms.aws;

import dev.coffer.kms.AccessDeniedException;
import dev.coffer.kms.EncryptionContext;
import dev.coffer.kms.KeyProviderException;
import dev.coffer.kms.audit.AuditOutcome;
import dev.coffer.kms.audit.AuditRecord;
import dev.coffer.kms.audit.AuditSink;
import dev.coffer.kms.audit.SafeAudit;
import java.time.Clock;
import java.util.function.Function;
import java.util.function.Supplier;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Runs one SPI call against KMS: maps SDK errors ({@link KmsErrorMapper}), retries what is
 * retryable ({@link Retrier}) and emits exactly one {@link AuditRecord} (source {@code aws-kms})
 * for the call, whatever the number of attempts. Records never hold key material. Thread-safe.
 */
final class AuditedCalls {
  static final String SOURCE = "aws-kms";

  private final Retrier retrier;
  private final AuditSink audit;
  private final Clock clock;
  private final String principal;

  AuditedCalls(Retrier retrier, AuditSink audit, Clock clock, String principal) {
    this.retrier = retrier;
    this.audit = audit;
    this.clock = clock;
    this.principal = principal;
  }

  /** What a successful call tells the audit record: the key that acted (an ARN when known). */
  @FunctionalInterface
  interface KeyOf<T> extends Function<T, String> {}

  /** Checks a successful answer (e.g. that KMS used the expected key); throws to fail the call. */
  @FunctionalInterface
  interface Check<T> {
    void check(T result);
  }

  /**
   * Runs {@code call} for {@code action} on {@code keyId}, under {@code context} (null for none).
   * {@code keyOf} names the key for the audit record from the result.
   */
  <T> T run(
      String action, String keyId, EncryptionContext context, Supplier<T> call, KeyOf<T> keyOf) {
    return run(action, keyId, context, call, keyOf, r -> {});
  }

  /**
   * As {@link #run(String, String, EncryptionContext, Supplier, KeyOf)}, then {@code check}s the
   * answer; a {@link KeyProviderException} from the check fails the call (audited once, not
   * retried).
   */
  <T> T run(
      String action,
      String keyId,
      EncryptionContext context,
      Supplier<T> call,
      KeyOf<T> keyOf,
      Check<T> check) {
    Retrier.Outcome<T> outcome;
    try {
      outcome =
          retrier.run(
              () -> {
                try {
                  return call.get();
                } catch (SdkException e) {
                  throw KmsErrorMapper.map(e, keyId, action);
                }
              });
    } catch (Retrier.Failure f) {
      KeyProviderException e = f.error;
      record(
          action, keyId, context, outcome(e), e.errorCode(), attempts(f.attempts) + e.getMessage());
      throw e;
    }
    try {
      check.check(outcome.value());
    } catch (KeyProviderException e) {
      record(action, keyId, context, outcome(e), e.errorCode(), e.getMessage());
      throw e;
    }
    String actual = keyOf == null ? null : keyOf.apply(outcome.value());
    record(
        action,
        actual == null ? keyId : actual,
        context,
        AuditOutcome.SUCCESS,
        null,
        outcome.attempts() > 1 ? "succeeded after " + outcome.attempts() + " attempts" : null);
    return outcome.value();
  }

  private static AuditOutcome outcome(KeyProviderException e) {
    return e instanceof AccessDeniedException ? AuditOutcome.DENIED : AuditOutcome.FAILED;
  }

  private static String attempts(int n) {
    return n > 1 ? "after " + n + " attempts: " : "";
  }

  private void record(
      String action,
      String keyId,
      EncryptionContext context,
      AuditOutcome outcome,
      String errorCode,
      String message) {
    SafeAudit.record(
        audit,
        new AuditRecord(
            clock.instant(),
            principal,
            action,
            keyId,
            0,
            context,
            outcome,
            errorCode,
            message,
            SOURCE));
  }
}
