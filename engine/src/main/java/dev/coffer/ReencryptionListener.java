package dev.coffer;

/**
 * Observes a re-encryption job ({@link Table#reencrypt(ReencryptOptions)}): called on the job's
 * thread after each partition, with the progress so far. Must be quick and must not call back into
 * the table's re-encryption; an exception it throws is ignored (logged).
 */
@FunctionalInterface
public interface ReencryptionListener {
  /** Progress after one more partition. */
  void onProgress(ReencryptionProgress progress);

  /** A listener that does nothing. */
  static ReencryptionListener none() {
    return p -> {};
  }
}
