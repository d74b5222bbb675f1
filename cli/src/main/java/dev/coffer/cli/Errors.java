package dev.coffer.cli;

import dev.coffer.CofferException;
import dev.coffer.CorruptionException;
import dev.coffer.kms.KeyProviderException;

/** Turns an exception into the one line the command line prints, in the AWS CLI's words. */
final class Errors {
  /**
   * How the engine's refusal of a damaged write-ahead log names point-in-time recovery (its Java
   * API).
   */
  private static final String API_RECOVERY =
      "open it with CofferOptions.walRecovery(WalRecovery.POINT_IN_TIME)";

  /** The same remedy on the command line. */
  private static final String CLI_RECOVERY =
      "run the command again with --wal-recovery point-in-time";

  private Errors() {}

  /**
   * Whether {@code c} is the open's refusal of a damaged write-ahead log (located in the log, not a
   * table).
   */
  private static boolean isWalRefusal(CorruptionException c) {
    return c.tableName() == null
        && c.location() != null
        && c.location().startsWith("write-ahead log ");
  }

  /**
   * The line for an error of {@code operation} (e.g. {@code Decrypt}), or of no known operation
   * when null.
   */
  static String describe(Throwable e, String operation) {
    if (e instanceof CliInputException) {
      return e.getMessage();
    }
    String code;
    if (e instanceof KeyProviderException k) {
      code = k.errorCode();
    } else if (e instanceof CofferException c) {
      code = c.errorCode();
    } else {
      code = e.getClass().getSimpleName();
    }
    String where = operation == null ? "" : " when calling the " + operation + " operation";
    String m = e.getMessage();
    if (e instanceof CorruptionException c && isWalRefusal(c) && m != null) {
      m =
          m.contains(API_RECOVERY)
              ? m.replace(API_RECOVERY, CLI_RECOVERY)
              : m
                  + ". To open it anyway, "
                  + CLI_RECOVERY
                  + " to keep the writes before the damage and drop the rest";
    }
    return "An error occurred (" + code + ")" + where + ": " + (m == null ? "" : m);
  }
}
