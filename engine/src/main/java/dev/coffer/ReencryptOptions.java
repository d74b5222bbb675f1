package dev.coffer;

import java.util.Objects;

/**
 * How {@link Table#reencrypt(ReencryptOptions)} runs: throttle, how often its cursor is persisted,
 * and a progress listener.
 *
 * <pre>{@code
 * table.reencrypt(ReencryptOptions.builder().bytesPerSecond(32 << 20).listener(p -> log(p)).build());
 * }</pre>
 *
 * <p>Immutable and thread-safe. The builder checks each setter at once ({@link
 * IllegalArgumentException} naming the setting).
 */
public final class ReencryptOptions {
  /**
   * The default: persist the cursor every 4096 records (each persist is a synced catalog write;
   * after a crash at most this many records are re-sealed again).
   */
  public static final int DEFAULT_PERSIST_EVERY_PAGES = 4096;

  private final long bytesPerSecond;
  private final int persistEveryPages;
  private final ReencryptionListener listener;

  private ReencryptOptions(Builder b) {
    this.bytesPerSecond = b.bytesPerSecond;
    this.persistEveryPages = b.persistEveryPages;
    this.listener = b.listener;
  }

  /** Unthrottled, cursor every 256 records, no listener. */
  public static ReencryptOptions defaults() {
    return builder().build();
  }

  /** A builder with the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** The most bytes of sealed records re-sealed per second; 0 = no limit. */
  public long bytesPerSecond() {
    return bytesPerSecond;
  }

  /** The job persists its cursor in the catalog after this many records. */
  public int persistEveryPages() {
    return persistEveryPages;
  }

  /** The progress listener. */
  public ReencryptionListener listener() {
    return listener;
  }

  @Override
  public String toString() {
    return "ReencryptOptions[bytesPerSecond="
        + bytesPerSecond
        + ", persistEveryPages="
        + persistEveryPages
        + "]";
  }

  /** Builds {@link ReencryptOptions}. Not thread-safe. */
  public static final class Builder {
    private long bytesPerSecond;
    private int persistEveryPages = DEFAULT_PERSIST_EVERY_PAGES;
    private ReencryptionListener listener = ReencryptionListener.none();

    private Builder() {}

    /** Throttle: at most this many bytes re-sealed per second, 0 (no limit) or more. */
    public Builder bytesPerSecond(long bytes) {
      if (bytes < 0) {
        throw new IllegalArgumentException(
            "bytesPerSecond must be 0 (no limit) or more, was " + bytes);
      }
      this.bytesPerSecond = bytes;
      return this;
    }

    /** Persist the cursor after this many records, 1 or more. */
    public Builder persistEveryPages(int pages) {
      if (pages < 1) {
        throw new IllegalArgumentException("persistEveryPages must be 1 or more, was " + pages);
      }
      this.persistEveryPages = pages;
      return this;
    }

    /** The progress listener. */
    public Builder listener(ReencryptionListener listener) {
      this.listener = Objects.requireNonNull(listener, "listener must not be null");
      return this;
    }

    /** The options. */
    public ReencryptOptions build() {
      return new ReencryptOptions(this);
    }
  }
}
