package dev.coffer.cli;

import java.util.Objects;
import picocli.CommandLine;
import picocli.CommandLine.IFactory;

/**
 * Creates the commands and mixins of one command line for picocli: the run's {@link RunContext} for
 * every {@code @Mixin RunContext} field, everything else through picocli's default factory.
 */
final class CommandFactory implements IFactory {
  private final RunContext run;
  private final IFactory fallback = CommandLine.defaultFactory();

  CommandFactory(RunContext run) {
    this.run = Objects.requireNonNull(run, "run");
  }

  @Override
  public <K> K create(Class<K> type) throws Exception {
    if (type == RunContext.class) {
      return type.cast(run);
    }
    return fallback.create(type);
  }
}
