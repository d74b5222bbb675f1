package dev.coffer.kms.internal;

import dev.coffer.kms.DataKey;
import dev.coffer.kms.EncryptionContext;
import dev.coffer.kms.KeyDescription;
import dev.coffer.kms.KeystoreRollbackException;
import dev.coffer.kms.ManagedKeyProvider;
import dev.coffer.kms.SecretBytes;
import dev.coffer.kms.StateGeneration;
import dev.coffer.kms.WrappedKey;
import dev.coffer.proto.MasterKey;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A {@link ManagedKeyProvider} acting as one principal on a {@link KeyRing}: each method is the
 * ring operation of the same name, run as this provider's {@link Actor}, after {@link #beforeCall}.
 * The implementations of the public local and in-memory providers extend it. Thread-safe.
 */
public abstract class RingBackedProvider implements ManagedKeyProvider {
  private static final int AES_256_BYTES = 32;

  private final KeyRing ring;
  private final Actor actor;

  /**
   * @param principal a name such as {@code bob}, or an ARN; null for the account root
   * @param region the region of the view's ARNs; null for the keystore's own
   */
  protected RingBackedProvider(KeyRing ring, String principal, String region) {
    this.ring = Objects.requireNonNull(ring, "ring");
    this.actor = ring.actor(principal, region);
  }

  /** The ring this provider acts on. */
  protected final KeyRing ring() {
    return ring;
  }

  /**
   * The region given to the constructor (null for the keystore's own), for views of the same kind.
   */
  protected final String regionOfView() {
    return actor.region().equals(ring.region()) ? null : actor.region();
  }

  /**
   * Called before every operation with its action name (e.g. {@code kms:Decrypt}); subclasses use
   * it to check that they are open, or for a test's fault injection.
   */
  protected void beforeCall(String action, String keyRef) {}

  /** Called before {@link #keyArn}, which is no KMS operation; subclasses check they are open. */
  protected void checkOpen() {}

  @Override
  public String principal() {
    return actor.principal();
  }

  @Override
  public String accountId() {
    return ring.account();
  }

  @Override
  public String region() {
    return actor.region();
  }

  @Override
  public String keyArn(String keyRef) {
    checkOpen();
    Snapshot s = ring.state.current();
    MasterKey key = s.resolve(actor, keyRef);
    return s.keyArn(actor, key.getKeyId());
  }

  @Override
  public DataKey generateDataKey(String keyId, EncryptionContext context) {
    beforeCall("kms:GenerateDataKey", keyId);
    return ring.crypto.generateDataKey(actor, keyId, context, AES_256_BYTES);
  }

  @Override
  public WrappedKey encrypt(String keyId, SecretBytes plaintext, EncryptionContext context) {
    beforeCall("kms:Encrypt", keyId);
    return plaintext.withBytes(b -> ring.crypto.encrypt(actor, keyId, b, context));
  }

  @Override
  public SecretBytes decrypt(WrappedKey wrapped, EncryptionContext context) {
    beforeCall("kms:Decrypt", wrapped.keyId());
    return ring.crypto
        .decrypt(actor, wrapped.ciphertextBlob(), context, wrapped.keyId())
        .plaintext();
  }

  @Override
  public WrappedKey reEncrypt(
      WrappedKey wrapped, EncryptionContext context, String destinationKeyId) {
    beforeCall("kms:ReEncrypt", wrapped.keyId());
    return ring.crypto
        .reEncrypt(
            actor, wrapped.ciphertextBlob(), context, wrapped.keyId(), destinationKeyId, context)
        .ciphertext();
  }

  @Override
  public ReEncryptResult reEncryptBlob(
      byte[] ciphertextBlob,
      EncryptionContext sourceContext,
      String sourceKeyId,
      String destinationKeyId,
      EncryptionContext destinationContext) {
    beforeCall("kms:ReEncrypt", sourceKeyId);
    return ring.crypto.reEncrypt(
        actor, ciphertextBlob, sourceContext, sourceKeyId, destinationKeyId, destinationContext);
  }

  @Override
  public KeyDescription describeKey(String keyId) {
    beforeCall("kms:DescribeKey", keyId);
    return ring.keys.describeKey(actor, keyId);
  }

  @Override
  public KeyDescription createKey(CreateKeyRequest request) {
    beforeCall("kms:CreateKey", null);
    return ring.keys.createKey(actor, request);
  }

  @Override
  public List<KeyDescription> listKeys() {
    beforeCall("kms:ListKeys", null);
    return ring.keys.listKeys(actor);
  }

  @Override
  public void createAlias(String aliasName, String targetKeyId) {
    beforeCall("kms:CreateAlias", targetKeyId);
    ring.aliases.createAlias(actor, aliasName, targetKeyId);
  }

  @Override
  public void updateAlias(String aliasName, String targetKeyId) {
    beforeCall("kms:UpdateAlias", targetKeyId);
    ring.aliases.updateAlias(actor, aliasName, targetKeyId);
  }

  @Override
  public void deleteAlias(String aliasName) {
    beforeCall("kms:DeleteAlias", aliasName);
    ring.aliases.deleteAlias(actor, aliasName);
  }

  @Override
  public List<AliasEntry> listAliases(String keyId) {
    beforeCall("kms:ListAliases", keyId);
    return ring.aliases.listAliases(actor, keyId);
  }

  @Override
  public void enableKey(String keyId) {
    beforeCall("kms:EnableKey", keyId);
    ring.keys.enableKey(actor, keyId);
  }

  @Override
  public void disableKey(String keyId) {
    beforeCall("kms:DisableKey", keyId);
    ring.keys.disableKey(actor, keyId);
  }

  @Override
  public void enableKeyRotation(String keyId, int rotationPeriodInDays) {
    beforeCall("kms:EnableKeyRotation", keyId);
    ring.keys.enableKeyRotation(actor, keyId, rotationPeriodInDays);
  }

  @Override
  public void disableKeyRotation(String keyId) {
    beforeCall("kms:DisableKeyRotation", keyId);
    ring.keys.disableKeyRotation(actor, keyId);
  }

  @Override
  public KeyRotationStatus getKeyRotationStatus(String keyId) {
    beforeCall("kms:GetKeyRotationStatus", keyId);
    return ring.keys.getKeyRotationStatus(actor, keyId);
  }

  @Override
  public String rotateKeyOnDemand(String keyId) {
    beforeCall("kms:RotateKeyOnDemand", keyId);
    return ring.keys.rotateKeyOnDemand(actor, keyId);
  }

  @Override
  public Instant scheduleKeyDeletion(String keyId, int pendingWindowInDays) {
    beforeCall("kms:ScheduleKeyDeletion", keyId);
    return ring.keys.scheduleKeyDeletion(actor, keyId, pendingWindowInDays);
  }

  @Override
  public void cancelKeyDeletion(String keyId) {
    beforeCall("kms:CancelKeyDeletion", keyId);
    ring.keys.cancelKeyDeletion(actor, keyId);
  }

  @Override
  public String getKeyPolicy(String keyId) {
    beforeCall("kms:GetKeyPolicy", keyId);
    return ring.keys.getKeyPolicy(actor, keyId);
  }

  @Override
  public void putKeyPolicy(String keyId, String policyJson) {
    beforeCall("kms:PutKeyPolicy", keyId);
    ring.keys.putKeyPolicy(actor, keyId, policyJson);
  }

  @Override
  public WrappedKey encryptBytes(String keyId, byte[] plaintext, EncryptionContext context) {
    beforeCall("kms:Encrypt", keyId);
    return ring.crypto.encrypt(actor, keyId, plaintext, context);
  }

  @Override
  public DecryptResult decryptBlob(byte[] ciphertextBlob, EncryptionContext context, String keyId) {
    beforeCall("kms:Decrypt", keyId);
    return ring.crypto.decrypt(actor, ciphertextBlob, context, keyId);
  }

  @Override
  public WrappedKey generateDataKeyWithoutPlaintext(String keyId, EncryptionContext context) {
    beforeCall("kms:GenerateDataKeyWithoutPlaintext", keyId);
    return ring.crypto.generateDataKeyWithoutPlaintext(actor, keyId, context, AES_256_BYTES);
  }

  /**
   * The ring's state generation, named {@code <scheme>:<keystore id>}; see {@link
   * #stateGeneration()}. Providers whose state lives nowhere override this to answer empty.
   */
  @Override
  public Optional<StateGeneration> stateGeneration() {
    checkOpen();
    Snapshot s = ring.state.current();
    return Optional.of(
        StateGeneration.of(
            scheme() + "-" + s.contents.getKeystoreId(), s.contents.getGeneration()));
  }

  @Override
  public void requireStateGeneration(StateGeneration recorded) {
    checkOpen();
    Optional<StateGeneration> now = stateGeneration();
    if (now.isEmpty() || !now.get().sourceId().equals(recorded.sourceId())) {
      return;
    }
    raiseGenerationFloor(recorded.generation());
    if (now.get().isOlderThan(recorded)) {
      throw new KeystoreRollbackException(
          "The key state "
              + now.get()
              + " is older than "
              + recorded
              + ", which a store recorded: the keystore was rolled back.");
    }
  }

  /**
   * Refuses, from now on, states below {@code generation}; the local provider's store keeps the
   * floor.
   */
  protected void raiseGenerationFloor(long generation) {}

  @Override
  public String getAccountPolicy() {
    checkOpen();
    return ring.account.getAccountPolicy(actor);
  }

  @Override
  public void putAccountPolicy(String policyJson) {
    checkOpen();
    ring.account.putAccountPolicy(actor, policyJson);
  }

  @Override
  public DataKey generateDataKey(String keyId, EncryptionContext context, int numberOfBytes) {
    beforeCall("kms:GenerateDataKey", keyId);
    return ring.crypto.generateDataKey(actor, keyId, context, numberOfBytes);
  }

  @Override
  public WrappedKey generateDataKeyWithoutPlaintext(
      String keyId, EncryptionContext context, int numberOfBytes) {
    beforeCall("kms:GenerateDataKeyWithoutPlaintext", keyId);
    return ring.crypto.generateDataKeyWithoutPlaintext(actor, keyId, context, numberOfBytes);
  }

  @Override
  public SecretBytes generateRandom(int numberOfBytes) {
    beforeCall("kms:GenerateRandom", null);
    return ring.account.generateRandom(actor, numberOfBytes);
  }

  @Override
  public void tagResource(String keyId, Map<String, String> tags) {
    beforeCall("kms:TagResource", keyId);
    ring.details.tagResource(actor, keyId, tags);
  }

  @Override
  public void untagResource(String keyId, List<String> tagKeys) {
    beforeCall("kms:UntagResource", keyId);
    ring.details.untagResource(actor, keyId, tagKeys);
  }

  @Override
  public Map<String, String> listResourceTags(String keyId) {
    beforeCall("kms:ListResourceTags", keyId);
    return ring.details.listResourceTags(actor, keyId);
  }

  @Override
  public List<KeyRotation> listKeyRotations(String keyId) {
    beforeCall("kms:ListKeyRotations", keyId);
    return ring.details.listKeyRotations(actor, keyId);
  }

  @Override
  public List<String> listKeyPolicies(String keyId) {
    beforeCall("kms:ListKeyPolicies", keyId);
    return ring.details.listKeyPolicies(actor, keyId);
  }

  @Override
  public void updateKeyDescription(String keyId, String description) {
    beforeCall("kms:UpdateKeyDescription", keyId);
    ring.details.updateKeyDescription(actor, keyId, description);
  }

  @Override
  public String toString() {
    return scheme() + " key provider[" + actor.principal() + "]";
  }
}
