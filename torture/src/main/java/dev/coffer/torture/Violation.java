package dev.coffer.torture;

/**
 * Something the torture found that must never happen. Immutable.
 *
 * @param type what kind of violation
 * @param where the cycle, table and key (or the step) it concerns
 * @param detail what was expected and what was found
 */
public record Violation(Type type, String where, String detail) {
  /** The kinds of violations; every one of them counts as a loss or a failure in the report. */
  public enum Type {
    /** An acknowledged put is gone (the key is empty). */
    LOST,
    /** The key holds an older value than an acknowledged put that followed it (a lost update). */
    STALE,
    /** The key holds a value that an acknowledged delete removed. */
    RESURRECTED,
    /**
     * The key holds a value that no write of this key ever wrote, or an item outside the key space.
     */
    PHANTOM,
    /** The key holds an item whose value id is right but whose content differs. */
    WRONG,
    /** An all-or-nothing operation is visible on some of its keys and not on others. */
    HALF_APPLIED,
    /** Two read paths (GetItem, Query, Scan) disagree, or a second read differs from the first. */
    READ_MISMATCH,
    /** A table that must exist is missing, or one that must not exist is there. */
    TABLE,
    /** A data-key version or master key is not what the acknowledged steps make it. */
    KEY,
    /** A re-encryption job did not finish when the checker ran it, or left versions behind. */
    JOB,
    /** The store did not open, or a table could not be read. */
    REOPEN,
    /** The child reported an unexpected error, or died before it was killed. */
    CHILD
  }

  @Override
  public String toString() {
    return type + " at " + where + ": " + detail;
  }
}
