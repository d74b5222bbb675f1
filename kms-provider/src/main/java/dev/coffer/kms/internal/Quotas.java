package dev.coffer.kms.internal;

import dev.coffer.kms.KmsValidationException;
import dev.coffer.kms.LimitExceededException;
import dev.coffer.kms.TagException;
import dev.coffer.proto.KeystoreContents;
import dev.coffer.proto.MasterKey;
import dev.coffer.proto.MasterKeyState;
import java.util.Map;

/**
 * AWS KMS's default resource quotas and tag rules, which also keep a keystore well under its size
 * limit: 100,000 keys per account and region, 50 aliases per key, 50 tags per key, tag keys of 1 to
 * 128 characters not starting with {@code aws:}, tag values of 0 to 256 characters. Stateless.
 */
final class Quotas {
  static final int MAX_KEYS = 100_000;
  static final int MAX_ALIASES_PER_KEY = 50;
  static final int MAX_TAGS_PER_KEY = 50;
  static final int MAX_TAG_KEY_CHARS = 128;
  static final int MAX_TAG_VALUE_CHARS = 256;
  static final int MAX_DESCRIPTION_CHARS = 8192;

  private Quotas() {}

  /** A new key must fit in the account's key quota (deleted keys do not count). */
  static void checkKeyCount(KeystoreContents c, String action) {
    long keys =
        c.getKeysList().stream()
            .filter(k -> k.getState() != MasterKeyState.MASTER_KEY_STATE_DELETED)
            .count();
    if (keys >= MAX_KEYS) {
      throw new LimitExceededException(
          "This account has reached its limit of " + MAX_KEYS + " KMS keys in this Region.",
          null,
          action);
    }
  }

  /** A new alias for {@code key} must fit in its quota of aliases. */
  static void checkAliasCount(KeystoreContents c, MasterKey key, String keyArn, String action) {
    long aliases =
        c.getAliasesList().stream().filter(a -> a.getTargetKeyId().equals(key.getKeyId())).count();
    if (aliases >= MAX_ALIASES_PER_KEY) {
      throw new LimitExceededException(
          "The key " + keyArn + " has reached its limit of " + MAX_ALIASES_PER_KEY + " aliases.",
          keyArn,
          action);
    }
  }

  /** Tags, merged into a key's existing ones, must follow AWS's rules and quota. */
  static void checkTags(
      Map<String, String> existing, Map<String, String> added, String keyRef, String action) {
    for (Map.Entry<String, String> t : added.entrySet()) {
      String k = t.getKey();
      if (k == null || k.isEmpty() || k.length() > MAX_TAG_KEY_CHARS) {
        throw new KmsValidationException(
            "1 validation error detected: Value at 'tags.member.tagKey' failed to satisfy"
                + " constraint: Member must have length between 1 and "
                + MAX_TAG_KEY_CHARS,
            keyRef,
            action);
      }
      if (t.getValue() == null || t.getValue().length() > MAX_TAG_VALUE_CHARS) {
        throw new KmsValidationException(
            "1 validation error detected: Value at 'tags.member.tagValue' failed to"
                + " satisfy constraint: Member must have length between 0 and "
                + MAX_TAG_VALUE_CHARS,
            keyRef,
            action);
      }
      if (k.regionMatches(true, 0, "aws:", 0, 4)) {
        throw new TagException(
            "Tag keys beginning with aws: are reserved for AWS use.", keyRef, action);
      }
    }
    long total =
        existing.keySet().stream().filter(k -> !added.containsKey(k)).count() + added.size();
    if (total > MAX_TAGS_PER_KEY) {
      throw new LimitExceededException(
          "A key can have at most " + MAX_TAGS_PER_KEY + " tags; this would give it " + total + ".",
          keyRef,
          action);
    }
  }

  static void checkDescription(String description, String keyRef, String action) {
    if (description != null && description.length() > MAX_DESCRIPTION_CHARS) {
      throw new KmsValidationException(
          "1 validation error detected: Value at 'description' failed to satisfy"
              + " constraint: Member must have length less than or equal to "
              + MAX_DESCRIPTION_CHARS,
          keyRef,
          action);
    }
  }
}
