package dev.coffer.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.coffer.cli.output.ResponsePrinter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * A command in the AWS CLI's shape ({@code coffer kms ...}, {@code coffer dynamodb ...}, {@code
 * coffer rotate ...}): runs its operation with the run's {@link CliContext} and prints the response
 * as the AWS CLI would, in the chosen output format and after {@code --query}. The output options
 * are checked before the operation runs, so a bad {@code --query} changes nothing. Subclasses hold
 * the operation's options and build the response.
 */
public abstract class AwsCommand implements Callable<Integer>, AwsOperation {
  @Spec protected CommandSpec spec;

  @Mixin private RunContext run;

  @Override
  public String operationName() {
    return AwsOperation.fromCommandName(spec.name());
  }

  @Override
  public final Integer call() {
    CliContext context = run.get();
    ResponsePrinter printer = context.printer(spec.commandLine().getOut());
    printer.print(operationName(), run(context));
    return ExitCode.OK;
  }

  /** Performs the operation; returns the response, or null when the operation returns nothing. */
  protected abstract JsonNode run(CliContext context);
}
