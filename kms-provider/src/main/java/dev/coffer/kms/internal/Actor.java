package dev.coffer.kms.internal;

/**
 * Who makes a call: the principal's ARN (and its parsed form), and the region the caller's view of
 * the keys names in ARNs (the keystore's own region unless a server presents it under another).
 * Immutable.
 */
record Actor(String principal, PolicyPrincipal id, String region) {
  /**
   * @throws IllegalArgumentException {@code principal} is not an account root, IAM user, role or
   *     assumed-role ARN (wildcards included)
   */
  static Actor of(String principal, String region) {
    return new Actor(principal, PolicyPrincipal.parseArn(principal), region);
  }
}
