package dev.coffer.server.internal.access;

import dev.coffer.kms.DataKey;
import dev.coffer.kms.EncryptionContext;
import dev.coffer.kms.KeyProviderException;
import dev.coffer.kms.ManagedKeyProvider;
import dev.coffer.kms.StateGeneration;
import dev.coffer.kms.WrappedKey;
import dev.coffer.server.PrincipalKeyAccess;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@link PrincipalKeyAccess} by a real {@code kms:Decrypt}: when the server starts, the store's own
 * principal wraps a probe key under the master key (encryption context {@code {"purpose":
 * "coffer-serve-access-check"}}, plaintext wiped at once); a principal may use the master key when
 * a view of the key ring acting as that principal can decrypt the probe. So the answer is exactly
 * the key ring's: key policy, account policy, key state (disabled, pending deletion) and its audit
 * record, in which the principal appears. (A cryptographic probe because {@link ManagedKeyProvider}
 * offers no policy decision without one; a {@code kms:Decrypt} that succeeds is the decision.)
 *
 * <p><b>How long a verdict holds.</b> Verdicts (allowed, or the refusal) are kept per principal
 * together with the key provider's {@link StateGeneration} when they were made. A provider with
 * generations (the {@code local:} keystore: every key, policy, alias or state change moves it, in
 * this process or another, and so do scheduled rotations and deletions when they fall due) keeps a
 * verdict until the generation moves, so a change applies to the next call and an unchanged
 * keystore costs one generation read (a file stamp check) per call instead of a decryption. A
 * provider without generations ({@code memory:}) keeps a verdict for {@code ttl}. {@link
 * #invalidate()} forgets all verdicts (the server calls it after every KMS call through its port);
 * a {@code ttl} of zero checks on every call. Transient provider failures are thrown, never kept.
 * Thread-safe.
 */
public final class ProbeDecryptAccess implements PrincipalKeyAccess, AutoCloseable {
  private static final EncryptionContext CONTEXT =
      EncryptionContext.of("purpose", "coffer-serve-access-check");

  /**
   * A verdict, made at {@code generation} (null: the provider has none) and kept until {@code
   * expiresAtMillis}.
   */
  private record Verdict(
      StateGeneration generation, long expiresAtMillis, KeyProviderException refusal) {}

  private final ManagedKeyProvider owner;
  private final WrappedKey probe;
  private final Duration ttl;
  private final Clock clock;
  private final Map<String, ManagedKeyProvider> views = new ConcurrentHashMap<>();
  private final Map<String, Verdict> verdicts = new ConcurrentHashMap<>();

  /**
   * @param owner the provider the store was opened with (its principal must be able to generate a
   *     data key under the master key)
   * @param ttl how long a verdict holds for a provider without state generations; zero: never kept
   * @throws KeyProviderException when the probe cannot be made
   */
  public ProbeDecryptAccess(
      ManagedKeyProvider owner, String masterKeyId, Duration ttl, Clock clock) {
    this.owner = owner;
    this.ttl = ttl;
    this.clock = clock;
    try (DataKey k = owner.generateDataKey(masterKeyId, CONTEXT)) {
      this.probe = k.wrapped();
    }
  }

  @Override
  public void check(String principal) {
    if (ttl.isZero()) {
      throwIfRefused(probe(principal));
      return;
    }
    StateGeneration now = owner.stateGeneration().orElse(null);
    long nowMillis = clock.millis();
    Verdict v = verdicts.get(principal);
    if (v == null
        || (now == null ? nowMillis >= v.expiresAtMillis() : !now.equals(v.generation()))) {
      // Read the generation before the probe: a change made during the probe shows as a newer one
      // next time.
      v = new Verdict(now, nowMillis + ttl.toMillis(), probe(principal));
      verdicts.put(principal, v);
    }
    throwIfRefused(v.refusal());
  }

  private static void throwIfRefused(KeyProviderException refusal) {
    if (refusal != null) {
      throw refusal;
    }
  }

  /**
   * The refusal of a {@code kms:Decrypt} of the probe as {@code principal}, or null when allowed.
   */
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
