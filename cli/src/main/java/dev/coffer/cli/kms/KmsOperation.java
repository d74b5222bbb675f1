package dev.coffer.cli.kms;

import com.fasterxml.jackson.databind.JsonNode;
import dev.coffer.cli.AwsOperation;
import dev.coffer.cli.CliContext;
import dev.coffer.cli.Main;
import dev.coffer.cli.output.ResponsePrinter;
import dev.coffer.kms.KeyManagement;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * One {@code coffer kms} command: runs its operation against the key provider of the run and prints
 * the response in the AWS shape. Subclasses hold the operation's options and build the response;
 * they throw {@link dev.coffer.kms.KeyProviderException}s as the provider raised them.
 */
abstract class KmsOperation implements Callable<Integer>, AwsOperation {
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

  /** Performs the operation; returns the response, or null when the operation returns nothing. */
  abstract JsonNode run(CliContext context);

  /** The provider as {@link KeyManagement}; fails clearly when it does not manage keys. */
  final KeyManagement keys(CliContext context) {
    return context.keyManagement(operationName());
  }
}
