package dev.coffer.kms.internal;

import dev.coffer.kms.AccessDeniedException;
import dev.coffer.kms.DisabledException;
import dev.coffer.kms.KmsInvalidStateException;
import dev.coffer.kms.MalformedPolicyDocumentException;
import dev.coffer.proto.MasterKey;
import dev.coffer.proto.MasterKeyState;

/**
 * The checks a call passes before it acts on a key: the key policy allows the caller the action,
 * the key is in a state that allows it, and a new policy does not lock its author out. Errors are
 * AWS KMS's, with its messages. Stateless.
 */
final class Authorizer {
  private Authorizer() {}

  /** The key's policy must allow {@code actor} to perform {@code action}. */
  static void authorize(Snapshot s, Actor actor, MasterKey key, String action) {
    if (!s.policy(key).allows(actor.principal(), action)) {
      String arn = s.keyArn(actor, key.getKeyId());
      throw new AccessDeniedException(
          "User: " + actor.principal() + " is not authorized to perform: " + action + " on resource: " + arn
              + " because no resource-based policy allows the " + action + " action",
          arn,
          action);
    }
  }

  /** The key must be Enabled (not Disabled, not pending deletion). */
  static void requireEnabled(Snapshot s, Actor actor, MasterKey key, String action) {
    requireNotPendingDeletion(s, actor, key, action);
    if (key.getState() == MasterKeyState.MASTER_KEY_STATE_DISABLED) {
      String arn = s.keyArn(actor, key.getKeyId());
      throw new DisabledException(arn + " is disabled.", arn, action);
    }
  }

  static void requireNotPendingDeletion(Snapshot s, Actor actor, MasterKey key, String action) {
    if (key.getState() == MasterKeyState.MASTER_KEY_STATE_PENDING_DELETION) {
      String arn = s.keyArn(actor, key.getKeyId());
      throw new KmsInvalidStateException(arn + " is pending deletion.", arn, action);
    }
  }

  /** AWS's lockout safety check: the new policy must still let its author change the policy. */
  static void checkLockout(String policyJson, String principal, String keyId, String action) {
    KeyPolicy policy;
    try {
      policy = KeyPolicy.parse(policyJson);
    } catch (MalformedPolicyDocumentException e) {
      throw new MalformedPolicyDocumentException(e.getMessage(), keyId, action);
    }
    if (!policy.allows(principal, "kms:PutKeyPolicy")) {
      throw new MalformedPolicyDocumentException(
          "The new key policy will not allow you to update the key policy in the future.", keyId, action);
    }
  }
}
