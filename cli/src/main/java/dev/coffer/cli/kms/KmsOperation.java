package dev.coffer.cli.kms;

import dev.coffer.cli.AwsCommand;
import dev.coffer.cli.CliContext;
import dev.coffer.kms.KeyManagement;
import dev.coffer.kms.KeyProvider;
import dev.coffer.kms.KeyProviderException;
import dev.coffer.kms.ManagedKeyProvider;
import dev.coffer.kms.UnsupportedKeyOperationException;

/**
 * One {@code coffer kms} command: runs its operation against the key provider of the run.
 * Subclasses throw {@link KeyProviderException}s as the provider raised them.
 */
abstract class KmsOperation extends AwsCommand {
  /** The provider as {@link KeyManagement}; fails clearly when it does not manage keys. */
  final KeyManagement keys(CliContext context) {
    return context.keyManagement(operationName());
  }

  /**
   * The provider as {@link ManagedKeyProvider}, for the Coffer-specific account-policy commands;
   * fails clearly when it has no account policy.
   */
  final ManagedKeyProvider managedKeys(CliContext context) {
    KeyProvider provider = context.keyProvider();
    if (provider instanceof ManagedKeyProvider managed) {
      return managed;
    }
    throw new UnsupportedKeyOperationException(
        "The "
            + provider.scheme()
            + ": key provider does not support "
            + operationName()
            + ": it has no account policy (only local: and memory: keystores have one; on AWS,"
            + " IAM identity policies play its part: manage them with IAM's tools).",
        null,
        "coffer:" + operationName());
  }
}
