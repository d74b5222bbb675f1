package dev.coffer.internal.keys;

import java.util.Arrays;
import javax.crypto.SecretKey;

/**
 * A 256-bit AES key that can be wiped. It hands the JDK a fresh copy on each {@link #getEncoded()}
 * (which the JDK's cipher init expands and discards), so {@link #destroy()} leaves no copy of ours
 * behind. Never printed. Thread-safe; using it after {@link #destroy()} throws {@link
 * IllegalStateException}. A copy is the whole key or nothing: checking and copying are one step
 * with respect to {@link #destroy()}, so a wipe racing with a copy never hands out zeros or a
 * half-wiped key ({@code AeadKeyTest}).
 */
public final class AeadKey implements SecretKey {
  private static final long serialVersionUID = 1L;

  /** The key length in bytes. */
  public static final int LENGTH_BYTES = 32;

  private final transient byte[] bytes;
  private volatile boolean destroyed;

  private AeadKey(byte[] bytes) {
    if (bytes.length != LENGTH_BYTES) {
      throw new IllegalArgumentException("an AES-256 key has 32 bytes, not " + bytes.length);
    }
    this.bytes = bytes;
  }

  /** Takes ownership of {@code bytes} (32 bytes): the caller must not keep or change the array. */
  public static AeadKey wrap(byte[] bytes) {
    return new AeadKey(bytes);
  }

  @Override
  public String getAlgorithm() {
    return "AES";
  }

  @Override
  public String getFormat() {
    return "RAW";
  }

  /** A copy of the key bytes, for the JDK's cipher initialisation only. */
  @Override
  public byte[] getEncoded() {
    byte[] copy;
    synchronized (bytes) { // destroy() wipes under the same lock: the copy is taken whole or not at all
      checkNotDestroyed();
      copy = bytes.clone();
    }
    return copy;
  }

  private void checkNotDestroyed() {
    if (destroyed) {
      throw new IllegalStateException("key material was destroyed (the store is closed)");
    }
  }

  @Override
  public void destroy() {
    synchronized (bytes) {
      destroyed = true;
      Arrays.fill(bytes, (byte) 0);
    }
  }

  @Override
  public boolean isDestroyed() {
    return destroyed;
  }

  @Override
  public String toString() {
    return "AeadKey[redacted]";
  }
}
