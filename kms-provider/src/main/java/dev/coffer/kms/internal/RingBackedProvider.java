package dev.coffer.kms.internal;

import dev.coffer.kms.DataKey;
import dev.coffer.kms.EncryptionContext;
import dev.coffer.kms.KeyDescription;
import dev.coffer.kms.KeyManagement;
import dev.coffer.kms.KeyProvider;
import dev.coffer.kms.SecretBytes;
import dev.coffer.kms.WrappedKey;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A {@link KeyProvider} and {@link KeyManagement} acting as one principal on a {@link KeyRing}.
 * The local and in-memory providers extend it. Thread-safe.
 */
public abstract class RingBackedProvider implements KeyProvider, KeyManagement {
  private final KeyRing ring;
  private final String principal;

  protected RingBackedProvider(KeyRing ring, String principal) {
    this.ring = Objects.requireNonNull(ring, "ring");
    this.principal = ring.principal(principal);
  }

  /** A view acting as {@code principal} (a name such as {@code bob}, or an ARN) on the same keys. */
  public abstract RingBackedProvider asPrincipal(String principal);

  /** The ring this provider acts on. */
  protected final KeyRing ring() {
    return ring;
  }

  /**
   * Called before every operation with its action name (e.g. {@code kms:Decrypt}); subclasses use
   * it for fault injection or to check that they are open.
   */
  protected void beforeCall(String action, String keyRef) {}

  @Override
  public String principal() {
    return principal;
  }

  @Override
  public DataKey generateDataKey(String keyId, EncryptionContext context) {
    beforeCall("kms:GenerateDataKey", keyId);
    return ring.generateDataKey(principal, keyId, context);
  }

  @Override
  public WrappedKey encrypt(String keyId, SecretBytes plaintext, EncryptionContext context) {
    beforeCall("kms:Encrypt", keyId);
    return plaintext.withBytes(b -> ring.encrypt(principal, keyId, b, context));
  }

  @Override
  public SecretBytes decrypt(WrappedKey wrapped, EncryptionContext context) {
    beforeCall("kms:Decrypt", wrapped.keyId());
    return ring.decrypt(principal, wrapped.ciphertextBlob(), context, wrapped.keyId()).plaintext();
  }

  @Override
  public WrappedKey reEncrypt(WrappedKey wrapped, EncryptionContext context, String destinationKeyId) {
    beforeCall("kms:ReEncrypt", wrapped.keyId());
    return ring.reEncrypt(principal, wrapped.ciphertextBlob(), context, wrapped.keyId(), destinationKeyId);
  }

  @Override
  public KeyDescription describeKey(String keyId) {
    beforeCall("kms:DescribeKey", keyId);
    return ring.describeKey(principal, keyId);
  }

  @Override
  public KeyDescription createKey(CreateKeyRequest request) {
    beforeCall("kms:CreateKey", null);
    return ring.createKey(principal, request);
  }

  @Override
  public List<KeyDescription> listKeys() {
    beforeCall("kms:ListKeys", null);
    return ring.listKeys(principal);
  }

  @Override
  public void createAlias(String aliasName, String targetKeyId) {
    beforeCall("kms:CreateAlias", targetKeyId);
    ring.createAlias(principal, aliasName, targetKeyId);
  }

  @Override
  public void updateAlias(String aliasName, String targetKeyId) {
    beforeCall("kms:UpdateAlias", targetKeyId);
    ring.updateAlias(principal, aliasName, targetKeyId);
  }

  @Override
  public void deleteAlias(String aliasName) {
    beforeCall("kms:DeleteAlias", aliasName);
    ring.deleteAlias(principal, aliasName);
  }

  @Override
  public List<AliasEntry> listAliases(String keyId) {
    beforeCall("kms:ListAliases", keyId);
    return ring.listAliases(principal, keyId);
  }

  @Override
  public void enableKey(String keyId) {
    beforeCall("kms:EnableKey", keyId);
    ring.enableKey(principal, keyId);
  }

  @Override
  public void disableKey(String keyId) {
    beforeCall("kms:DisableKey", keyId);
    ring.disableKey(principal, keyId);
  }

  @Override
  public void enableKeyRotation(String keyId, int rotationPeriodInDays) {
    beforeCall("kms:EnableKeyRotation", keyId);
    ring.enableKeyRotation(principal, keyId, rotationPeriodInDays);
  }

  @Override
  public void disableKeyRotation(String keyId) {
    beforeCall("kms:DisableKeyRotation", keyId);
    ring.disableKeyRotation(principal, keyId);
  }

  @Override
  public KeyRotationStatus getKeyRotationStatus(String keyId) {
    beforeCall("kms:GetKeyRotationStatus", keyId);
    return ring.getKeyRotationStatus(principal, keyId);
  }

  @Override
  public String rotateKeyOnDemand(String keyId) {
    beforeCall("kms:RotateKeyOnDemand", keyId);
    return ring.rotateKeyOnDemand(principal, keyId);
  }

  @Override
  public Instant scheduleKeyDeletion(String keyId, int pendingWindowInDays) {
    beforeCall("kms:ScheduleKeyDeletion", keyId);
    return ring.scheduleKeyDeletion(principal, keyId, pendingWindowInDays);
  }

  @Override
  public void cancelKeyDeletion(String keyId) {
    beforeCall("kms:CancelKeyDeletion", keyId);
    ring.cancelKeyDeletion(principal, keyId);
  }

  @Override
  public String getKeyPolicy(String keyId) {
    beforeCall("kms:GetKeyPolicy", keyId);
    return ring.getKeyPolicy(principal, keyId);
  }

  @Override
  public void putKeyPolicy(String keyId, String policyJson) {
    beforeCall("kms:PutKeyPolicy", keyId);
    ring.putKeyPolicy(principal, keyId, policyJson);
  }

  @Override
  public WrappedKey encryptBytes(String keyId, byte[] plaintext, EncryptionContext context) {
    beforeCall("kms:Encrypt", keyId);
    return ring.encrypt(principal, keyId, plaintext, context);
  }

  @Override
  public DecryptResult decryptBlob(byte[] ciphertextBlob, EncryptionContext context, String keyId) {
    beforeCall("kms:Decrypt", keyId);
    return ring.decrypt(principal, ciphertextBlob, context, keyId);
  }

  @Override
  public WrappedKey generateDataKeyWithoutPlaintext(String keyId, EncryptionContext context) {
    beforeCall("kms:GenerateDataKeyWithoutPlaintext", keyId);
    return ring.generateDataKeyWithoutPlaintext(principal, keyId, context);
  }

  @Override
  public String toString() {
    return getClass().getSimpleName() + "[" + scheme() + ", " + principal + "]";
  }
}
