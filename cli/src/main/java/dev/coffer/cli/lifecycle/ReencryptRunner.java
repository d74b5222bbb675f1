package dev.coffer.cli.lifecycle;

import dev.coffer.ReencryptOptions;
import dev.coffer.ReencryptResult;
import dev.coffer.Table;
import java.io.PrintWriter;

/** Runs a table's re-encryption job with a progress bar on stderr (unless turned off). */
final class ReencryptRunner {
  private ReencryptRunner() {}

  static ReencryptResult run(Table table, long bytesPerSecond, boolean progress, PrintWriter err) {
    ProgressBar bar = new ProgressBar(err);
    ReencryptOptions.Builder options = ReencryptOptions.builder().bytesPerSecond(bytesPerSecond);
    if (progress) {
      options.listener(bar);
    }
    try {
      return table.reencrypt(options.build());
    } finally {
      bar.finish();
    }
  }
}
