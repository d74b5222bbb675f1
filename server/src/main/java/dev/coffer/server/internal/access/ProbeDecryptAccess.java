package dev.coffer.server.internal.access;

import dev.coffer.kms.DataKey;
import dev.coffer.kms.EncryptionContext;
import dev.coffer.kms.KeyProviderException;
import dev.coffer.kms.WrappedKey;
import dev.coffer.kms.ManagedKeyProvider;
import dev.coffer.server.PrincipalKeyAccess;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@link PrincipalKeyAccess} by a real {@code kms:Decrypt}: when the server starts, the store's own
 * principal wraps a probe key under the master key (encryption context {@code {"purpose":
 * "coffer-serve-access-check"}}, plaintext wiped at once); a principal may use the master key when a
 * view of the key ring acting as that principal can decrypt the probe. So the answer is exactly the
 * key ring's: key policy, key state (disabled, pending deletion) and its audit record, in which the
 * principal appears.
 *
 * <p>Verdicts (allowed, or the refusal) are kept per principal for {@code ttl} to bound the cost
 * and the audit volume to one check per principal per interval; {@link #invalidate()} forgets them.
 * A {@code ttl} of zero checks on every call. Thread-safe.
 */
public final class ProbeDecryptAccess implements PrincipalKeyAccess, AutoCloseable {
  private static final EncryptionContext CONTEXT = EncryptionContext.of("purpose", "coffer-serve-access-check");

  private record Verdict(long expiresAtMillis, KeyProviderException refusal) {}

  private final ManagedKeyProvider owner;
  private final WrappedKey probe;
  private final Duration ttl;
  private final Clock clock;
  private final Map<String, ManagedKeyProvider> views = new ConcurrentHashMap<>();
  private final Map<String, Verdict> verdicts = new ConcurrentHashMap<>();

  /**
   * @param owner the provider the store was opened with (its principal must be able to generate a
   *     data key under the master key)
   * @throws KeyProviderException when the probe cannot be made
   */
  public ProbeDecryptAccess(ManagedKeyProvider owner, String masterKeyId, Duration ttl, Clock clock) {
    this.owner = owner;
    this.ttl = ttl;
    this.clock = clock;
    try (DataKey k = owner.generateDataKey(masterKeyId, CONTEXT)) {
      this.probe = k.wrapped();
    }
  }

  @Override
  public void check(String principal) {
    long now = clock.millis();
    Verdict v = verdicts.get(principal);
    if (v == null || now >= v.expiresAtMillis()) {
      v = new Verdict(now + ttl.toMillis(), probe(principal));
      if (!ttl.isZero()) {
        verdicts.put(principal, v);
      }
    }
    if (v.refusal() != null) {
      throw v.refusal();
    }
  }

  private KeyProviderException probe(String principal) {
    ManagedKeyProvider view = views.computeIfAbsent(principal, owner::asPrincipal);
    try {
      view.decrypt(probe, CONTEXT).destroy();
      return null;
    } catch (KeyProviderException e) {
      if (e.retryable()) {
        throw e; // a transient failure is not a verdict
      }
      return e;
    }
  }

  @Override
  public void invalidate() {
    verdicts.clear();
  }

  @Override
  public void close() {
    views.values().forEach(ManagedKeyProvider::close);
    views.clear();
  }
}
