package dev.coffer;

import dev.coffer.kms.DataKey;
import dev.coffer.kms.EncryptionContext;
import dev.coffer.kms.KeyDescription;
import dev.coffer.kms.KeyProvider;
import dev.coffer.kms.SecretBytes;
import dev.coffer.kms.StateGeneration;
import dev.coffer.kms.WrappedKey;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A key provider that passes every call to another one, except that, once {@link #blockNextDecrypt}
 * armed it, the next {@code Decrypt} waits until {@link #release()}: a provider that hangs (a KMS
 * endpoint that stopped answering, a keystore on a hung mount). Thread-safe.
 */
final class BlockingKeyProvider implements KeyProvider {
  private final KeyProvider delegate;
  private final AtomicBoolean armed = new AtomicBoolean();
  private volatile CountDownLatch entered = new CountDownLatch(1);
  private volatile CountDownLatch gate = new CountDownLatch(1);

  BlockingKeyProvider(KeyProvider delegate) {
    this.delegate = delegate;
  }

  /** The next {@code Decrypt} blocks until {@link #release()}. */
  void blockNextDecrypt() {
    entered = new CountDownLatch(1);
    gate = new CountDownLatch(1);
    armed.set(true);
  }

  /** Waits until the blocked {@code Decrypt} has started; false if it did not within a minute. */
  boolean awaitBlocked() throws InterruptedException {
    return entered.await(1, TimeUnit.MINUTES);
  }

  /** Lets the blocked {@code Decrypt} go on. */
  void release() {
    gate.countDown();
  }

  @Override
  public String scheme() {
    return delegate.scheme();
  }

  @Override
  public String principal() {
    return delegate.principal();
  }

  @Override
  public DataKey generateDataKey(String keyId, EncryptionContext context) {
    return delegate.generateDataKey(keyId, context);
  }

  @Override
  public WrappedKey encrypt(String keyId, SecretBytes plaintext, EncryptionContext context) {
    return delegate.encrypt(keyId, plaintext, context);
  }

  @Override
  public SecretBytes decrypt(WrappedKey wrapped, EncryptionContext context) {
    if (armed.compareAndSet(true, false)) {
      entered.countDown();
      try {
        gate.await();
      } catch (InterruptedException ex) {
        Thread.currentThread().interrupt();
      }
    }
    return delegate.decrypt(wrapped, context);
  }

  @Override
  public WrappedKey reEncrypt(
      WrappedKey wrapped, EncryptionContext context, String destinationKeyId) {
    return delegate.reEncrypt(wrapped, context, destinationKeyId);
  }

  @Override
  public Optional<String> defaultKeyId() {
    return delegate.defaultKeyId();
  }

  @Override
  public KeyDescription describeKey(String keyId) {
    return delegate.describeKey(keyId);
  }

  @Override
  public Optional<StateGeneration> stateGeneration() {
    return delegate.stateGeneration();
  }

  @Override
  public void requireStateGeneration(StateGeneration recorded) {
    delegate.requireStateGeneration(recorded);
  }

  @Override
  public void close() {
    delegate.close();
  }
}
