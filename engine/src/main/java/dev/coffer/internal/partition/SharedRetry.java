package dev.coffer.internal.partition;

import dev.coffer.StorageException;
import dev.coffer.internal.catalog.TableContext;
import dev.coffer.internal.record.RecordConflictException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

/**
 * The optimistic-concurrency loop of a shared backend ({@code docs/scale-out.md}): runs an attempt
 * that reads a partition's root, decides, and swaps the root on the version it read; when another
 * instance swapped it first ({@link RecordConflictException}, after which the attempt has left
 * nothing behind) waits a random, growing time and runs the attempt again, from its first read.
 * Gives up after {@value #ATTEMPTS} lost races with {@link StorageException}. Stateless.
 */
public final class SharedRetry {
  /** How often a change is tried before the writer gives up (others kept winning the swap). */
  public static final int ATTEMPTS = 64;

  private SharedRetry() {}

  /** Runs {@code attempt} until it does not lose a race; its result. */
  public static <T> T run(TableContext t, Supplier<T> attempt) {
    for (int n = 1; ; n++) {
      try {
        return attempt.get();
      } catch (RecordConflictException e) {
        backOff(t, n, e);
      }
    }
  }

  /** Waits a random time that grows with the attempts (at most ~50 ms), or gives up. */
  static void backOff(TableContext t, int attempt, RecordConflictException e) {
    if (attempt >= ATTEMPTS) {
      throw new StorageException(
          "A write to table "
              + t.name()
              + " lost to other writers of the same partition "
              + ATTEMPTS
              + " times in a row; try again",
          e);
    }
    long bound = Math.min(50, 1L << Math.min(attempt, 6));
    try {
      Thread.sleep(ThreadLocalRandom.current().nextLong(bound + 1));
    } catch (InterruptedException ie) {
      Thread.currentThread().interrupt();
      throw new StorageException("Interrupted while retrying a write to table " + t.name(), ie);
    }
  }
}
