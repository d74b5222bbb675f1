package dev.coffer.torture;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * The settings of a torture run. Immutable; built with {@link #builder()} or parsed from the
 * command line by {@link #parse(String[])}.
 */
public final class TortureOptions {
  private final int cycles;
  private final long seed;
  private final Duration duration;
  private final int minCycles;
  private final Path dir;
  private final int finishJobsPercent;
  private final boolean progress;
  private final boolean defaultDir;

  private TortureOptions(Builder b, Path dir, boolean defaultDir) {
    this.cycles = b.cycles;
    this.seed = b.seed;
    this.duration = b.duration;
    this.minCycles = b.minCycles;
    this.dir = dir;
    this.finishJobsPercent = b.finishJobsPercent;
    this.progress = b.progress;
    this.defaultDir = defaultDir;
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    return new Builder()
        .cycles(cycles)
        .seed(seed)
        .duration(duration)
        .minCycles(minCycles)
        .dir(dir)
        .finishJobsPercent(finishJobsPercent)
        .progress(progress);
  }

  /** The number of kill cycles to run. */
  public int cycles() {
    return cycles;
  }

  /** The seed of every random choice of the parent (kill times, child seeds, checks). */
  public long seed() {
    return seed;
  }

  /** No new cycle starts after this much time, once {@link #minCycles()} ran; zero: no limit. */
  public Duration duration() {
    return duration;
  }

  /** Cycles that run whatever {@link #duration()} says. */
  public int minCycles() {
    return minCycles;
  }

  /** The work directory: the store, the keystore and the children's standard error go there. */
  public Path dir() {
    return dir;
  }

  /**
   * Whether {@link #dir()} is the default one ({@code target/torture-<seed>-<time>}), which the
   * command deletes after a clean run; a directory given by the caller is always kept.
   */
  public boolean defaultDir() {
    return defaultDir;
  }

  /**
   * In this percentage of cycles the checker runs every unfinished re-encryption job to its end; in
   * the others it leaves them to the next child (which resumes them in the background at open).
   */
  public int finishJobsPercent() {
    return finishJobsPercent;
  }

  /** Whether to print one line per cycle on standard output. */
  public boolean progress() {
    return progress;
  }

  @Override
  public String toString() {
    return "TortureOptions[cycles="
        + cycles
        + ", seed="
        + seed
        + ", duration="
        + duration
        + ", minCycles="
        + minCycles
        + ", dir="
        + dir
        + ", finishJobsPercent="
        + finishJobsPercent
        + "]";
  }

  /** The command-line usage. */
  public static String usage() {
    return String.join(
        "\n",
        "usage: torture/run.sh [--cycles N] [--seed S] [--duration 30m|90s|2h|0] [--min-cycles N]",
        "                      [--dir PATH] [--finish-jobs PERCENT] [--quiet]",
        "  --cycles N          kill cycles to run (default 50)",
        "  --seed S            seed of every random choice (default: random, printed in the report)",
        "  --duration D        start no cycle after D, once --min-cycles ran (default 0: no limit)",
        "  --min-cycles N      cycles that run whatever --duration says (default 1)",
        "  --dir PATH          work directory, must be absent or empty, kept (default: target/torture-<seed>-<time>,",
        "                      deleted after a clean run)",
        "  --finish-jobs P     percent of cycles in which the checker finishes re-encryption jobs (default 70)",
        "  --quiet             no line per cycle");
  }

  /**
   * Parses the command line.
   *
   * @throws IllegalArgumentException for an unknown option or a bad value (the message says which)
   */
  public static TortureOptions parse(String[] args) {
    Builder b = builder();
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (a.equals("--quiet")) {
        b.progress(false);
        continue;
      }
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException("option " + a + " needs a value");
      }
      String v = args[++i];
      try {
        switch (a) {
          case "--cycles" -> b.cycles(Integer.parseInt(v));
          case "--seed" -> b.seed(Long.parseLong(v));
          case "--duration" -> b.duration(parseDuration(v));
          case "--min-cycles" -> b.minCycles(Integer.parseInt(v));
          case "--dir" -> b.dir(Path.of(v));
          case "--finish-jobs" -> b.finishJobsPercent(Integer.parseInt(v));
          default -> throw new IllegalArgumentException("unknown option " + a);
        }
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("option " + a + " needs a number, not '" + v + "'");
      }
    }
    return b.build();
  }

  /** {@code 90s}, {@code 30m}, {@code 2h}, or {@code 0}. */
  static Duration parseDuration(String v) {
    if (v.equals("0")) {
      return Duration.ZERO;
    }
    if (!v.matches("[0-9]+[smh]")) {
      throw new IllegalArgumentException(
          "a duration is a number followed by s, m or h (e.g. 30m), not '" + v + "'");
    }
    long n = Long.parseLong(v.substring(0, v.length() - 1));
    return switch (v.charAt(v.length() - 1)) {
      case 's' -> Duration.ofSeconds(n);
      case 'm' -> Duration.ofMinutes(n);
      default -> Duration.ofHours(n);
    };
  }

  /** Builds {@link TortureOptions}; setters validate at once. Not thread-safe. */
  public static final class Builder {
    private int cycles = 50;
    private long seed = System.nanoTime();
    private Duration duration = Duration.ZERO;
    private int minCycles = 1;
    private Path dir;
    private int finishJobsPercent = 70;
    private boolean progress = true;

    private Builder() {}

    public Builder cycles(int cycles) {
      if (cycles < 1) {
        throw new IllegalArgumentException("cycles must be at least 1, was " + cycles);
      }
      this.cycles = cycles;
      return this;
    }

    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    public Builder duration(Duration duration) {
      Objects.requireNonNull(duration, "duration");
      if (duration.isNegative()) {
        throw new IllegalArgumentException("duration must not be negative, was " + duration);
      }
      this.duration = duration;
      return this;
    }

    public Builder minCycles(int minCycles) {
      if (minCycles < 0) {
        throw new IllegalArgumentException("min cycles must not be negative, was " + minCycles);
      }
      this.minCycles = minCycles;
      return this;
    }

    public Builder dir(Path dir) {
      this.dir = dir;
      return this;
    }

    public Builder finishJobsPercent(int percent) {
      if (percent < 0 || percent > 100) {
        throw new IllegalArgumentException("finish-jobs must be 0 to 100, was " + percent);
      }
      this.finishJobsPercent = percent;
      return this;
    }

    public Builder progress(boolean progress) {
      this.progress = progress;
      return this;
    }

    public TortureOptions build() {
      return dir != null
          ? new TortureOptions(this, dir, false)
          : new TortureOptions(
              this, Path.of("target", "torture-" + seed + "-" + System.currentTimeMillis()), true);
    }
  }
}
