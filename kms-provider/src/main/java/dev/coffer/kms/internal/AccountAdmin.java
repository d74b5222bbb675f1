package dev.coffer.kms.internal;

import dev.coffer.kms.AccessDeniedException;
import dev.coffer.kms.MalformedPolicyDocumentException;
import dev.coffer.kms.SecretBytes;

/**
 * The account side: the keystore's account policy, the IAM side of its key policies, read and
 * replaced only by the account's root user or the keystore's owner (who, as IAM administrators, may
 * grant others); and GenerateRandom, which involves no key. Thread-safe.
 */
final class AccountAdmin {
  static final String GET = "coffer:GetAccountPolicy";
  static final String PUT = "coffer:PutAccountPolicy";

  private final RingState state;

  AccountAdmin(RingState state) {
    this.state = state;
  }

  /** The account policy's document; empty when there is none. */
  String getAccountPolicy(Actor actor) {
    return state.call(
        actor.principal(),
        GET,
        null,
        null,
        (s, f) -> {
          requireAdministrator(s, actor, GET);
          return s.contents.getAccountPolicy();
        });
  }

  /** Replaces the account policy (an empty document removes it). */
  void putAccountPolicy(Actor actor, String policyJson) {
    state.mutate(
        actor.principal(),
        PUT,
        null,
        (s, f, b) -> {
          requireAdministrator(s, actor, PUT);
          if (policyJson == null || policyJson.isEmpty()) {
            b.clearAccountPolicy();
            return null;
          }
          try {
            KeyPolicy.parseAccountPolicy(policyJson);
          } catch (MalformedPolicyDocumentException e) {
            throw new MalformedPolicyDocumentException(e.getMessage(), null, PUT);
          }
          b.setAccountPolicy(policyJson);
          return null;
        },
        (s, r) -> null);
  }

  /** {@code GenerateRandom}: needs {@code kms:GenerateRandom} on the account side. */
  SecretBytes generateRandom(Actor actor, int numberOfBytes) {
    String action = "kms:GenerateRandom";
    KeyCrypto.checkNumberOfBytes(numberOfBytes, null, action);
    return state.call(
        actor.principal(),
        action,
        null,
        null,
        (s, f) -> {
          Authorizer.authorizeAccount(s, actor, action, "*");
          return SecretBytes.wrap(AesGcm.randomBytes(numberOfBytes));
        });
  }

  private static void requireAdministrator(Snapshot s, Actor actor, String action) {
    if (!s.isAdministrator(actor.id())) {
      throw new AccessDeniedException(
          "User: "
              + actor.principal()
              + " is not authorized to perform: "
              + action
              + ": only the account root and the keystore's owner manage the account policy",
          null,
          action);
    }
  }
}
