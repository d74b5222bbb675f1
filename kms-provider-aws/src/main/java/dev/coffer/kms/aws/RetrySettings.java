package dev.coffer.kms.aws;

import java.time.Duration;
import java.util.Objects;

/**
 * How {@link AwsKmsKeyProvider} retries calls that failed with a retryable error ({@code
 * ThrottlingException}, {@code KeyUnavailableException}, a network failure): exponential backoff
 * with full jitter, bounded both by a number of attempts and by a total time.
 *
 * <p>Before attempt {@code n + 1} (n = 1, 2, ...) the provider sleeps a random time, uniform in
 * {@code [0, min(maxDelay, baseDelay * 2^(n-1))]}. It gives up, and throws the last error, after
 * {@link #maxAttempts()} attempts or when the next sleep would end after {@link #maxTotalTime()}
 * from the first attempt. Immutable and thread-safe.
 */
public final class RetrySettings {
  private static final RetrySettings DEFAULTS = builder().build();
  private static final RetrySettings NONE = builder().maxAttempts(1).build();

  private final int maxAttempts;
  private final Duration baseDelay;
  private final Duration maxDelay;
  private final Duration maxTotalTime;

  private RetrySettings(Builder b) {
    this.maxAttempts = b.maxAttempts;
    this.baseDelay = b.baseDelay;
    this.maxDelay = b.maxDelay;
    this.maxTotalTime = b.maxTotalTime;
  }

  /** 5 attempts, 50 ms base delay, 2 s largest delay, 10 s in all. */
  public static RetrySettings defaults() {
    return DEFAULTS;
  }

  /** One attempt: every error is thrown at once. */
  public static RetrySettings none() {
    return NONE;
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    return new Builder()
        .maxAttempts(maxAttempts)
        .baseDelay(baseDelay)
        .maxDelay(maxDelay)
        .maxTotalTime(maxTotalTime);
  }

  /** The most attempts per call, the first one included (at least 1). */
  public int maxAttempts() {
    return maxAttempts;
  }

  /** The upper bound of the first backoff. */
  public Duration baseDelay() {
    return baseDelay;
  }

  /** The largest upper bound of any backoff. */
  public Duration maxDelay() {
    return maxDelay;
  }

  /** No retry starts later than this after the first attempt. */
  public Duration maxTotalTime() {
    return maxTotalTime;
  }

  @Override
  public String toString() {
    return "RetrySettings[maxAttempts="
        + maxAttempts
        + ", baseDelay="
        + baseDelay
        + ", maxDelay="
        + maxDelay
        + ", maxTotalTime="
        + maxTotalTime
        + "]";
  }

  /** Builds {@link RetrySettings}; every setter checks its argument at once. */
  public static final class Builder {
    private int maxAttempts = 5;
    private Duration baseDelay = Duration.ofMillis(50);
    private Duration maxDelay = Duration.ofSeconds(2);
    private Duration maxTotalTime = Duration.ofSeconds(10);

    private Builder() {}

    public Builder maxAttempts(int maxAttempts) {
      if (maxAttempts < 1) {
        throw new IllegalArgumentException("maxAttempts must be at least 1, was " + maxAttempts);
      }
      this.maxAttempts = maxAttempts;
      return this;
    }

    public Builder baseDelay(Duration baseDelay) {
      this.baseDelay = nonNegative(baseDelay, "baseDelay");
      return this;
    }

    public Builder maxDelay(Duration maxDelay) {
      this.maxDelay = nonNegative(maxDelay, "maxDelay");
      return this;
    }

    public Builder maxTotalTime(Duration maxTotalTime) {
      this.maxTotalTime = nonNegative(maxTotalTime, "maxTotalTime");
      return this;
    }

    public RetrySettings build() {
      return new RetrySettings(this);
    }

    private static Duration nonNegative(Duration d, String name) {
      Objects.requireNonNull(d, name);
      if (d.isNegative()) {
        throw new IllegalArgumentException(name + " must not be negative, was " + d);
      }
      return d;
    }
  }
}
