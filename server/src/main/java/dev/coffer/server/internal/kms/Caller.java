package dev.coffer.server.internal.kms;

import dev.coffer.kms.ManagedKeyProvider;

/**
 * The authenticated caller of one request: the keys as the caller's principal, and the region and
 * account the keys' ARNs use.
 */
record Caller(ManagedKeyProvider keys, String region, String account) {

  /**
   * The key ARN for a key reference of a request (key id, key ARN, alias name or alias ARN), for
   * responses that name the key an operation just acted on by its ARN.
   */
  String keyArn(String ref) {
    return keys.keyArn(ref);
  }
}
