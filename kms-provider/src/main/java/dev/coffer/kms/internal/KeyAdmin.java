package dev.coffer.kms.internal;

import static dev.coffer.kms.internal.Authorizer.authorize;
import static dev.coffer.kms.internal.Authorizer.authorizeAccount;
import static dev.coffer.kms.internal.Authorizer.checkLockout;
import static dev.coffer.kms.internal.Authorizer.requireEnabled;
import static dev.coffer.kms.internal.Authorizer.requireNotPendingDeletion;

import dev.coffer.kms.KeyDescription;
import dev.coffer.kms.KeyManagement.CreateKeyRequest;
import dev.coffer.kms.KeyManagement.KeyRotationStatus;
import dev.coffer.kms.KeyState;
import dev.coffer.kms.KmsInvalidStateException;
import dev.coffer.kms.KmsValidationException;
import dev.coffer.kms.LimitExceededException;
import dev.coffer.proto.Alias;
import dev.coffer.proto.MasterKey;
import dev.coffer.proto.MasterKeyState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.UnaryOperator;

/**
 * The administration of keys: CreateKey, DescribeKey, ListKeys, EnableKey, DisableKey, the four
 * rotation operations, ScheduleKeyDeletion, CancelKeyDeletion, GetKeyPolicy and PutKeyPolicy, with
 * AWS KMS's checks, limits and messages. Aliases are {@link AliasAdmin}'s. Thread-safe.
 */
final class KeyAdmin {
  static final int MAX_ON_DEMAND_ROTATIONS = 25;
  static final int DEFAULT_ROTATION_DAYS = 365;

  private final RingState state;

  KeyAdmin(RingState state) {
    this.state = state;
  }

  KeyDescription describeKey(Actor actor, String keyRef) {
    return state.call(
        actor.principal(),
        "kms:DescribeKey",
        keyRef,
        null,
        (s, f) -> {
          MasterKey key = s.resolve(actor, keyRef);
          f.keyId = s.keyArn(actor, key.getKeyId());
          authorize(s, actor, key, "kms:DescribeKey");
          return describe(s, actor, key);
        });
  }

  KeyDescription createKey(Actor actor, CreateKeyRequest request) {
    String keyId = UUID.randomUUID().toString();
    String action = "kms:CreateKey";
    // Like AWS KMS, a malformed request is refused before authorization is looked at.
    Quotas.checkDescription(request.description(), null, action);
    return state.mutate(
        actor.principal(),
        action,
        keyId,
        (s, f, b) -> {
          authorizeAccount(s, actor, action, "*");
          Quotas.checkKeyCount(s.contents, action);
          Quotas.checkTags(Map.of(), request.tags(), keyId, action);
          String policy =
              request.policy() != null
                  ? request.policy()
                  : KeyPolicy.defaultPolicy(s.account(), actor.principal());
          f.keyId = s.keyArn(actor, keyId);
          checkLockout(s, policy, actor, keyId, action);
          long now = state.clock().millis();
          b.addKeys(
              MasterKey.newBuilder()
                  .setKeyId(keyId)
                  .setDescription(request.description())
                  .setCreatedMillis(now)
                  .setState(MasterKeyState.MASTER_KEY_STATE_ENABLED)
                  .addVersions(Schedule.newVersion(1, now, "CREATE"))
                  .setPolicy(policy)
                  .putAllTags(request.tags()));
          f.version = 1;
          return keyId;
        },
        (s, id) -> describe(s, actor, s.byId.get(id)));
  }

  List<KeyDescription> listKeys(Actor actor) {
    return state.call(
        actor.principal(),
        "kms:ListKeys",
        null,
        null,
        (s, f) -> {
          authorizeAccount(s, actor, "kms:ListKeys", "*");
          List<KeyDescription> out = new ArrayList<>();
          for (MasterKey k : s.contents.getKeysList()) {
            if (k.getState() != MasterKeyState.MASTER_KEY_STATE_DELETED) {
              out.add(describe(s, actor, k));
            }
          }
          return out;
        });
  }

  void enableKey(Actor actor, String keyRef) {
    changeKey(
        actor,
        "kms:EnableKey",
        keyRef,
        (s, k) -> {
          requireNotPendingDeletion(s, actor, k, "kms:EnableKey");
          MasterKey.Builder kb = k.toBuilder().setState(MasterKeyState.MASTER_KEY_STATE_ENABLED);
          long now = state.clock().millis();
          if (k.getState() == MasterKeyState.MASTER_KEY_STATE_DISABLED
              && k.getRotationEnabled()
              && k.getNextRotationMillis() < now) {
            // Disabled keys are not rotated; on re-enabling after the date, rotate once, now (as
            // AWS).
            kb.setNextRotationMillis(now);
          }
          return kb.build();
        });
  }

  void disableKey(Actor actor, String keyRef) {
    changeKey(
        actor,
        "kms:DisableKey",
        keyRef,
        (s, k) -> {
          requireNotPendingDeletion(s, actor, k, "kms:DisableKey");
          return k.toBuilder().setState(MasterKeyState.MASTER_KEY_STATE_DISABLED).build();
        });
  }

  void enableKeyRotation(Actor actor, String keyRef, int rotationPeriodInDays) {
    if (rotationPeriodInDays < 90 || rotationPeriodInDays > 2560) {
      throw new KmsValidationException(
          "1 validation error detected: Value '"
              + rotationPeriodInDays
              + "' at 'rotationPeriodInDays' failed to satisfy constraint: Member must have value between 90 and 2560",
          keyRef,
          "kms:EnableKeyRotation");
    }
    changeKey(
        actor,
        "kms:EnableKeyRotation",
        keyRef,
        (s, k) -> {
          requireEnabled(s, actor, k, "kms:EnableKeyRotation");
          long next = state.clock().millis() + Duration.ofDays(rotationPeriodInDays).toMillis();
          return k.toBuilder()
              .setRotationEnabled(true)
              .setRotationPeriodDays(rotationPeriodInDays)
              .setNextRotationMillis(next)
              .build();
        });
  }

  void disableKeyRotation(Actor actor, String keyRef) {
    changeKey(
        actor,
        "kms:DisableKeyRotation",
        keyRef,
        (s, k) -> {
          requireEnabled(s, actor, k, "kms:DisableKeyRotation");
          return k.toBuilder().setRotationEnabled(false).setNextRotationMillis(0).build();
        });
  }

  KeyRotationStatus getKeyRotationStatus(Actor actor, String keyRef) {
    return state.call(
        actor.principal(),
        "kms:GetKeyRotationStatus",
        keyRef,
        null,
        (s, f) -> {
          MasterKey k = s.resolve(actor, keyRef);
          f.keyId = s.keyArn(actor, k.getKeyId());
          authorize(s, actor, k, "kms:GetKeyRotationStatus");
          requireNotPendingDeletion(s, actor, k, "kms:GetKeyRotationStatus");
          // An on-demand rotation completes within the call, so none is ever in progress: AWS
          // reports
          // OnDemandRotationStartDate only while one is.
          return new KeyRotationStatus(
              k.getKeyId(),
              k.getRotationEnabled(),
              k.getRotationEnabled() ? k.getRotationPeriodDays() : 0,
              k.getRotationEnabled() ? Instant.ofEpochMilli(k.getNextRotationMillis()) : null,
              null);
        });
  }

  String rotateKeyOnDemand(Actor actor, String keyRef) {
    return changeKey(
        actor,
        "kms:RotateKeyOnDemand",
        keyRef,
        (s, k) -> {
          requireEnabled(s, actor, k, "kms:RotateKeyOnDemand");
          long onDemand =
              k.getVersionsList().stream()
                  .filter(v -> v.getRotationType().equals("ON_DEMAND"))
                  .count();
          if (onDemand >= MAX_ON_DEMAND_ROTATIONS) {
            String arn = s.keyArn(actor, k.getKeyId());
            throw new LimitExceededException(
                "The key "
                    + arn
                    + " has reached the limit of "
                    + MAX_ON_DEMAND_ROTATIONS
                    + " on-demand rotations.",
                arn,
                "kms:RotateKeyOnDemand");
          }
          return k.toBuilder()
              .addVersions(
                  Schedule.newVersion(
                      k.getVersionsCount() + 1, state.clock().millis(), "ON_DEMAND"))
              .build();
        });
  }

  Instant scheduleKeyDeletion(Actor actor, String keyRef, int pendingWindowInDays) {
    if (pendingWindowInDays < 7 || pendingWindowInDays > 30) {
      throw new KmsValidationException(
          "1 validation error detected: Value '"
              + pendingWindowInDays
              + "' at 'pendingWindowInDays' failed to satisfy constraint: Member must have value between 7 and 30",
          keyRef,
          "kms:ScheduleKeyDeletion");
    }
    long when = state.clock().millis() + Duration.ofDays(pendingWindowInDays).toMillis();
    changeKey(
        actor,
        "kms:ScheduleKeyDeletion",
        keyRef,
        (s, k) -> {
          requireNotPendingDeletion(s, actor, k, "kms:ScheduleKeyDeletion");
          return k.toBuilder()
              .setState(MasterKeyState.MASTER_KEY_STATE_PENDING_DELETION)
              .setDeletionMillis(when)
              .build();
        });
    return Instant.ofEpochMilli(when);
  }

  void cancelKeyDeletion(Actor actor, String keyRef) {
    changeKey(
        actor,
        "kms:CancelKeyDeletion",
        keyRef,
        (s, k) -> {
          if (k.getState() != MasterKeyState.MASTER_KEY_STATE_PENDING_DELETION) {
            String arn = s.keyArn(actor, k.getKeyId());
            throw new KmsInvalidStateException(
                arn + " is not pending deletion.", arn, "kms:CancelKeyDeletion");
          }
          return k.toBuilder()
              .setState(MasterKeyState.MASTER_KEY_STATE_DISABLED)
              .setDeletionMillis(0)
              .build();
        });
  }

  String getKeyPolicy(Actor actor, String keyRef) {
    return state.call(
        actor.principal(),
        "kms:GetKeyPolicy",
        keyRef,
        null,
        (s, f) -> {
          MasterKey k = s.resolve(actor, keyRef);
          f.keyId = s.keyArn(actor, k.getKeyId());
          authorize(s, actor, k, "kms:GetKeyPolicy");
          return k.getPolicy();
        });
  }

  void putKeyPolicy(Actor actor, String keyRef, String policyJson) {
    changeKey(
        actor,
        "kms:PutKeyPolicy",
        keyRef,
        (s, k) -> {
          checkLockout(s, policyJson, actor, k.getKeyId(), "kms:PutKeyPolicy");
          return k.toBuilder().setPolicy(policyJson).build();
        });
  }

  /** A change to one key, given the snapshot it is made on. */
  @FunctionalInterface
  interface KeyChange {
    MasterKey apply(Snapshot s, MasterKey key);
  }

  /**
   * Replaces one key after resolving it and checking the principal's right to {@code action};
   * returns the key's id.
   */
  String changeKey(Actor actor, String action, String keyRef, KeyChange change) {
    return state.mutate(
        actor.principal(),
        action,
        keyRef,
        (s, f, b) -> {
          MasterKey k = s.resolve(actor, keyRef);
          f.keyId = s.keyArn(actor, k.getKeyId());
          authorize(s, actor, k, action);
          MasterKey changed = change.apply(s, k);
          b.setKeys(s.indexOf.get(k.getKeyId()), changed);
          f.version = changed.getVersionsCount();
          return k.getKeyId();
        },
        (s, id) -> id);
  }

  /** {@code changeKey} for changes that need no snapshot. */
  String changeKey(Actor actor, String action, String keyRef, UnaryOperator<MasterKey> change) {
    return changeKey(actor, action, keyRef, (s, k) -> change.apply(k));
  }

  static KeyDescription describe(Snapshot s, Actor actor, MasterKey k) {
    List<String> aliases = new ArrayList<>();
    for (Alias al : s.contents.getAliasesList()) {
      if (al.getTargetKeyId().equals(k.getKeyId())) {
        aliases.add(al.getName());
      }
    }
    KeyState keyState =
        switch (k.getState()) {
          case MASTER_KEY_STATE_DISABLED -> KeyState.DISABLED;
          case MASTER_KEY_STATE_PENDING_DELETION -> KeyState.PENDING_DELETION;
          case MASTER_KEY_STATE_ENABLED -> KeyState.ENABLED;
          default -> KeyState.UNAVAILABLE;
        };
    return KeyDescription.builder()
        .keyId(k.getKeyId())
        .arn(s.keyArn(actor, k.getKeyId()))
        .aliases(aliases)
        .description(k.getDescription())
        .state(keyState)
        .creationDate(Instant.ofEpochMilli(k.getCreatedMillis()))
        .deletionDate(
            keyState == KeyState.PENDING_DELETION
                ? Instant.ofEpochMilli(k.getDeletionMillis())
                : null)
        .rotationEnabled(k.getRotationEnabled())
        .rotationPeriodInDays(k.getRotationEnabled() ? k.getRotationPeriodDays() : 0)
        .nextRotationDate(
            k.getRotationEnabled() ? Instant.ofEpochMilli(k.getNextRotationMillis()) : null)
        .currentKeyVersion(k.getVersionsCount())
        .tags(k.getTagsMap())
        .build();
  }
}
