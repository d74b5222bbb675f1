package dev.coffer.server;

/**
 * Decides, per request, whether the principal behind an access key may use the store's master key:
 * the server answers every DynamoDB data call of a principal that may not with {@code
 * AccessDeniedException} (or the key's state error: {@code DisabledException}, {@code
 * KMSInvalidStateException}, ...), before touching the store. This is what makes a key policy that
 * refuses {@code kms:Decrypt} to a principal refuse it the data, as it does on AWS for a table
 * encrypted under a customer managed key.
 *
 * <p>The default for stores under a {@code local:} or {@code memory:} key provider is a real {@code
 * kms:Decrypt}, as the principal, of a probe blob wrapped under the master key when the server
 * starts. Verdicts are kept until the keystore's state generation moves (any key, policy or state
 * change, by this process or another; {@code local:}), or for {@link
 * CofferServer.Builder#accessCheckInterval} (one second by default) under a provider without
 * generations ({@code memory:}), and are forgotten after every KMS call through the server.
 * Implementations must be thread-safe.
 */
@FunctionalInterface
public interface PrincipalKeyAccess {
  /**
   * Returns when {@code principal} (a name such as {@code bob}, {@code root}, or an ARN, as written
   * in the credentials) may use the master key now.
   *
   * @throws dev.coffer.kms.KeyProviderException when it may not: its {@code errorCode()} and
   *     message go to the client
   */
  void check(String principal);

  /** Forgets remembered verdicts (after a key policy or key state may have changed). */
  default void invalidate() {}
}
