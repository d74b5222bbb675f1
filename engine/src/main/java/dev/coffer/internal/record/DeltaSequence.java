package dev.coffer.internal.record;

/**
 * <b>The one place that decides how a leaf's delta records are numbered</b> (store format 3). A
 * number is 64 bits: an epoch (the high 44) and a counter (the low {@value #COUNTER_BITS}). The
 * page of a leaf names the number its first delta record must have ({@code delta_seq_base}); after
 * it, each record's number is the previous one plus one (a counter that overflows carries into the
 * epoch, which stays below any later epoch: see below), or the first of a later epoch (counter 0).
 * The number is in the record's associated data, so a record presented under another number fails
 * its tag; the rule here catches a record removed from inside an epoch's run, records reordered,
 * and records from before a fold (numbers below the page's base).
 *
 * <p>Why epochs: a writer that appends to a leaf without having read it (the engine keeps what a
 * put needs in memory, and after an open or an eviction it does not know how many records a leaf
 * has) cannot know the next number. It starts a new epoch instead, taken from the backend's write
 * sequence ({@link RecordStore#writeSequence()}), which is larger than the epoch of every record
 * already stored: an epoch is the write sequence (plus an offset) when it was taken, and every
 * record numbered in it was appended by a later write, which advanced the sequence, so the sequence
 * is past the epoch plus the counter of every stored record (a carry included). What a new epoch
 * costs in detection: the records at the end of the previous epoch's run can be removed unseen, as
 * the newest records of a leaf always could (a rollback, docs/threat-model.md).
 *
 * <p>Store format 2 numbered records {@code delta_seq_base + i} by their place, from random 48-bit
 * bases (or 0); their epochs are below 2^29, and epochs taken from the write sequence start above
 * it, so format-2 runs continue into format-3 epochs. Stateless.
 */
public final class DeltaSequence {
  /** Bits of the counter within an epoch. */
  static final int COUNTER_BITS = 20;

  /** Epochs taken from the write sequence start here, above every format-2 number's epoch. */
  static final long EPOCH_OFFSET = 1L << 29;

  private DeltaSequence() {}

  static long epoch(long seq) {
    return seq >>> COUNTER_BITS;
  }

  static long counter(long seq) {
    return seq & ((1L << COUNTER_BITS) - 1);
  }

  /** Whether {@code seq} may follow a record whose successor would be {@code expected}. */
  static boolean follows(long expected, long seq) {
    return seq == expected
        || (Long.compareUnsigned(epoch(seq), epoch(expected)) > 0 && counter(seq) == 0);
  }

  /**
   * The first number of a new epoch, from the backend's write sequence {@code writeSequence} (which
   * must not be negative).
   */
  static long epochStart(long writeSequence) {
    return (EPOCH_OFFSET + writeSequence + 1) << COUNTER_BITS;
  }
}
