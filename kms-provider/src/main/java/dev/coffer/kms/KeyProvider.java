package dev.coffer.kms;

import java.util.Optional;

/**
 * The key operations Coffer needs from a key management service, modelled on AWS KMS.
 *
 * <p>A provider acts as one principal ({@link #principal()}); every call is checked against the
 * master key's state and policy for that principal, and audited. Master keys are named by key id,
 * key ARN, alias name ({@code alias/NAME}) or alias ARN.
 *
 * <p><b>Security guarantees.</b> Wrapped keys are authenticated: a blob that was changed, or that
 * is presented with an encryption context other than the one it was made under, fails with {@link
 * InvalidCiphertextException}. Plaintext key material is only ever returned as {@link SecretBytes},
 * which the caller must destroy.
 *
 * <p>Implementations are thread-safe. Every method throws a {@link KeyProviderException} subclass
 * on failure, never a library's own exception.
 */
public interface KeyProvider extends AutoCloseable {

  /**
   * The URI scheme this provider was found under: {@code local}, {@code memory}, {@code aws-kms}.
   */
  String scheme();

  /** The principal (an ARN) this provider acts as. */
  String principal();

  /**
   * {@code GenerateDataKey} with {@code KeySpec=AES_256}: a fresh 256-bit key, in plaintext and
   * wrapped under the master key's current version with {@code context}.
   *
   * @throws NotFoundException no such key
   * @throws DisabledException the key is disabled
   * @throws KmsInvalidStateException the key is pending deletion
   * @throws AccessDeniedException the principal may not use {@code kms:GenerateDataKey}
   */
  DataKey generateDataKey(String keyId, EncryptionContext context);

  /**
   * {@code Encrypt}: wraps {@code plaintext} (at most 4096 bytes) under the master key's current
   * version. Used to move a key from one master key (or provider) to another.
   */
  WrappedKey encrypt(String keyId, SecretBytes plaintext, EncryptionContext context);

  /**
   * {@code Decrypt}: unwraps {@code wrapped} under {@code context}. Checks that the blob was made
   * by {@code wrapped.keyId()}.
   *
   * @throws InvalidCiphertextException the blob is damaged or the context differs
   * @throws IncorrectKeyException the blob was made by another key than {@code wrapped.keyId()}
   */
  SecretBytes decrypt(WrappedKey wrapped, EncryptionContext context);

  /**
   * {@code ReEncrypt}: wraps the key inside {@code wrapped} under {@code destinationKeyId}'s
   * current version (which may be the same key, after a rotation) and the same context, without
   * returning the plaintext to the caller. Needs {@code kms:ReEncryptFrom} on the source key and
   * {@code kms:ReEncryptTo} on the destination.
   */
  WrappedKey reEncrypt(WrappedKey wrapped, EncryptionContext context, String destinationKeyId);

  /**
   * The master key named by the provider's URI (e.g. the key ARN in {@code aws-kms:<arn>}), used
   * when the store's options name none. Empty for providers whose URI names no key.
   */
  default Optional<String> defaultKeyId() {
    return Optional.empty();
  }

  /** {@code DescribeKey}. */
  KeyDescription describeKey(String keyId);

  /**
   * The generation of the provider's own key state, re-read now (so a keystore changed or rolled
   * back on disk shows here), for a store to record in its header; empty for providers whose state
   * is not theirs to keep (AWS KMS keeps it server-side; the in-memory provider keeps it nowhere).
   * The local provider answers source {@code local-<keystore id>} and the keystore's generation.
   *
   * @throws KeystoreRollbackException the keystore on disk is older than one already seen
   */
  default Optional<StateGeneration> stateGeneration() {
    return Optional.empty();
  }

  /**
   * Requires the provider's key state to be at least {@code recorded} (what a store recorded in its
   * header), and from now on refuses, in this process, any state of the same source older than it.
   * A generation of another source, or a provider without generations, passes: there is nothing to
   * compare.
   *
   * @throws KeystoreRollbackException the provider's state is older than {@code recorded}
   */
  default void requireStateGeneration(StateGeneration recorded) {}

  /** Releases resources (clients, files, cached material). Idempotent; throws nothing checked. */
  @Override
  void close();
}
