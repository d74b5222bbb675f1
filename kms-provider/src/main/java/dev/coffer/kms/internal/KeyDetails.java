package dev.coffer.kms.internal;

import static dev.coffer.kms.internal.Authorizer.authorize;
import static dev.coffer.kms.internal.Authorizer.requireNotPendingDeletion;

import dev.coffer.kms.KeyManagement.KeyRotation;
import dev.coffer.proto.MasterKey;
import dev.coffer.proto.MasterKeyVersion;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A key's details besides its state and policy: tags (TagResource, UntagResource,
 * ListResourceTags), description (UpdateKeyDescription), rotation history (ListKeyRotations) and
 * policy names (ListKeyPolicies), with AWS KMS's checks and quotas. Thread-safe.
 */
final class KeyDetails {
  private final RingState state;
  private final KeyAdmin keys;

  KeyDetails(RingState state, KeyAdmin keys) {
    this.state = state;
    this.keys = keys;
  }

  void tagResource(Actor actor, String keyRef, Map<String, String> tags) {
    String action = "kms:TagResource";
    keys.changeKey(
        actor,
        action,
        keyRef,
        (s, k) -> {
          requireNotPendingDeletion(s, actor, k, action);
          Quotas.checkTags(k.getTagsMap(), tags, s.keyArn(actor, k.getKeyId()), action);
          return k.toBuilder().putAllTags(tags).build();
        });
  }

  void untagResource(Actor actor, String keyRef, List<String> tagKeys) {
    String action = "kms:UntagResource";
    keys.changeKey(
        actor,
        action,
        keyRef,
        (s, k) -> {
          requireNotPendingDeletion(s, actor, k, action);
          MasterKey.Builder kb = k.toBuilder();
          tagKeys.forEach(kb::removeTags);
          return kb.build();
        });
  }

  Map<String, String> listResourceTags(Actor actor, String keyRef) {
    return read(actor, "kms:ListResourceTags", keyRef, (s, k) -> new TreeMap<>(k.getTagsMap()));
  }

  List<KeyRotation> listKeyRotations(Actor actor, String keyRef) {
    return read(
        actor,
        "kms:ListKeyRotations",
        keyRef,
        (s, k) -> {
          List<KeyRotation> out = new ArrayList<>();
          for (MasterKeyVersion v : k.getVersionsList()) {
            if (v.getRotationType().equals("AUTOMATIC")
                || v.getRotationType().equals("ON_DEMAND")) {
              out.add(
                  new KeyRotation(
                      k.getKeyId(),
                      Instant.ofEpochMilli(v.getCreatedMillis()),
                      v.getRotationType()));
            }
          }
          return out;
        });
  }

  List<String> listKeyPolicies(Actor actor, String keyRef) {
    return read(actor, "kms:ListKeyPolicies", keyRef, (s, k) -> List.of("default"));
  }

  void updateKeyDescription(Actor actor, String keyRef, String description) {
    String action = "kms:UpdateKeyDescription";
    Quotas.checkDescription(description, keyRef, action);
    keys.changeKey(
        actor,
        action,
        keyRef,
        (s, k) -> {
          requireNotPendingDeletion(s, actor, k, action);
          return k.toBuilder().setDescription(description == null ? "" : description).build();
        });
  }

  /** A read of one key's details, after the key policy allowed {@code action}. */
  @FunctionalInterface
  private interface Reader<T> {
    T read(Snapshot s, MasterKey key);
  }

  private <T> T read(Actor actor, String action, String keyRef, Reader<T> reader) {
    return state.call(
        actor.principal(),
        action,
        keyRef,
        null,
        (s, f) -> {
          MasterKey k = s.resolve(actor, keyRef);
          f.keyId = s.keyArn(actor, k.getKeyId());
          authorize(s, actor, k, action);
          return reader.read(s, k);
        });
  }
}
