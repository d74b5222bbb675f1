package dev.coffer.torture;

import dev.coffer.kms.DataKey;
import dev.coffer.kms.EncryptionContext;
import dev.coffer.kms.KeyDescription;
import dev.coffer.kms.KeyProvider;
import dev.coffer.kms.SecretBytes;
import dev.coffer.kms.WrappedKey;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A key provider that passes every call to another one, counts calls per action, and can run an
 * action (that switches a fault on: the in-memory provider's fault injection, or the network proxy)
 * just before the n-th call of one action, so that a fault lands in the MIDDLE of an operation that
 * makes several calls (the k-th key of a rewrap, the k-th access check of a re-encryption). The
 * fault itself comes from the provider or the network, never from here. Thread-safe.
 */
final class TriggeredProvider implements KeyProvider {
  private final KeyProvider delegate;
  private final Map<String, AtomicLong> calls = new ConcurrentHashMap<>();
  private volatile Trigger trigger;

  private record Trigger(String action, int nth, Runnable arm, AtomicInteger seen) {}

  TriggeredProvider(KeyProvider delegate) {
    this.delegate = delegate;
  }

  /** Runs {@code arm} just before the {@code nth} call of {@code action} from now on (once). */
  void armAt(String action, int nth, Runnable arm) {
    trigger = new Trigger(action, nth, arm, new AtomicInteger());
  }

  /** Whether an armed trigger has not fired yet. */
  boolean armed() {
    return trigger != null;
  }

  /** Calls of {@code action} (e.g. {@code kms:ReEncrypt}) so far. */
  long calls(String action) {
    AtomicLong n = calls.get(action);
    return n == null ? 0 : n.get();
  }

  /** Calls of every action so far. */
  long totalCalls() {
    return calls.values().stream().mapToLong(AtomicLong::get).sum();
  }

  private void before(String action) {
    calls.computeIfAbsent(action, a -> new AtomicLong()).incrementAndGet();
    Trigger t = trigger;
    if (t != null && t.action.equals(action) && t.seen.incrementAndGet() == t.nth) {
      trigger = null;
      t.arm.run();
    }
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
    before("kms:GenerateDataKey");
    return delegate.generateDataKey(keyId, context);
  }

  @Override
  public WrappedKey encrypt(String keyId, SecretBytes plaintext, EncryptionContext context) {
    before("kms:Encrypt");
    return delegate.encrypt(keyId, plaintext, context);
  }

  @Override
  public SecretBytes decrypt(WrappedKey wrapped, EncryptionContext context) {
    before("kms:Decrypt");
    return delegate.decrypt(wrapped, context);
  }

  @Override
  public WrappedKey reEncrypt(
      WrappedKey wrapped, EncryptionContext context, String destinationKeyId) {
    before("kms:ReEncrypt");
    return delegate.reEncrypt(wrapped, context, destinationKeyId);
  }

  @Override
  public Optional<String> defaultKeyId() {
    return delegate.defaultKeyId();
  }

  @Override
  public KeyDescription describeKey(String keyId) {
    before("kms:DescribeKey");
    return delegate.describeKey(keyId);
  }

  @Override
  public void close() {
    delegate.close();
  }
}
