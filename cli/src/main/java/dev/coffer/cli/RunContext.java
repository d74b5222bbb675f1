package dev.coffer.cli;

import java.util.Objects;
import java.util.function.Supplier;
import picocli.CommandLine.Command;

/**
 * The {@link CliContext} of one run, given to every command by picocli: a command declares
 * {@code @Mixin RunContext run;} and calls {@link #get()}. The command line's factory ({@code
 * CommandFactory}) hands the same instance to every command of a command line, so the key provider
 * and the store are opened once per run, on first use, and closed when the command returns.
 * Commands never reach for the root command themselves. Not thread-safe (one command runs at a
 * time).
 *
 * <p>The empty {@code @Command} only makes the class acceptable to picocli as a mixin; it adds no
 * option and changes no attribute of the command that declares it.
 */
@Command
public final class RunContext {
  private final Supplier<CliContext> opener;
  private CliContext context;

  RunContext(Supplier<CliContext> opener) {
    this.opener = Objects.requireNonNull(opener, "opener");
  }

  /** The context of this run: options resolved, the key provider and store opened on first use. */
  public CliContext get() {
    if (context == null) {
      context = opener.get();
    }
    return context;
  }

  /** Closes the context, if it was opened; a later {@link #get()} opens a new one. */
  void close() {
    if (context != null) {
      try {
        context.close();
      } finally {
        context = null;
      }
    }
  }
}
