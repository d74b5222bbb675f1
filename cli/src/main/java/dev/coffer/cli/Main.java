package dev.coffer.cli;

import dev.coffer.cli.dynamodb.DynamoDbCommand;
import dev.coffer.cli.kms.KmsCommand;
import dev.coffer.cli.lifecycle.ReencryptCommand;
import dev.coffer.cli.lifecycle.RotateCommand;
import dev.coffer.cli.serve.ServeCommand;
import dev.coffer.cli.store.AuditCommand;
import dev.coffer.cli.store.CollectGarbageCommand;
import dev.coffer.cli.store.ExportCommand;
import dev.coffer.cli.store.ImportCommand;
import dev.coffer.cli.store.InfoCommand;
import dev.coffer.cli.store.VerifyCommand;
import java.util.Objects;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * The {@code coffer} command. Exit codes: {@link ExitCode}.
 *
 * <p>Commands reach the resolved global options, the key provider and the store through the {@link
 * RunContext} that picocli injects ({@code @Mixin RunContext run;}), never through this class.
 */
@Command(
    name = "coffer",
    mixinStandardHelpOptions = true,
    version = "coffer 0.1.0",
    description = "An embedded, encrypted-at-rest, DynamoDB-style key-value store.",
    subcommands = {
      KmsCommand.class,
      DynamoDbCommand.class,
      VerifyCommand.class,
      InfoCommand.class,
      ExportCommand.class,
      ImportCommand.class,
      AuditCommand.class,
      RotateCommand.class,
      ReencryptCommand.class,
      CollectGarbageCommand.class,
      ServeCommand.class,
      DemoCommand.class,
      CompletionCommand.class,
      CommandLine.HelpCommand.class
    },
    footer = {
      "",
      "Examples:",
      "  export COFFER_KEY_PROVIDER=local:$HOME/.coffer/keystore",
      "  coffer kms create-key --description \"orders master key\"",
      "  coffer kms list-keys --output table",
      "  export COFFER_STORE=$HOME/.coffer/store COFFER_MASTER_KEY=alias/coffer",
      "  coffer dynamodb list-tables",
      "  coffer verify",
      "  coffer --backend 'dynamodb:orders-store?region=eu-west-1' dynamodb list-tables",
      "",
      "Exit codes: 0 success, 1 the operation failed, 2 bad usage."
    })
public final class Main {
  @Mixin GlobalOptions options = new GlobalOptions();

  private final RunContext run;

  private Main(CliEnvironment environment) {
    Objects.requireNonNull(environment, "environment");
    this.run = new RunContext(() -> new CliContext(options, environment));
  }

  public static void main(String[] args) {
    System.exit(newCommandLine().execute(args));
  }

  /** A command line over the real process environment. */
  public static CommandLine newCommandLine() {
    return newCommandLine(CliEnvironment.system());
  }

  /**
   * A command line with Coffer's error handling (one line on stderr, stack traces only with {@code
   * --debug}) over {@code environment}.
   */
  public static CommandLine newCommandLine(CliEnvironment environment) {
    Main main = new Main(environment);
    CommandLine cmd = new CommandLine(main, new CommandFactory(main.run));
    addHelpOptions(cmd, cmd.getCommandSpec().version());
    ErrorHandler errors = new ErrorHandler(() -> main.options.debug);
    cmd.setExecutionExceptionHandler(errors);
    cmd.setParameterExceptionHandler(errors);
    cmd.setExecutionStrategy(
        parseResult -> {
          try {
            return new CommandLine.RunLast().execute(parseResult);
          } finally {
            main.run.close();
          }
        });
    return cmd;
  }

  /** Gives every subcommand --help and --version, as the root has. */
  private static void addHelpOptions(CommandLine parent, String[] version) {
    for (CommandLine sub : parent.getSubcommands().values()) {
      if (!(sub.getCommandSpec().userObject() instanceof CommandLine.HelpCommand)) {
        sub.getCommandSpec().version(version).mixinStandardHelpOptions(true);
        addHelpOptions(sub, version);
      }
    }
  }
}
