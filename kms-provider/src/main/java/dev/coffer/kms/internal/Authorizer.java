package dev.coffer.kms.internal;

import dev.coffer.kms.AccessDeniedException;
import dev.coffer.kms.DisabledException;
import dev.coffer.kms.KmsInvalidStateException;
import dev.coffer.kms.MalformedPolicyDocumentException;
import dev.coffer.kms.internal.KeyPolicy.Verdict;
import dev.coffer.proto.MasterKey;
import dev.coffer.proto.MasterKeyState;

/**
 * The checks a call passes before it acts, following AWS's evaluation of key policies together with
 * IAM (here: the keystore's account policy):
 *
 * <ol>
 *   <li>an explicit Deny in the key policy (naming the caller, its account, or everyone) or in the
 *       account policy refuses;
 *   <li>else a key-policy Allow naming the caller (or everyone) allows;
 *   <li>else a key-policy Allow naming the caller's account allows when the IAM side allows too:
 *       the account's root user and the keystore's owner always, anyone else when the account
 *       policy allows the action on the key's ARN;
 *   <li>else the default: deny.
 * </ol>
 *
 * Account-level actions (CreateKey, ListKeys, ListAliases, GenerateRandom, the alias side of the
 * alias operations) have no key policy: they need the IAM side alone. Also checks key states and
 * the lockout safety check. Errors are AWS KMS's, with its messages. Stateless.
 */
final class Authorizer {
  private Authorizer() {}

  /**
   * The key's policy, with the account's IAM side, must allow {@code actor} to perform {@code
   * action}.
   */
  static void authorize(Snapshot s, Actor actor, MasterKey key, String action) {
    String arn = s.keyArn(actor, key.getKeyId());
    String problem =
        keyProblem(
            s,
            s.policy(key),
            actor,
            action,
            arn,
            Arns.keyArn(s.homeRegion(), s.account(), key.getKeyId()));
    if (problem != null) {
      throw new AccessDeniedException(
          "User: "
              + actor.principal()
              + " is not authorized to perform: "
              + action
              + " on resource: "
              + arn
              + " "
              + problem,
          arn,
          action);
    }
  }

  /** Why {@code policy} with the IAM side refuses {@code action}, or null when it allows it. */
  private static String keyProblem(
      Snapshot s, KeyPolicy policy, Actor actor, String action, String... arns) {
    Verdict key = policy.evaluate(actor.id(), action, null);
    Iam iam = iam(s, actor, action, arns);
    if (key.denied()) {
      return "with an explicit deny in a resource-based policy";
    }
    if (iam.denied) {
      return "with an explicit deny in an identity-based policy";
    }
    if (key.allowedDirectly() || (key.allowedToAccount() && iam.allowed)) {
      return null;
    }
    return "because no resource-based policy allows the " + action + " action";
  }

  /**
   * An account-level action on {@code resource} ({@code *} or an alias ARN) needs the IAM side
   * alone.
   */
  static void authorizeAccount(Snapshot s, Actor actor, String action, String resource) {
    Iam iam = iam(s, actor, action, resource);
    if (iam.denied || !iam.allowed) {
      throw new AccessDeniedException(
          "User: "
              + actor.principal()
              + " is not authorized to perform: "
              + action
              + " on resource: "
              + resource
              + (iam.denied
                  ? " with an explicit deny in an identity-based policy"
                  : " because no identity-based policy allows the " + action + " action"),
          resource,
          action);
    }
  }

  /** What the account's IAM side says. */
  private record Iam(boolean denied, boolean allowed) {}

  private static Iam iam(Snapshot s, Actor actor, String action, String... resources) {
    PolicyPrincipal caller = actor.id();
    if (!caller.account().equals(s.account())) {
      return new Iam(false, false); // another account's IAM is not known here
    }
    boolean admin = s.isAdministrator(caller);
    if (caller.isRoot()) {
      return new Iam(false, true); // IAM policies cannot restrict the root user
    }
    KeyPolicy accountPolicy = s.accountPolicy();
    boolean denied = false;
    boolean allowed = admin;
    if (accountPolicy != null) {
      for (String resource : resources) {
        Verdict v = accountPolicy.evaluate(caller, action, resource);
        denied |= v.denied();
        allowed |= v.allowedDirectly() || v.allowedToAccount();
      }
    }
    return new Iam(denied, allowed);
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
  static void checkLockout(
      Snapshot s, String policyJson, Actor actor, String keyId, String action) {
    KeyPolicy policy;
    try {
      policy = KeyPolicy.parse(policyJson);
    } catch (MalformedPolicyDocumentException e) {
      throw new MalformedPolicyDocumentException(e.getMessage(), keyId, action);
    }
    String arn = Arns.keyArn(s.homeRegion(), s.account(), keyId);
    if (keyProblem(s, policy, actor, "kms:PutKeyPolicy", arn, s.keyArn(actor, keyId)) != null) {
      throw new MalformedPolicyDocumentException(
          "The new key policy will not allow you to update the key policy in the future.",
          keyId,
          action);
    }
  }
}
