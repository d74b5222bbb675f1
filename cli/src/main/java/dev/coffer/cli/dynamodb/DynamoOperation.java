package dev.coffer.cli.dynamodb;

import com.fasterxml.jackson.databind.JsonNode;
import dev.coffer.Coffer;
import dev.coffer.cli.AwsOperation;
import dev.coffer.cli.CliContext;
import dev.coffer.cli.Main;
import dev.coffer.cli.output.ResponsePrinter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * One {@code coffer dynamodb} command: parses its parameters, runs its operation against the store
 * of the run and prints the response in the AWS shape. Parameters are parsed before the store is
 * opened, so a malformed one changes nothing.
 */
abstract class DynamoOperation implements Callable<Integer>, AwsOperation {
  @Spec CommandSpec spec;

  @Override
  public String operationName() {
    return AwsOperation.fromCommandName(spec.name());
  }

  @Override
  public final Integer call() {
    CliContext context = ((Main) spec.root().userObject()).context();
    ResponsePrinter printer = context.printer(spec.commandLine().getOut());
    printer.print(operationName(), run(context));
    return Main.EXIT_OK;
  }

  /** Performs the operation; returns the response, or null when it returns nothing. */
  abstract JsonNode run(CliContext context);

  /** The store, opened (not created) on first use. */
  static Coffer store(CliContext context) {
    return context.coffer(false);
  }
}
