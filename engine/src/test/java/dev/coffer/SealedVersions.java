package dev.coffer;

import dev.coffer.proto.SealedPage;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.rocksdb.ColumnFamilyHandle;

/** Reads a closed store's raw records and counts them per SealedPage key_version. */
final class SealedVersions {
  private SealedVersions() {}

  /** Records (pages and delta records) of table {@code tableIdHex} per data-key version. */
  static Map<Integer, Integer> of(Path dir, String tableIdHex) throws Exception {
    Map<Integer, Integer> counts = new TreeMap<>();
    try (RawStore raw = new RawStore(dir)) {
      ColumnFamilyHandle cf = raw.family(tableIdHex);
      for (byte[] value : raw.entries(cf).values()) {
        for (byte[] record : RawStore.split(value)) {
          counts.merge(SealedPage.parseFrom(record).getKeyVersion(), 1, Integer::sum);
        }
      }
    }
    return counts;
  }
}
