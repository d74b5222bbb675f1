package dev.coffer.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code coffer completion}: prints a bash (and zsh) completion script for every command and
 * option.
 */
@Command(
    name = "completion",
    description = "Print a bash/zsh completion script for coffer.",
    footer = {
      "",
      "Examples:",
      "  source <(coffer completion)                       # this shell",
      "  coffer completion > /etc/bash_completion.d/coffer  # every new shell"
    })
final class CompletionCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    out.print(AutoComplete.bash(spec.root().name(), spec.root().commandLine()));
    out.flush();
    return ExitCode.OK;
  }
}
