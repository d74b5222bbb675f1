package dev.coffer.cli.lifecycle;

import dev.coffer.ReencryptionListener;
import dev.coffer.ReencryptionProgress;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;

/**
 * A one-line progress bar of a re-encryption job on stderr, redrawn in place ({@code \r}): {@code
 * [##########..........] 50% 1200/2400 pages 3.1 MiB/s ETA 0:00:12}. {@link #finish()} ends the
 * line. Not thread-safe (the job calls it from one thread).
 */
final class ProgressBar implements ReencryptionListener {
  private static final int WIDTH = 30;

  private final PrintWriter err;
  private boolean drawn;

  ProgressBar(PrintWriter err) {
    this.err = err;
  }

  @Override
  public void onProgress(ReencryptionProgress p) {
    err.print("\r" + render(p));
    err.flush();
    drawn = true;
  }

  /** Ends the bar's line, when one was drawn. */
  void finish() {
    if (drawn) {
      err.println();
      err.flush();
    }
  }

  /** The bar's text for {@code p}. */
  static String render(ReencryptionProgress p) {
    double f = p.fraction();
    int filled = (int) Math.round(f * WIDTH);
    return "["
        + "#".repeat(filled)
        + ".".repeat(WIDTH - filled)
        + "] "
        + String.format(
            Locale.ROOT,
            "%3d%%  %d/%d pages  %s  ETA %s",
            (int) Math.floor(f * 100),
            p.pagesDone(),
            p.pagesTotal(),
            rate(p.bytesPerSecond()),
            eta(p.eta()));
  }

  private static String rate(double bytesPerSecond) {
    if (bytesPerSecond >= 1 << 20) {
      return String.format(Locale.ROOT, "%.1f MiB/s", bytesPerSecond / (1 << 20));
    }
    return String.format(Locale.ROOT, "%.1f KiB/s", bytesPerSecond / 1024);
  }

  private static String eta(Duration d) {
    long s = d.toSeconds();
    return String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, (s / 60) % 60, s % 60);
  }
}
