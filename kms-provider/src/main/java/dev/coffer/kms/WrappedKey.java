package dev.coffer.kms;

import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;

/**
 * A key (or small secret) encrypted under a master key: the provider's opaque ciphertext blob and
 * the id of the master key that produced it. Immutable and thread-safe; not secret.
 */
public final class WrappedKey {
  private final String keyId;
  private final byte[] ciphertextBlob;

  private WrappedKey(String keyId, byte[] ciphertextBlob) {
    this.keyId = Objects.requireNonNull(keyId, "keyId");
    this.ciphertextBlob = ciphertextBlob.clone();
    if (this.ciphertextBlob.length == 0) {
      throw new IllegalArgumentException("empty ciphertext blob");
    }
  }

  /** A wrapped key from the id (ARN) of its master key and the provider's ciphertext blob. */
  public static WrappedKey of(String keyId, byte[] ciphertextBlob) {
    return new WrappedKey(keyId, ciphertextBlob);
  }

  /** The id or ARN of the master key that wrapped it, as the provider reported it. */
  public String keyId() {
    return keyId;
  }

  /** A copy of the provider's ciphertext blob. */
  public byte[] ciphertextBlob() {
    return ciphertextBlob.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof WrappedKey
        && ((WrappedKey) o).keyId.equals(keyId)
        && Arrays.equals(((WrappedKey) o).ciphertextBlob, ciphertextBlob);
  }

  @Override
  public int hashCode() {
    return keyId.hashCode() * 31 + Arrays.hashCode(ciphertextBlob);
  }

  @Override
  public String toString() {
    String b64 = Base64.getEncoder().encodeToString(ciphertextBlob);
    return "WrappedKey["
        + keyId
        + ", "
        + (b64.length() > 16 ? b64.substring(0, 16) + "..." : b64)
        + "]";
  }
}
