package dev.coffer.kms.aws;

import dev.coffer.kms.KeyProviderException;
import dev.coffer.kms.KeyProviderUnavailableException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Runs a call again while it fails with a {@linkplain KeyProviderException#retryable() retryable}
 * error, as {@link RetrySettings} describe (exponential backoff, full jitter, bounded attempts and
 * total time). Thread-safe.
 */
final class Retrier {
  /** Sleeps; replaced in tests. */
  @FunctionalInterface
  interface Sleeper {
    void sleep(long nanos) throws InterruptedException;
  }

  /** What one call did: its result and how many attempts it took. */
  record Outcome<T>(T value, int attempts) {}

  /** A failure after {@code attempts} attempts. */
  static final class Failure extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final transient KeyProviderException error;
    final int attempts;

    Failure(KeyProviderException error, int attempts) {
      super(error.getMessage(), error, false, false);
      this.error = error;
      this.attempts = attempts;
    }
  }

  private final RetrySettings settings;
  private final Sleeper sleeper;
  private final LongSupplier nanoTime;

  Retrier(RetrySettings settings) {
    this(settings, (nanos) -> TimeUnit.NANOSECONDS.sleep(nanos), System::nanoTime);
  }

  Retrier(RetrySettings settings, Sleeper sleeper, LongSupplier nanoTime) {
    this.settings = settings;
    this.sleeper = sleeper;
    this.nanoTime = nanoTime;
  }

  RetrySettings settings() {
    return settings;
  }

  /**
   * Runs {@code attempt} until it succeeds, fails with an error that is not retryable, or the
   * bounds are reached.
   *
   * @throws Failure wrapping the last error and the number of attempts made
   */
  <T> Outcome<T> run(Supplier<T> attempt) {
    long start = nanoTime.getAsLong();
    long budget = settings.maxTotalTime().toNanos();
    for (int n = 1; ; n++) {
      KeyProviderException error;
      try {
        return new Outcome<>(attempt.get(), n);
      } catch (KeyProviderException e) {
        error = e;
      }
      if (!error.retryable() || n >= settings.maxAttempts()) {
        throw new Failure(error, n);
      }
      long delay = backoffNanos(n);
      if (nanoTime.getAsLong() - start + delay > budget) {
        throw new Failure(error, n);
      }
      try {
        sleeper.sleep(delay);
      } catch (InterruptedException ie) {
        Thread.currentThread().interrupt();
        throw new Failure(
            new KeyProviderUnavailableException(
                "Interrupted while waiting to retry after: " + error.getMessage(),
                error.keyId(),
                error.action(),
                error),
            n);
      }
    }
  }

  /** Full jitter: uniform in [0, min(maxDelay, baseDelay * 2^(n-1))]. */
  long backoffNanos(int failedAttempts) {
    long cap = settings.maxDelay().toNanos();
    long base = settings.baseDelay().toNanos();
    int shift = Math.min(failedAttempts - 1, 30);
    long bound = base > (cap >> shift) ? cap : Math.min(cap, base << shift);
    return bound <= 0 ? 0 : ThreadLocalRandom.current().nextLong(bound + 1);
  }
}
