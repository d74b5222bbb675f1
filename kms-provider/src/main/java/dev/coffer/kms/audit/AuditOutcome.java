package dev.coffer.kms.audit;

/** How an audited operation ended. */
public enum AuditOutcome {
  /** It succeeded. */
  SUCCESS,
  /** A key policy refused it. */
  DENIED,
  /** It failed for another reason (key state, bad ciphertext, unavailable provider, ...). */
  FAILED
}
