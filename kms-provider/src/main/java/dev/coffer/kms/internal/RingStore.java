package dev.coffer.kms.internal;

import dev.coffer.proto.KeystoreContents;
import java.util.HexFormat;
import java.util.function.UnaryOperator;

/**
 * Where a {@link KeyRing}'s state is kept. The ring calls a store under its own write lock, one
 * call at a time; a store shared by several rings must serialize their {@link #update}s itself.
 */
public interface RingStore {
  /**
   * The largest serialized state a ring writes: the keystore file's 64 MiB read limit less room for
   * its header, tag and framing. A change that would exceed it fails with {@code
   * LimitExceededException} before anything is written.
   */
  int MAX_CONTENTS_BYTES = 64 * 1024 * 1024 - 4096;

  /** The state to start from. */
  KeystoreContents load();

  /** Persists {@code contents} atomically, or throws (then nothing changed). */
  void save(KeystoreContents contents);

  /** State written by someone else since the last load or save, or null when unchanged. */
  KeystoreContents reloadIfChanged();

  /**
   * Applies {@code change} to the newest state and persists the result, atomically with respect to
   * every other writer of the same store (other threads, instances or processes). Stores shared
   * between writers lock, reload, apply, save and unlock; the default, for stores with a single
   * writer, applies {@code change} to {@code current} and saves. When {@code change} returns its
   * argument unchanged nothing is saved. An exception thrown by {@code change} propagates and
   * nothing is saved.
   *
   * @param current the state the ring holds now
   * @return the state now persisted
   */
  default KeystoreContents update(
      KeystoreContents current, UnaryOperator<KeystoreContents> change) {
    KeystoreContents next = change.apply(current);
    if (next != current) {
      save(next);
    }
    return next;
  }

  /**
   * Whether someone else may change the persisted state (so {@link #reloadIfChanged()} is worth
   * asking before each call). True unless overridden.
   */
  default boolean mayChangeOutside() {
    return true;
  }

  /** A store that keeps the state in memory only, owned by {@code owner} (a principal ARN). */
  static RingStore inMemory(String account, String region, String owner) {
    KeystoreContents initial = emptyContents(account, region, owner);
    return new RingStore() {
      @Override
      public KeystoreContents load() {
        return initial;
      }

      @Override
      public void save(KeystoreContents contents) {}

      @Override
      public KeystoreContents reloadIfChanged() {
        return null;
      }

      @Override
      public boolean mayChangeOutside() {
        return false;
      }
    };
  }

  /**
   * Empty contents for a new keystore of {@code account} and {@code region}, owned by {@code owner}
   * (a principal name or ARN; null for the account root), with a fresh random keystore id.
   */
  static KeystoreContents emptyContents(String account, String region, String owner) {
    return KeystoreContents.newBuilder()
        .setFormatVersion(1)
        .setGeneration(1)
        .setAccountId(account)
        .setRegion(region)
        .setKeystoreId(HexFormat.of().formatHex(AesGcm.randomBytes(16)))
        .setOwner(Arns.principal(account, owner))
        .build();
  }
}
