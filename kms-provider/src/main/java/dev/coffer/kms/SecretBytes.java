package dev.coffer.kms;

import java.security.MessageDigest;
import java.util.Arrays;
import javax.security.auth.Destroyable;

/**
 * Plaintext key material that can be wiped.
 *
 * <p>The bytes are reachable only through {@link #copyBytes()} (a copy the caller must wipe) or
 * {@link #withBytes(BytesFunction)} (a view valid during the call). {@link #toString()} never shows
 * them. {@link #destroy()} overwrites them with zeros; any later access throws {@link
 * IllegalStateException}. Instances are thread-safe; destroying one while another thread reads it
 * is the caller's error.
 */
public final class SecretBytes implements Destroyable, AutoCloseable {
  private final byte[] bytes;
  private volatile boolean destroyed;

  private SecretBytes(byte[] bytes) {
    this.bytes = bytes;
  }

  /** Takes ownership of {@code bytes}: the caller must not keep or change the array. */
  public static SecretBytes wrap(byte[] bytes) {
    if (bytes == null) {
      throw new NullPointerException("bytes");
    }
    return new SecretBytes(bytes);
  }

  /** Copies {@code bytes}; the caller keeps (and should wipe) its own array. */
  public static SecretBytes copyOf(byte[] bytes) {
    return new SecretBytes(bytes.clone());
  }

  /** The number of bytes. */
  public int length() {
    return bytes.length;
  }

  /** A copy of the bytes. The caller owns it and should wipe it with {@link #wipe(byte[])}. */
  public byte[] copyBytes() {
    checkLive();
    return bytes.clone();
  }

  /** Applies {@code function} to the bytes without copying them; it must not keep the array. */
  public <T> T withBytes(BytesFunction<T> function) {
    checkLive();
    return function.apply(bytes);
  }

  /** A new, independent copy (to be destroyed separately). */
  public SecretBytes duplicate() {
    return new SecretBytes(copyBytes());
  }

  /** Constant-time comparison of the contents. */
  public boolean contentEquals(SecretBytes other) {
    checkLive();
    other.checkLive();
    return MessageDigest.isEqual(bytes, other.bytes);
  }

  /** Overwrites the bytes with zeros. Idempotent. */
  @Override
  public void destroy() {
    destroyed = true;
    Arrays.fill(bytes, (byte) 0);
  }

  @Override
  public boolean isDestroyed() {
    return destroyed;
  }

  /** Same as {@link #destroy()}. */
  @Override
  public void close() {
    destroy();
  }

  /** Overwrites {@code array} with zeros; does nothing for {@code null}. */
  public static void wipe(byte[] array) {
    if (array != null) {
      Arrays.fill(array, (byte) 0);
    }
  }

  private void checkLive() {
    if (destroyed) {
      throw new IllegalStateException("key material was destroyed");
    }
  }

  @Override
  public String toString() {
    return "SecretBytes[" + bytes.length + " bytes, redacted]";
  }

  /** A function over the raw bytes. */
  @FunctionalInterface
  public interface BytesFunction<T> {
    T apply(byte[] bytes);
  }
}
