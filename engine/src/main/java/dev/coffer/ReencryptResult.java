package dev.coffer;

import java.time.Duration;
import java.util.List;

/**
 * What one run of {@link Table#reencrypt(ReencryptOptions)} did. Immutable and thread-safe.
 *
 * @param targetVersion the data-key version every record now uses (when {@code finished})
 * @param pagesVisited records (pages and delta records) this run looked at
 * @param pagesResealed records this run re-sealed under the target version
 * @param bytesResealed bytes of sealed records this run re-sealed
 * @param duration how long this run took
 * @param destroyedVersions the data-key versions destroyed at the end (empty when unfinished)
 * @param finished false when the run stopped early (the store closed); the next run resumes
 * @param resumed whether this run continued a job a crash, close or failure had interrupted
 */
public record ReencryptResult(
    int targetVersion,
    long pagesVisited,
    long pagesResealed,
    long bytesResealed,
    Duration duration,
    List<Integer> destroyedVersions,
    boolean finished,
    boolean resumed) {

  public ReencryptResult {
    destroyedVersions = List.copyOf(destroyedVersions);
  }
}
