package dev.coffer.kms.memory;

/**
 * Runs before every call of an in-memory provider and of all its views: the package-private seam
 * through which a test's fault injector (in the test jar) counts, delays or fails calls.
 */
interface CallHook {
  /**
   * Called with the caller's principal ARN, the action (e.g. {@code kms:Decrypt}) and key
   * reference.
   */
  void before(String principal, String action, String keyRef);
}
