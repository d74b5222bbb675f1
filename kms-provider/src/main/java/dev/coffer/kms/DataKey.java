package dev.coffer.kms;

import java.util.Objects;

/**
 * A freshly generated data key: its plaintext (to use, then wipe) and its wrapped form (to store).
 * {@link #close()} wipes the plaintext. {@link #toString()} never shows it.
 */
public final class DataKey implements AutoCloseable {
  private final SecretBytes plaintext;
  private final WrappedKey wrapped;
  private final int masterKeyVersion;

  /**
   * @param masterKeyVersion the master key version that wrapped it, or 0 where the provider does
   *     not say (AWS KMS)
   */
  public DataKey(SecretBytes plaintext, WrappedKey wrapped, int masterKeyVersion) {
    this.plaintext = Objects.requireNonNull(plaintext, "plaintext");
    this.wrapped = Objects.requireNonNull(wrapped, "wrapped");
    this.masterKeyVersion = masterKeyVersion;
  }

  /** The plaintext key; wiped by {@link #close()}. */
  public SecretBytes plaintext() {
    return plaintext;
  }

  /** The wrapped form, to persist. */
  public WrappedKey wrapped() {
    return wrapped;
  }

  /** The master key version that wrapped it, or 0 when unknown. */
  public int masterKeyVersion() {
    return masterKeyVersion;
  }

  @Override
  public void close() {
    plaintext.destroy();
  }

  @Override
  public String toString() {
    return "DataKey[" + wrapped + ", plaintext redacted]";
  }
}
