package dev.coffer.cli;

import java.util.function.BooleanSupplier;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * Prints one line on stderr for every error and chooses the exit code: {@link ExitCode#USAGE} for
 * bad usage and unreadable parameters, {@link ExitCode#FAILED} for a failed operation. Stack
 * traces only with {@code --debug}.
 */
final class ErrorHandler implements IExecutionExceptionHandler, IParameterExceptionHandler {
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
    line.getErr().println(Errors.describe(ex, operation));
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
    line.getErr()
        .println(command + ": error: " + ex.getMessage() + " (see '" + command + " --help')");
    line.getErr().flush();
    return ExitCode.USAGE;
  }
}
