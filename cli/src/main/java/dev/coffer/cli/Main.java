package dev.coffer.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The {@code coffer} command. Exit codes: 0 success, 1 the operation failed (one line on stderr
 * says why), 2 bad usage (unknown command or option, bad argument).
 */
@Command(
    name = "coffer",
    mixinStandardHelpOptions = true,
    version = "coffer 0.1.0",
    description = "An embedded, encrypted-at-rest, DynamoDB-style key-value store.",
    subcommands = {DemoCommand.class, CommandLine.HelpCommand.class},
    footer = {"", "Exit codes: 0 success, 1 the operation failed, 2 bad usage."})
public final class Main {
  /** Exit code of a failed operation. */
  public static final int EXIT_FAILED = 1;
  /** Exit code of bad usage. */
  public static final int EXIT_USAGE = 2;

  @Option(names = "--debug", scope = CommandLine.ScopeType.INHERIT, description = "Print stack traces of errors.")
  boolean debug;

  public static void main(String[] args) {
    System.exit(newCommandLine().execute(args));
  }

  /** A command line with Coffer's error handling: one line on stderr, stack traces only with --debug. */
  public static CommandLine newCommandLine() {
    CommandLine cmd = new CommandLine(new Main());
    cmd.setExecutionExceptionHandler(
        (ex, line, parseResult) -> {
          Main root = line.getCommandSpec().root().userObject() instanceof Main m ? m : null;
          if (root != null && root.debug) {
            ex.printStackTrace(line.getErr());
          }
          line.getErr().println(Errors.describe(ex));
          return EXIT_FAILED;
        });
    return cmd;
  }
}
