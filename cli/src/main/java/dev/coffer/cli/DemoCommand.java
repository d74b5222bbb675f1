package dev.coffer.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code coffer demo}: Coffer's main job, end to end, in a temporary directory. */
@Command(
    name = "demo",
    description = "Run the end-to-end demo in a temporary directory.",
    footer = {"", "Example:", "  coffer demo"})
final class DemoCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    new KeyProviderDemo(out).run();
    out.flush();
    return 0;
  }
}
