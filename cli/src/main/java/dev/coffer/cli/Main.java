package dev.coffer.cli;

import dev.coffer.cli.dynamodb.DynamoDbCommand;
import dev.coffer.cli.kms.KmsCommand;
import dev.coffer.cli.lifecycle.ReencryptCommand;
import dev.coffer.cli.lifecycle.RotateCommand;
import dev.coffer.cli.serve.ServeCommand;
import dev.coffer.cli.store.AuditCommand;
import dev.coffer.cli.store.ExportCommand;
import dev.coffer.cli.store.ImportCommand;
import dev.coffer.cli.store.InfoCommand;
import dev.coffer.cli.store.VerifyCommand;
import java.util.Objects;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * The {@code coffer} command. Exit codes: 0 success, 1 the operation failed (one line on stderr
 * says why), 2 bad usage (unknown command or option, bad or unreadable argument).
 *
 * <p>Commands reach the resolved global options and the key provider through {@link #context()}.
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
      "",
      "Exit codes: 0 success, 1 the operation failed, 2 bad usage."
    })
public final class Main {
  /** Exit code of success. */
  public static final int EXIT_OK = 0;

  /** Exit code of a failed operation. */
  public static final int EXIT_FAILED = 1;

  /** Exit code of bad usage. */
  public static final int EXIT_USAGE = 2;

  @Mixin GlobalOptions options = new GlobalOptions();

  private final CliEnvironment environment;
  private CliContext context;

  private Main(CliEnvironment environment) {
    this.environment = Objects.requireNonNull(environment, "environment");
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
    CommandLine cmd = new CommandLine(main);
    addHelpOptions(cmd, cmd.getCommandSpec().version());
    ErrorHandler errors = new ErrorHandler(() -> main.options.debug);
    cmd.setExecutionExceptionHandler(errors);
    cmd.setParameterExceptionHandler(errors);
    cmd.setExecutionStrategy(
        parseResult -> {
          try {
            return new CommandLine.RunLast().execute(parseResult);
          } finally {
            main.closeContext();
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

  /** The context of this run: options resolved, the key provider opened on first use. */
  public CliContext context() {
    if (context == null) {
      context = new CliContext(options, environment);
    }
    return context;
  }

  private void closeContext() {
    if (context != null) {
      context.close();
      context = null;
    }
  }
}
