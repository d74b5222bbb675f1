package dev.coffer.kms.internal;

import dev.coffer.kms.audit.AuditSink;
import java.time.Clock;
import java.util.Objects;

/**
 * The key-management semantics shared by the local and in-memory providers, modelled on AWS KMS:
 * master keys with versions, states, aliases, policies, automatic and on-demand rotation, scheduled
 * deletion, and an audit record for every call, with AWS's checks, limits, error names and
 * messages. This class only wires its parts, one job each:
 *
 * <ul>
 *   <li>{@link RingState}: the state, its synchronisation with the {@link RingStore}, and how calls
 *       run (read-only or as a locked change); {@link Snapshot}: one state and its look-ups;
 *   <li>{@link KeyCrypto}: the cryptographic operations;
 *   <li>{@link KeyAdmin}, {@link KeyDetails}, {@link AliasAdmin} and {@link AccountAdmin}: the
 *       administrative operations;
 *   <li>{@link Authorizer} and {@link KeyPolicy}: the policy and key-state checks;
 *   <li>{@link Schedule}: automatic rotations and the ends of deletion waiting periods;
 *   <li>{@link RingAudit}: the audit records.
 * </ul>
 *
 * Providers reach it through {@link RingBackedProvider}. Thread-safe.
 */
public final class KeyRing {
  /** Principal used for changes the service makes by itself (rotation, deletion). */
  public static final String SERVICE_PRINCIPAL = RingAudit.SERVICE_PRINCIPAL;

  final RingState state;
  final KeyCrypto crypto;
  final KeyAdmin keys;
  final AliasAdmin aliases;
  final AccountAdmin account;
  final KeyDetails details;

  public KeyRing(RingStore store, Clock clock, AuditSink audit, String source) {
    this(store, clock, audit, source, RingStore.MAX_CONTENTS_BYTES);
  }

  /** A ring whose state may not grow beyond {@code maxContentsBytes} serialized. */
  KeyRing(RingStore store, Clock clock, AuditSink audit, String source, int maxContentsBytes) {
    RingAudit ringAudit =
        new RingAudit(
            Objects.requireNonNull(audit, "audit"),
            Objects.requireNonNull(clock, "clock"),
            Objects.requireNonNull(source, "source"));
    this.state = new RingState(store, clock, ringAudit, maxContentsBytes);
    this.crypto = new KeyCrypto(state);
    this.keys = new KeyAdmin(state);
    this.aliases = new AliasAdmin(state);
    this.account = new AccountAdmin(state);
    this.details = new KeyDetails(state, keys);
  }

  /** The account id of the keys' ARNs. */
  public String account() {
    return state.published().account();
  }

  /** The region the keystore was created for. */
  public String region() {
    return state.published().homeRegion();
  }

  /** The principal ARN for a name or ARN (see {@link Arns#principal}). */
  public String principal(String nameOrArn) {
    return Arns.principal(account(), nameOrArn);
  }

  /**
   * The caller {@code principalNameOrArn}, seeing ARNs of {@code region} (null: the keystore's).
   *
   * @throws IllegalArgumentException a malformed principal or region
   */
  Actor actor(String principalNameOrArn, String region) {
    if (region != null && !Arns.isRegion(region)) {
      throw new IllegalArgumentException("not a region name: " + region);
    }
    return Actor.of(principal(principalNameOrArn), region == null ? region() : region);
  }
}
