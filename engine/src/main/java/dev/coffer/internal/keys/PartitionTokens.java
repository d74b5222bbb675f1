package dev.coffer.internal.keys;

import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.SecretKey;

/**
 * Turns partition key bytes into 16-byte partition tokens: {@code HMAC-SHA256(indexKey,
 * partitionKeyBytes)[0..16]}. A token names a partition in RocksDB without revealing its key.
 *
 * <p>Holds one initialised {@link Mac} and gives each thread its own clone of it (cloning copies
 * the pre-hashed inner and outer pads, not the key), reused for every token that thread computes:
 * {@code doFinal} resets a {@code Mac} to its keyed state. Thread-safe. {@link #destroy()} resets
 * and drops the prototype, after which no thread's clone is used again; the JDK gives no way to
 * wipe a {@code Mac}'s internal state, so the pads live until garbage collection.
 */
public final class PartitionTokens {
  /** Token length in bytes. */
  public static final int TOKEN_BYTES = 16;

  private volatile Mac prototype;
  private final ThreadLocal<Mac> perThread = ThreadLocal.withInitial(this::cloneForThread);

  /** Uses {@code indexKey} (wiped by the caller afterwards; this class keeps no copy). */
  public PartitionTokens(byte[] indexKey) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new TransientKey(indexKey)); // the JDK's HMAC wipes the copy it is given

      this.prototype = mac;
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("HmacSHA256 is not available in this JDK", e);
    }
  }

  /** The token of a partition: the first 16 bytes of the HMAC of its key bytes. */
  public byte[] token(byte[] partitionKeyBytes) {
    return Arrays.copyOf(hmac(partitionKeyBytes), TOKEN_BYTES);
  }

  /** The full 32-byte HMAC-SHA256 (used by the tests against Wycheproof vectors). */
  public byte[] hmac(byte[] message) {
    if (prototype == null) {
      throw new IllegalStateException("key material was destroyed (the store is closed)");
    }
    return perThread.get().doFinal(message);
  }

  private Mac cloneForThread() {
    Mac mac = prototype;
    if (mac == null) {
      throw new IllegalStateException("key material was destroyed (the store is closed)");
    }
    try {
      return (Mac) mac.clone();
    } catch (CloneNotSupportedException e) {
      throw new IllegalStateException("HmacSHA256 cannot be cloned in this JDK", e);
    }
  }

  /** Drops the key; later calls throw {@link IllegalStateException}. */
  public void destroy() {
    Mac mac = prototype;
    prototype = null;
    if (mac != null) {
      mac.reset();
    }
  }

  /** Hands the JDK a fresh copy of the caller's key, so no unwipeable copy is left behind. */
  private static final class TransientKey implements SecretKey {
    private static final long serialVersionUID = 1L;
    private final transient byte[] key;

    TransientKey(byte[] key) {
      if (key.length == 0) {
        throw new IllegalArgumentException("an HMAC key must not be empty");
      }
      this.key = key;
    }

    @Override
    public String getAlgorithm() {
      return "HmacSHA256";
    }

    @Override
    public String getFormat() {
      return "RAW";
    }

    @Override
    public byte[] getEncoded() {
      return key.clone();
    }
  }
}
