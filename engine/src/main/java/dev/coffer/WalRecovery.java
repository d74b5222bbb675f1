package dev.coffer;

/**
 * What {@link Coffer#open} does with RocksDB's write-ahead log, the file that holds every write not
 * yet flushed into RocksDB's tables ({@link CofferOptions.Builder#walRecovery}). Before RocksDB
 * opens the store, Coffer reads the log files and checks every record (docs/threat-model.md).
 */
public enum WalRecovery {
  /**
   * The default. A log whose last record is incomplete because a crash interrupted its write (the
   * write was never acknowledged) opens without that record, and a warning says what was dropped.
   * Damage anywhere else (a record that fails its checksum, a log cut short, a zeroed block) fails
   * the open with {@link CorruptionException} naming the file, the byte and the writes after it,
   * and changes nothing.
   */
  TORN_TAIL_ONLY,

  /**
   * For a store whose log is damaged and which no backup can replace: replays the log up to the
   * first damaged record, drops that record and every write after it (a warning says which), and
   * opens. The writes dropped are lost for good once the store has opened.
   */
  POINT_IN_TIME
}
