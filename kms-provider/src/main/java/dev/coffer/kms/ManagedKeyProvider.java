package dev.coffer.kms;

import dev.coffer.kms.audit.AuditSink;
import java.time.Clock;

/**
 * A key provider that keeps its own keys (the local keystore, the in-memory provider) and so offers
 * every {@link KeyManagement} operation besides the {@link KeyProvider} SPI, acting as one
 * principal, in one account and region.
 *
 * <p><b>For servers.</b> A server that acts on behalf of principals it has authenticated itself
 * (such as the KMS-compatible endpoint, which checks SigV4 signatures) opens one provider and
 * serves each request through {@link #asPrincipal(String)}: a view on the same keys in which every
 * call is checked against the key policies as that principal and audited under its name. Views are
 * cheap; each must be {@link #close() closed} when no longer used.
 *
 * <p><b>What a principal means here.</b> The provider does not authenticate the principal it is
 * given: whoever can open the provider (holds the keystore's secret, or the in-memory provider's
 * reference) can act as anyone, and can read every key. Key policies restrict principals only when
 * a server between them and the provider authenticates them (docs/key-providers.md).
 *
 * <p>Implementations are thread-safe; every method throws {@link KeyProviderException} subclasses
 * named as AWS KMS's errors.
 */
public interface ManagedKeyProvider extends KeyProvider, KeyManagement {

  /**
   * A view acting as {@code principalNameOrArn} on the same keys: a bare name such as {@code bob}
   * is the IAM user {@code arn:aws:iam::<account>:user/bob}, {@code root} (or null) the account
   * root; an ARN is taken as it is. Close it when done; the keys stay open while other views are.
   *
   * @throws IllegalArgumentException a malformed principal ARN or name
   */
  ManagedKeyProvider asPrincipal(String principalNameOrArn);

  /**
   * {@link #asPrincipal(String)}, with the keys presented in {@code region}: ARNs in answers name
   * {@code region}, and key and alias ARNs naming it are accepted (as are those naming the
   * keystore's own region). For a server that serves the keys under the region its clients sign for
   * ({@code coffer kms serve --region}).
   *
   * @throws IllegalArgumentException a malformed principal or region name
   */
  ManagedKeyProvider asPrincipal(String principalNameOrArn, String region);

  /** The 12-digit account id in this provider's ARNs. */
  String accountId();

  /** The region in this provider's ARNs. */
  String region();

  /**
   * The key ARN of the key {@code keyRef} names (key id, key ARN, alias name or alias ARN), without
   * a permission check or an audit record: for a server that answers with the ARN of the key an
   * operation it just ran (and that was checked) acted on.
   *
   * @throws NotFoundException no such key or alias, or the key is deleted
   */
  String keyArn(String keyRef);

  /**
   * The account policy: the IAM side of this keystore's key policies, an AWS-style policy document
   * whose statements name principals (with {@code Principal}), actions and resources ({@code "*"},
   * or key and alias ARNs with wildcards). Account-level actions ({@code kms:CreateKey}, {@code
   * kms:ListKeys}, {@code kms:ListAliases}, {@code kms:GenerateRandom}, and the alias side of
   * {@code kms:CreateAlias}, {@code kms:UpdateAlias}, {@code kms:DeleteAlias}) need an Allow here;
   * key-level actions need it when the key policy grants them to the account (as the default policy
   * does) rather than to the principal itself. The account root and the keystore's owner (who
   * created it) may do everything without it. Empty when none was set.
   *
   * @throws AccessDeniedException the caller is neither the account root nor the owner
   */
  String getAccountPolicy();

  /**
   * Replaces the account policy (see {@link #getAccountPolicy()}); an empty string removes it.
   *
   * @throws AccessDeniedException the caller is neither the account root nor the owner
   * @throws MalformedPolicyDocumentException the document is not a policy this provider enforces
   */
  void putAccountPolicy(String policyJson);

  /**
   * Settings shared by the builders of managed providers. Each setter validates at once.
   *
   * @param <B> the builder type
   * @param <P> the provider type it builds
   */
  interface Builder<B extends Builder<B, P>, P extends ManagedKeyProvider> {
    /** Settings from a factory context: principal, clock, audit sink. */
    B context(KeyProviderContext context);

    /**
     * The principal to act as (a name such as {@code bob}, or an ARN); the account root by default.
     */
    B principal(String principal);

    /** The clock for key dates, rotation and deletion; inject one to test time. */
    B clock(Clock clock);

    /** Where audit records go; SLF4J by default. */
    B auditSink(AuditSink auditSink);

    /** The 12-digit account id in ARNs (of a new keystore; an existing one keeps its own). */
    B account(String account);

    /** The region in ARNs (of a new keystore; an existing one keeps its own). */
    B region(String region);

    /** Builds the provider. */
    P build();
  }
}
