package dev.coffer.kms.endpoint;

import dev.coffer.kms.KeyManagement.AliasEntry;
import dev.coffer.kms.NotFoundException;
import dev.coffer.kms.internal.Arns;
import dev.coffer.kms.internal.RingBackedProvider;

/**
 * The authenticated caller of one request: the key ring as the caller's principal, and the region
 * and account the ring's ARNs use.
 */
record Caller(RingBackedProvider keys, String region, String account) {

  /**
   * The key ARN for a key reference of a request (key id, key ARN, alias name or alias ARN), for
   * responses that name the key by ARN. An alias is looked up with {@code ListAliases}.
   */
  String keyArn(String ref) {
    if (ref.startsWith("arn:") && ref.contains(":key/")) {
      return ref;
    }
    if (Arns.isKeyId(ref)) {
      return Arns.keyArn(region, account, ref);
    }
    String alias = ref.startsWith("arn:") ? Arns.resource(ref) : ref;
    for (AliasEntry a : keys.listAliases(null)) {
      if (a.aliasName().equals(alias)) {
        return Arns.keyArn(region, account, a.targetKeyId());
      }
    }
    throw new NotFoundException("Alias " + Arns.aliasArn(region, account, alias) + " is not found.", ref, null);
  }
}
