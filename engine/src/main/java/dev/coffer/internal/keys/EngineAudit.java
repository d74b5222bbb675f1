package dev.coffer.internal.keys;

import dev.coffer.kms.EncryptionContext;
import dev.coffer.kms.KeyProviderException;
import dev.coffer.kms.audit.AuditOutcome;
import dev.coffer.kms.audit.AuditRecord;
import dev.coffer.kms.audit.AuditSink;
import dev.coffer.kms.audit.SafeAudit;
import java.time.Clock;
import java.util.function.Supplier;

/**
 * Emits the engine's own audit records (source {@code engine}): key rotations, destructions, access
 * checks, re-encryption runs and table deletions. A failing sink is logged, never thrown.
 * Thread-safe.
 */
public final class EngineAudit {
  /** Master-key rotation (rewrap of every wrapped key). */
  public static final String ROTATE_MASTER_KEY = "coffer:RotateMasterKey";

  /** A new data-key version. */
  public static final String ROTATE_DATA_KEY = "coffer:RotateDataKey";

  /** A retired data-key version destroyed. */
  public static final String DESTROY_DATA_KEY_VERSION = "coffer:DestroyDataKeyVersion";

  /** A re-encryption run (started, resumed, finished or failed). */
  public static final String REENCRYPT = "coffer:Reencrypt";

  /** One step of a table deletion (keys destroyed, column family dropped). */
  public static final String DELETE_TABLE = "coffer:DeleteTable";

  /** A re-check of the store's right to use a master key. */
  public static final String ACCESS_CHECK = "coffer:AccessCheck";

  private final AuditSink sink;
  private final Clock clock;
  private final Supplier<String> principal;

  /**
   * Records go to {@code sink}, stamped by {@code clock}, with the provider's current principal.
   */
  public EngineAudit(AuditSink sink, Clock clock, Supplier<String> principal) {
    this.sink = sink;
    this.clock = clock;
    this.principal = principal;
  }

  /** A successful event. */
  public void success(String action, String keyId, EncryptionContext context, String message) {
    emit(action, keyId, context, AuditOutcome.SUCCESS, "", message);
  }

  /** A failed or denied event, from the provider's exception. */
  public void failure(
      String action, String keyId, EncryptionContext context, KeyProviderException e) {
    AuditOutcome outcome =
        "AccessDeniedException".equals(e.errorCode()) ? AuditOutcome.DENIED : AuditOutcome.FAILED;
    emit(action, keyId, context, outcome, e.errorCode(), e.getMessage());
  }

  /** A failed event for another reason. */
  public void failure(String action, String keyId, EncryptionContext context, RuntimeException e) {
    if (e instanceof KeyProviderException kpe) {
      failure(action, keyId, context, kpe);
      return;
    }
    emit(action, keyId, context, AuditOutcome.FAILED, e.getClass().getSimpleName(), e.getMessage());
  }

  private void emit(
      String action,
      String keyId,
      EncryptionContext context,
      AuditOutcome outcome,
      String code,
      String message) {
    String who;
    try {
      who = principal.get();
    } catch (RuntimeException e) {
      who = "";
    }
    SafeAudit.record(
        sink,
        new AuditRecord(
            clock.instant(),
            who,
            action,
            keyId,
            0,
            context == null ? EncryptionContext.empty() : context,
            outcome,
            code,
            message,
            "engine"));
  }
}
