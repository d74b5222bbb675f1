package dev.coffer.kms;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The administrative and direct-cryptography operations of AWS KMS, for providers that manage their
 * own keys (the local keystore and the in-memory provider) and for the KMS-compatible endpoint.
 * Every call acts as the provider's principal, is checked against the key policy and is audited.
 * Names, limits and errors follow AWS KMS. Implementations are thread-safe.
 */
public interface KeyManagement {

  /** The longest plaintext {@link #encryptBytes} accepts, as AWS KMS. */
  int MAX_DIRECT_PLAINTEXT_BYTES = 4096;

  /**
   * The automatic rotation period {@code EnableKeyRotation} uses when none is given, as AWS KMS.
   */
  int DEFAULT_ROTATION_PERIOD_DAYS = 365;

  /**
   * {@code CreateKey}: a symmetric AES-256 key, Enabled. Without a policy the key gets the default
   * policy: the creating principal may do everything ({@code kms:*}).
   */
  KeyDescription createKey(CreateKeyRequest request);

  /** {@code ListKeys}: every key, deleted ones excluded, oldest first. */
  List<KeyDescription> listKeys();

  /**
   * {@code CreateAlias}: {@code aliasName} must start with {@code alias/} and not with {@code
   * alias/aws/}.
   */
  void createAlias(String aliasName, String targetKeyId);

  /** {@code UpdateAlias}: points an existing alias at another key. */
  void updateAlias(String aliasName, String targetKeyId);

  /** {@code DeleteAlias}. */
  void deleteAlias(String aliasName);

  /** {@code ListAliases}: all aliases, or those of one key when {@code keyId} is not null. */
  List<AliasEntry> listAliases(String keyId);

  /** {@code EnableKey}. */
  void enableKey(String keyId);

  /** {@code DisableKey}. */
  void disableKey(String keyId);

  /** {@code EnableKeyRotation} with a period of 90 to 2560 days. */
  void enableKeyRotation(String keyId, int rotationPeriodInDays);

  /** {@code DisableKeyRotation}. */
  void disableKeyRotation(String keyId);

  /** {@code GetKeyRotationStatus}. */
  KeyRotationStatus getKeyRotationStatus(String keyId);

  /** {@code RotateKeyOnDemand}: adds a new version of the key material now. Returns the key id. */
  String rotateKeyOnDemand(String keyId);

  /**
   * {@code ScheduleKeyDeletion} with a waiting period of 7 to 30 days. Returns the deletion date.
   */
  Instant scheduleKeyDeletion(String keyId, int pendingWindowInDays);

  /** {@code CancelKeyDeletion}: the key returns to Disabled, as in AWS KMS. */
  void cancelKeyDeletion(String keyId);

  /** {@code GetKeyPolicy} (policy name {@code default}): the JSON document. */
  String getKeyPolicy(String keyId);

  /** {@code PutKeyPolicy}: replaces the policy with a JSON document. */
  void putKeyPolicy(String keyId, String policyJson);

  /** {@code Encrypt} of at most {@link #MAX_DIRECT_PLAINTEXT_BYTES} bytes. */
  WrappedKey encryptBytes(String keyId, byte[] plaintext, EncryptionContext context);

  /**
   * {@code Decrypt} of a blob this provider made. {@code keyId} may be null (the blob names its
   * key); when given, a blob of another key fails with {@link IncorrectKeyException}.
   */
  DecryptResult decryptBlob(byte[] ciphertextBlob, EncryptionContext context, String keyId);

  /**
   * {@code ReEncrypt}: opens {@code ciphertextBlob} under {@code sourceContext} (needs {@code
   * kms:ReEncryptFrom} on its key) and wraps its plaintext under the current version of {@code
   * destinationKeyId} with {@code destinationContext} (needs {@code kms:ReEncryptTo}), without the
   * plaintext leaving the provider. The contexts may differ, as in AWS KMS. {@code sourceKeyId} may
   * be null (the blob names its key); when given, a blob of another key fails with {@link
   * IncorrectKeyException}.
   */
  ReEncryptResult reEncryptBlob(
      byte[] ciphertextBlob,
      EncryptionContext sourceContext,
      String sourceKeyId,
      String destinationKeyId,
      EncryptionContext destinationContext);

  /** {@code GenerateDataKeyWithoutPlaintext} with {@code KeySpec=AES_256}. */
  WrappedKey generateDataKeyWithoutPlaintext(String keyId, EncryptionContext context);

  /** The longest data key and random byte string AWS KMS makes: {@code NumberOfBytes} 1 to 1024. */
  int MAX_GENERATED_BYTES = 1024;

  /**
   * {@code GenerateDataKey} with {@code NumberOfBytes} (1 to 1024; {@code KeySpec AES_128} is 16,
   * {@code AES_256} 32).
   *
   * @throws KmsValidationException {@code numberOfBytes} out of range
   */
  DataKey generateDataKey(String keyId, EncryptionContext context, int numberOfBytes);

  /** {@code GenerateDataKeyWithoutPlaintext} with {@code NumberOfBytes} (1 to 1024). */
  WrappedKey generateDataKeyWithoutPlaintext(
      String keyId, EncryptionContext context, int numberOfBytes);

  /**
   * {@code GenerateRandom}: {@code numberOfBytes} (1 to 1024) random bytes, which the caller must
   * destroy. Needs {@code kms:GenerateRandom} on the account side (no key is involved).
   */
  SecretBytes generateRandom(int numberOfBytes);

  /**
   * {@code TagResource}: adds or replaces tags of a key (at most 50 per key; keys of 1 to 128
   * characters not starting with {@code aws:}, values of 0 to 256).
   *
   * @throws TagException a reserved tag key
   * @throws LimitExceededException more than 50 tags
   */
  void tagResource(String keyId, Map<String, String> tags);

  /** {@code UntagResource}: removes tags by key; keys the key does not have are ignored, as AWS. */
  void untagResource(String keyId, List<String> tagKeys);

  /** {@code ListResourceTags}: a key's tags, sorted by tag key. */
  Map<String, String> listResourceTags(String keyId);

  /** {@code ListKeyRotations}: the completed rotations of a key's material, oldest first. */
  List<KeyRotation> listKeyRotations(String keyId);

  /** {@code ListKeyPolicies}: the names of a key's policies; always {@code ["default"]}, as AWS. */
  List<String> listKeyPolicies(String keyId);

  /** {@code UpdateKeyDescription}: 0 to 8192 characters. */
  void updateKeyDescription(String keyId, String description);

  /** A {@code CreateKey} request. */
  record CreateKeyRequest(String description, String policy, Map<String, String> tags) {
    public CreateKeyRequest {
      description = description == null ? "" : description;
      tags = tags == null ? Map.of() : Map.copyOf(tags);
    }

    /** A key with a description, the default policy and no tags. */
    public static CreateKeyRequest withDescription(String description) {
      return new CreateKeyRequest(description, null, Map.of());
    }
  }

  /**
   * One alias: its name, its ARN, the key id it points at, and when it was created and last pointed
   * at a key (null for aliases a provider has no dates for).
   */
  record AliasEntry(
      String aliasName,
      String aliasArn,
      String targetKeyId,
      Instant creationDate,
      Instant lastUpdatedDate) {
    /** An alias without dates. */
    public AliasEntry(String aliasName, String aliasArn, String targetKeyId) {
      this(aliasName, aliasArn, targetKeyId, null, null);
    }
  }

  /**
   * One completed rotation of a key's material: the key id, when, and {@code AUTOMATIC} or {@code
   * ON_DEMAND}.
   */
  record KeyRotation(String keyId, Instant rotationDate, String rotationType) {}

  /** What {@code GetKeyRotationStatus} answers. */
  record KeyRotationStatus(
      String keyId,
      boolean keyRotationEnabled,
      int rotationPeriodInDays,
      Instant nextRotationDate,
      Instant onDemandRotationStartDate) {}

  /**
   * What {@code Decrypt} answers: the key ARN and version that made the blob, and the plaintext.
   */
  record DecryptResult(String keyArn, int keyVersion, SecretBytes plaintext) {}

  /**
   * What {@code ReEncrypt} answers: the ARN and version of the key that made the source blob, and
   * the new blob (named by its key's ARN).
   */
  record ReEncryptResult(String sourceKeyArn, int sourceKeyVersion, WrappedKey ciphertext) {}
}
