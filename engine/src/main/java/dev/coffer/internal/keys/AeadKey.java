package dev.coffer.internal.keys;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.WeakHashMap;
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

  /**
   * Keys derived from this one, wiped with it (weakly held: a dependent dropped elsewhere may go).
   */
  private transient Set<AeadKey> dependents; // guarded by bytes

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
    synchronized (
        bytes) { // destroy() wipes under the same lock: the copy is taken whole or not at all
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
    List<AeadKey> wipe;
    synchronized (bytes) {
      destroyed = true;
      Arrays.fill(bytes, (byte) 0);
      wipe = dependents == null ? List.of() : new ArrayList<>(dependents);
      dependents = null;
    }
    wipe.forEach(AeadKey::destroy);
  }

  /**
   * Makes {@code dependent} (a key derived from this one) go with this key: {@link #destroy()}
   * wipes it too.
   *
   * @throws IllegalStateException when this key was destroyed already (then {@code dependent} is
   *     wiped at once)
   */
  public void destroyWith(AeadKey dependent) {
    synchronized (bytes) {
      if (!destroyed) {
        if (dependents == null) {
          dependents = Collections.newSetFromMap(new WeakHashMap<>());
        }
        dependents.add(dependent);
        return;
      }
    }
    dependent.destroy();
    throw new IllegalStateException("key material was destroyed (the store is closed)");
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
