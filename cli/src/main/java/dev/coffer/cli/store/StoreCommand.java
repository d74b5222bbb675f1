package dev.coffer.cli.store;

import com.fasterxml.jackson.databind.JsonNode;
import dev.coffer.cli.CliContext;
import dev.coffer.cli.Main;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * One of Coffer's own commands ({@code verify}, {@code info}, ...): runs against the context of the
 * run and prints its response with {@code --output} and {@code --query}, as the AWS-shaped commands
 * do. Subclasses may choose another exit code through {@link #exitCode()}.
 */
abstract class StoreCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Override
  public final Integer call() {
    CliContext context = ((Main) spec.root().userObject()).context();
    JsonNode response = run(context);
    context.printer(spec.commandLine().getOut()).print(title(), response);
    return exitCode();
  }

  /** Performs the command; returns the response, or null to print nothing. */
  abstract JsonNode run(CliContext context);

  /** The exit code after the response was printed; {@link Main#EXIT_OK} unless overridden. */
  int exitCode() {
    return Main.EXIT_OK;
  }

  /** The title of {@code --output table}: the command name in CamelCase. */
  String title() {
    return dev.coffer.cli.AwsOperation.fromCommandName(spec.name());
  }
}
