package dev.coffer.cli.store;

import com.fasterxml.jackson.databind.JsonNode;
import dev.coffer.cli.AwsOperation;
import dev.coffer.cli.CliContext;
import dev.coffer.cli.ExitCode;
import dev.coffer.cli.RunContext;
import dev.coffer.cli.output.ResponsePrinter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * One of Coffer's own commands ({@code verify}, {@code info}, ...): runs against the context of the
 * run and prints its response with {@code --output} and {@code --query}, as the AWS-shaped commands
 * do (both are checked before the command runs). Subclasses may choose another exit code through
 * {@link #exitCode()}.
 */
abstract class StoreCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin private RunContext run;

  @Override
  public final Integer call() {
    CliContext context = run.get();
    ResponsePrinter printer = context.printer(spec.commandLine().getOut());
    JsonNode response = run(context);
    printer.print(title(), response);
    return exitCode();
  }

  /** Performs the command; returns the response, or null to print nothing. */
  abstract JsonNode run(CliContext context);

  /** The exit code after the response was printed; {@link ExitCode#OK} unless overridden. */
  int exitCode() {
    return ExitCode.OK;
  }

  /** The title of {@code --output table}: the command name in CamelCase. */
  String title() {
    return AwsOperation.fromCommandName(spec.name());
  }
}
