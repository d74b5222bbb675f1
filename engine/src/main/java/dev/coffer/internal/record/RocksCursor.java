package dev.coffer.internal.record;

import java.nio.file.Path;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;

/**
 * A {@link RecordCursor} over a RocksDB iterator whose status is checked whenever it stops being
 * valid, so that an I/O error or a failed checksum never looks like the end of the data. Not
 * thread-safe.
 */
final class RocksCursor implements RecordCursor {
  private final Path dir;
  private final RocksFamily family;
  private final RocksIterator it;
  private final ReadOptions ownOptions;
  private byte[] lastKey;

  /** A cursor over {@code it}; {@code ownOptions} (or null) are closed with it. */
  RocksCursor(Path dir, RocksFamily family, RocksIterator it, ReadOptions ownOptions) {
    this.dir = dir;
    this.family = family;
    this.it = it;
    this.ownOptions = ownOptions;
  }

  @Override
  public void seekToFirst() {
    lastKey = null;
    it.seekToFirst();
    check("at the first record");
  }

  @Override
  public void seek(byte[] key) {
    lastKey = null;
    it.seek(key);
    check("at " + family.describe(key));
  }

  @Override
  public boolean valid() {
    return it.isValid();
  }

  @Override
  public void next() {
    it.next();
    check("after " + family.describe(lastKey));
  }

  @Override
  public byte[] key() {
    lastKey = it.key();
    return lastKey;
  }

  @Override
  public byte[] value() {
    return it.value();
  }

  private void check(String where) {
    if (!it.isValid()) {
      try {
        it.status();
      } catch (RocksDBException e) {
        throw family.readFailure(dir, where, e);
      }
    }
  }

  @Override
  public void close() {
    it.close();
    if (ownOptions != null) {
      ownOptions.close();
    }
  }
}
