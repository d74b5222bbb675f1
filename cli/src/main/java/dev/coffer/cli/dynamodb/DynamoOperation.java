package dev.coffer.cli.dynamodb;

import dev.coffer.Coffer;
import dev.coffer.cli.AwsCommand;
import dev.coffer.cli.CliContext;

/**
 * One {@code coffer dynamodb} command: parses its parameters, then runs its operation against the
 * store of the run. Parameters are parsed before the store is opened, so a malformed one changes
 * nothing.
 */
abstract class DynamoOperation extends AwsCommand {
  /** The store, opened (not created) on first use. */
  static Coffer store(CliContext context) {
    return context.coffer(false);
  }

  /**
   * The store, opened (not created) on first use for a command that only reads it: checked against
   * its rollback anchor without moving it ({@link CliContext#cofferToRead()}).
   */
  static Coffer storeToRead(CliContext context) {
    return context.cofferToRead();
  }
}
