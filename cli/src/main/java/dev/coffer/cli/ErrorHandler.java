package dev.coffer.cli;

import dev.coffer.cli.input.Excerpt;
import java.util.Collections;
import java.util.function.BooleanSupplier;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * Prints one line on stderr for every error and chooses the exit code: {@link ExitCode#USAGE} for
 * bad usage and unreadable parameters, {@link ExitCode#FAILED} for a failed operation. Stack traces
 * only with {@code --debug}. The line is always one printable line of at most {@value
 * #MAX_LINE_CHARS} characters: a value picocli quotes is cut as {@link Excerpt} cuts it, and what a
 * message quotes from elsewhere (a library, the store) is escaped and cut at that length.
 */
final class ErrorHandler implements IExecutionExceptionHandler, IParameterExceptionHandler {
  /** The longest error line printed. */
  static final int MAX_LINE_CHARS = 1000;

  private final BooleanSupplier debug;

  ErrorHandler(BooleanSupplier debug) {
    this.debug = debug;
  }

  @Override
  public int handleExecutionException(Exception ex, CommandLine line, ParseResult parseResult) {
    if (debug.getAsBoolean()) {
      ex.printStackTrace(line.getErr());
    }
    String operation =
        line.getCommandSpec().userObject() instanceof AwsOperation op ? op.operationName() : null;
    line.getErr().println(Excerpt.line(Errors.describe(ex, operation), MAX_LINE_CHARS));
    line.getErr().flush();
    return ex instanceof CliInputException ? ExitCode.USAGE : ExitCode.FAILED;
  }

  @Override
  public int handleParseException(ParameterException ex, String[] args) {
    CommandLine line = ex.getCommandLine();
    if (debug.getAsBoolean()) {
      ex.printStackTrace(line.getErr());
    }
    String command = line.getCommandSpec().qualifiedName();
    String message = String.valueOf(ex.getMessage());
    for (String quoted : quotedValues(ex)) {
      if (quoted != null && !quoted.isEmpty() && !Excerpt.of(quoted).equals(quoted)) {
        message = message.replace(quoted, Excerpt.of(quoted));
      }
    }
    line.getErr()
        .println(
            Excerpt.line(
                command + ": error: " + message + " (see '" + command + " --help')",
                MAX_LINE_CHARS));
    line.getErr().flush();
    return ExitCode.USAGE;
  }

  /** The values picocli's message may quote: the bad value, or the arguments it did not know. */
  private static Iterable<String> quotedValues(ParameterException ex) {
    if (ex instanceof UnmatchedArgumentException u) {
      return u.getUnmatched();
    }
    return Collections.singletonList(ex.getValue());
  }
}
