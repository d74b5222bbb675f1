package dev.coffer.kms.internal;

import static dev.coffer.kms.internal.Authorizer.authorize;
import static dev.coffer.kms.internal.Authorizer.authorizeAccount;
import static dev.coffer.kms.internal.Authorizer.requireNotPendingDeletion;

import dev.coffer.kms.AlreadyExistsException;
import dev.coffer.kms.KeyManagement.AliasEntry;
import dev.coffer.kms.KmsValidationException;
import dev.coffer.kms.NotFoundException;
import dev.coffer.kms.internal.RingAudit.Facts;
import dev.coffer.proto.Alias;
import dev.coffer.proto.MasterKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The administration of aliases: CreateAlias, UpdateAlias, DeleteAlias and ListAliases, with AWS
 * KMS's name rules (an {@code alias/} prefix, not {@code alias/aws/}), checks and messages.
 * Thread-safe.
 */
final class AliasAdmin {
  private final RingState state;

  AliasAdmin(RingState state) {
    this.state = state;
  }

  void createAlias(Actor actor, String aliasName, String targetKeyRef) {
    String action = "kms:CreateAlias";
    state.mutate(
        actor.principal(),
        action,
        targetKeyRef,
        (s, f, b) -> {
          checkAliasName(aliasName, action);
          authorizeAccount(s, actor, action, s.aliasArn(actor, aliasName));
          if (s.aliases.containsKey(aliasName)) {
            throw new AlreadyExistsException(
                "An alias with the name " + s.aliasArn(actor, aliasName) + " already exists",
                aliasName,
                action);
          }
          MasterKey key = aliasTarget(s, f, actor, targetKeyRef, action);
          Quotas.checkAliasCount(s.contents, key, s.keyArn(actor, key.getKeyId()), action);
          long now = state.clock().millis();
          b.addAliases(
              Alias.newBuilder()
                  .setName(aliasName)
                  .setTargetKeyId(key.getKeyId())
                  .setCreatedMillis(now)
                  .setUpdatedMillis(now));
          return null;
        },
        (s, r) -> null);
  }

  void updateAlias(Actor actor, String aliasName, String targetKeyRef) {
    String action = "kms:UpdateAlias";
    state.mutate(
        actor.principal(),
        action,
        targetKeyRef,
        (s, f, b) -> {
          int i = aliasIndex(s, actor, aliasName, action);
          authorizeAccount(s, actor, action, s.aliasArn(actor, aliasName));
          MasterKey old = s.byId.get(s.contents.getAliases(i).getTargetKeyId());
          authorize(s, actor, old, action);
          MasterKey key = aliasTarget(s, f, actor, targetKeyRef, action);
          Quotas.checkAliasCount(s.contents, key, s.keyArn(actor, key.getKeyId()), action);
          b.setAliases(
              i,
              s.contents.getAliases(i).toBuilder()
                  .setTargetKeyId(key.getKeyId())
                  .setUpdatedMillis(state.clock().millis()));
          return null;
        },
        (s, r) -> null);
  }

  void deleteAlias(Actor actor, String aliasName) {
    String action = "kms:DeleteAlias";
    state.mutate(
        actor.principal(),
        action,
        aliasName,
        (s, f, b) -> {
          int i = aliasIndex(s, actor, aliasName, action);
          authorizeAccount(s, actor, action, s.aliasArn(actor, aliasName));
          MasterKey key = s.byId.get(s.contents.getAliases(i).getTargetKeyId());
          f.keyId = s.keyArn(actor, key.getKeyId());
          authorize(s, actor, key, action);
          b.removeAliases(i);
          return null;
        },
        (s, r) -> null);
  }

  List<AliasEntry> listAliases(Actor actor, String keyRef) {
    return state.call(
        actor.principal(),
        "kms:ListAliases",
        keyRef,
        null,
        (s, f) -> {
          authorizeAccount(s, actor, "kms:ListAliases", "*");
          String only = keyRef == null ? null : s.resolve(actor, keyRef).getKeyId();
          List<AliasEntry> out = new ArrayList<>();
          for (Alias al : s.contents.getAliasesList()) {
            if (only == null || only.equals(al.getTargetKeyId())) {
              out.add(
                  new AliasEntry(
                      al.getName(),
                      s.aliasArn(actor, al.getName()),
                      al.getTargetKeyId(),
                      al.getCreatedMillis() == 0
                          ? null
                          : Instant.ofEpochMilli(al.getCreatedMillis()),
                      al.getUpdatedMillis() == 0
                          ? null
                          : Instant.ofEpochMilli(al.getUpdatedMillis())));
            }
          }
          return out;
        });
  }

  private static void checkAliasName(String aliasName, String action) {
    if (aliasName == null || !Arns.isAliasName(aliasName) || aliasName.startsWith("alias/aws/")) {
      throw new KmsValidationException(
          "Alias must start with the prefix \"alias/\", must not start with \"alias/aws/\", and may contain only"
              + " alphanumeric characters, '/', '_' and '-': "
              + aliasName,
          aliasName,
          action);
    }
  }

  private static int aliasIndex(Snapshot s, Actor actor, String aliasName, String action) {
    for (int i = 0; i < s.contents.getAliasesCount(); i++) {
      if (s.contents.getAliases(i).getName().equals(aliasName)) {
        return i;
      }
    }
    throw new NotFoundException(
        "Alias " + s.aliasArn(actor, aliasName) + " is not found.", aliasName, action);
  }

  private static MasterKey aliasTarget(
      Snapshot s, Facts f, Actor actor, String targetKeyRef, String action) {
    if (targetKeyRef != null
        && (targetKeyRef.startsWith("alias/") || targetKeyRef.contains(":alias/"))) {
      throw new KmsValidationException(
          "An alias must point at a key id or key ARN, not at an alias.", targetKeyRef, action);
    }
    MasterKey key = s.resolve(actor, targetKeyRef);
    f.keyId = s.keyArn(actor, key.getKeyId());
    authorize(s, actor, key, action);
    requireNotPendingDeletion(s, actor, key, action);
    return key;
  }
}
