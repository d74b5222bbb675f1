package dev.coffer.cli.kms;

import dev.coffer.cli.AwsCommand;
import dev.coffer.cli.CliContext;
import dev.coffer.kms.KeyManagement;
import dev.coffer.kms.KeyProviderException;

/**
 * One {@code coffer kms} command: runs its operation against the key provider of the run. Subclasses
 * throw {@link KeyProviderException}s as the provider raised them.
 */
abstract class KmsOperation extends AwsCommand {
  /** The provider as {@link KeyManagement}; fails clearly when it does not manage keys. */
  final KeyManagement keys(CliContext context) {
    return context.keyManagement(operationName());
  }
}
