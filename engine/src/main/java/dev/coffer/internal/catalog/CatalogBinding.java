package dev.coffer.internal.catalog;

import com.google.protobuf.ByteString;
import dev.coffer.CorruptionException;
import dev.coffer.internal.record.CatalogRecords;
import dev.coffer.internal.record.RecordBatch;
import dev.coffer.proto.StoreState;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Binds the catalog to the store's sealed state ({@link SealedState}): the state records the
 * SHA-256 of every catalog entry's sealed bytes as stored ({@code StoreState.catalog_entry_sha256},
 * by table id), and every catalog write changes the entry and that record in one batch ({@link
 * Changes}, committed by {@link SealedState#commitCatalog}). At open ({@link #check}) the catalog
 * must hold exactly the entries the state records, each with its digest, so an older authentic
 * entry put back (which would reset seal counts, rotation clocks, a destroyed key version or a
 * deleted table), a removed entry and an added one are refused with {@link CorruptionException}
 * naming the table id. Since the entry and the state are written in one atomic batch, a crash
 * leaves both old or both new: no false alarm. Stateless; {@link Changes} is not thread-safe.
 */
final class CatalogBinding {
  private CatalogBinding() {}

  /**
   * The catalog writes of one batch: entries written or deleted, perhaps the header, and other
   * records the caller adds to {@link #batch()}; {@link SealedState#commitCatalog} commits them
   * with the state recording the entries' new digests.
   */
  static final class Changes {
    private final CatalogRecords records;
    private final RecordBatch batch;

    /** By table id hex: the new entry's sealed SHA-256, or null when the entry is deleted. */
    private final Map<String, byte[]> entries = new LinkedHashMap<>();

    private byte[] header;

    Changes(CatalogRecords records, boolean synced) {
      this.records = records;
      this.batch = synced ? RecordBatch.createSynced() : RecordBatch.create();
    }

    /** Adds the write of table {@code tableId}'s entry ({@code plaintext}, sealed here). */
    void putEntry(byte[] tableId, byte[] plaintext) {
      byte[] sealed = records.putEntry(batch, tableId, plaintext);
      entries.put(HexFormat.of().formatHex(tableId), SealedState.sha256(sealed));
    }

    /** Adds the deletion of table {@code tableId}'s entry. */
    void deleteEntry(byte[] tableId) {
      records.deleteEntry(batch, tableId);
      entries.put(HexFormat.of().formatHex(tableId), null);
    }

    /** Adds the replacement of the store header (its SHA-256 goes into the state). */
    void header(byte[] raw) {
      records.putHeader(batch, raw);
      header = raw.clone();
    }

    /** The batch, for records the state does not track (markers). */
    RecordBatch batch() {
      return batch;
    }

    /** {@code state} with these changes' digests (and header hash). */
    void applyTo(StoreState.Builder state) {
      entries.forEach(
          (hex, sha) -> {
            if (sha == null) {
              state.removeCatalogEntrySha256(hex);
            } else {
              state.putCatalogEntrySha256(hex, ByteString.copyFrom(sha));
            }
          });
      if (header != null) {
        state.setHeaderSha256(ByteString.copyFrom(SealedState.sha256(header)));
      }
    }
  }

  /**
   * Checks the digests {@code state} records: each under a table id (32 lowercase hex characters)
   * and 32 bytes long.
   *
   * @throws CorruptionException when one is not (only a writer holding the catalog key could write
   *     such a state)
   */
  static void checkRecorded(StoreState state) {
    for (Map.Entry<String, ByteString> e : state.getCatalogEntrySha256Map().entrySet()) {
      if (!isTableIdHex(e.getKey()) || e.getValue().size() != 32) {
        throw new CorruptionException(
            "The store state records a malformed catalog entry digest", null, "store state");
      }
    }
  }

  private static boolean isTableIdHex(String s) {
    if (s.length() != 32) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
        return false;
      }
    }
    return true;
  }

  /** The digests of {@code entries} as read, by table id hex: what a first binding records. */
  static Map<String, ByteString> digests(List<CatalogRecords.CatalogRecord> entries) {
    Map<String, ByteString> out = new HashMap<>();
    for (CatalogRecords.CatalogRecord r : entries) {
      out.put(
          HexFormat.of().formatHex(r.tableId()),
          ByteString.copyFrom(SealedState.sha256(r.sealed())));
    }
    return out;
  }

  /**
   * Checks the catalog as read ({@code entries}) against the digests the state records.
   *
   * @throws CorruptionException naming the first table id (in id order) whose entry differs, is
   *     missing, or is not recorded
   */
  static void check(Map<String, ByteString> recorded, List<CatalogRecords.CatalogRecord> entries) {
    Map<String, byte[]> stored = new HashMap<>();
    for (CatalogRecords.CatalogRecord r : entries) {
      stored.put(HexFormat.of().formatHex(r.tableId()), r.sealed());
    }
    TreeSet<String> ids = new TreeSet<>(recorded.keySet());
    ids.addAll(stored.keySet());
    for (String hex : ids) {
      ByteString want = recorded.get(hex);
      byte[] sealed = stored.get(hex);
      String where = "catalog entry " + hex;
      if (want == null) {
        throw new CorruptionException(
            "The catalog holds an entry for table id "
                + hex
                + " that the store's sealed state does not record: it was put back from an older"
                + " copy of the store (a deleted table) or added by something other than Coffer",
            null,
            where);
      }
      if (sealed == null) {
        throw new CorruptionException(
            "The catalog entry of table id "
                + hex
                + " is missing, though the store's sealed state records it: it was removed by"
                + " something other than Coffer",
            null,
            where);
      }
      if (!MessageDigest.isEqual(want.toByteArray(), SealedState.sha256(sealed))) {
        throw new CorruptionException(
            "The catalog entry of table id "
                + hex
                + " is not the one the store's sealed state records: an older copy of it was put"
                + " back (a rollback, which would reset its seal counts and rotation clocks) or it"
                + " was written by something other than Coffer",
            null,
            where);
      }
    }
  }
}
