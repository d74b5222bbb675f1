package dev.coffer;

import java.time.Duration;
import java.time.Instant;

/**
 * Where a re-encryption job stands: records (pages and delta records) visited out of the table's
 * total (an estimate counted when the run started), bytes re-sealed, rate and estimated time left.
 * Immutable and thread-safe.
 *
 * @param targetVersion the data-key version records are re-sealed under
 * @param pagesDone records visited so far (including earlier runs of the same job)
 * @param pagesTotal records in the table when this run started
 * @param bytesDone bytes of sealed records re-sealed so far (including earlier runs)
 * @param bytesPerSecond the rate of this run so far
 * @param eta the estimated time left, or {@link Duration#ZERO} when unknown or done
 * @param started when the job started (its first run)
 */
public record ReencryptionProgress(
    int targetVersion,
    long pagesDone,
    long pagesTotal,
    long bytesDone,
    double bytesPerSecond,
    Duration eta,
    Instant started) {

  /** Done fraction in [0, 1]. */
  public double fraction() {
    return pagesTotal <= 0 ? 1.0 : Math.min(1.0, (double) pagesDone / pagesTotal);
  }
}
