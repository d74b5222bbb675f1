package dev.coffer.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * A command in the AWS CLI's shape ({@code coffer kms ...}, {@code coffer dynamodb ...}): runs its
 * operation with the run's {@link CliContext} and prints the response as the AWS CLI would, in the
 * chosen output format and after {@code --query}. Subclasses hold the operation's options and
 * build the response.
 */
public abstract class AwsCommand implements Callable<Integer>, AwsOperation {
  @Spec protected CommandSpec spec;

  @Override
  public String operationName() {
    return AwsOperation.fromCommandName(spec.name());
  }

  @Override
  public final Integer call() {
    CliContext context = ((Main) spec.root().userObject()).context();
    context.printer(spec.commandLine().getOut()).print(operationName(), run(context));
    return Main.EXIT_OK;
  }

  /** Performs the operation; returns the response, or null when the operation returns nothing. */
  protected abstract JsonNode run(CliContext context);
}
