package dev.coffer.cli.lifecycle;

import dev.coffer.ReencryptOptions;
import dev.coffer.ReencryptResult;
import dev.coffer.Table;
import java.io.PrintWriter;

/**
 * Runs a table's re-encryption job with a progress bar on stderr (unless turned off); on a store in
 * a record backend, the bar is preceded by a line saying why the job waits after its last page.
 */
final class ReencryptRunner {
  /** Said before the progress bar on a shared store, whose job waits before destroying. */
  static final String SHARED_WAIT =
      "The store is shared (--backend): after its last page, re-encryption waits the access"
          + " re-check interval (5 minutes by default) and a margin, until every instance uses the"
          + " new data key, before it destroys the retired versions.";

  private ReencryptRunner() {}

  /**
   * Runs the job.
   *
   * @param shared whether the store is in a record backend (with a progress bar: says why it waits)
   */
  static ReencryptResult run(
      Table table, long bytesPerSecond, boolean progress, boolean shared, PrintWriter err) {
    if (progress && shared) {
      err.println(SHARED_WAIT);
      err.flush();
    }
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
