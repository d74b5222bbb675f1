package dev.coffer.cli;

/**
 * The exit codes of {@code coffer}: 0 success, 1 the operation failed (one line on stderr says
 * why), 2 bad usage (unknown command or option, a missing, malformed or out-of-range argument, an
 * unreadable file). Constants only.
 */
public final class ExitCode {
  /** Success. */
  public static final int OK = 0;

  /** The operation failed: the key provider or the store refused or could not do it. */
  public static final int FAILED = 1;

  /** Bad usage: nothing was done. */
  public static final int USAGE = 2;

  private ExitCode() {}
}
