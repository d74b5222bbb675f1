package dev.coffer.internal.record;

import dev.coffer.spi.BackendRecord;
import dev.coffer.spi.RecordBackend;
import java.util.Arrays;
import java.util.List;

/**
 * {@link RecordCursor}s over a shared backend, in the key order a RocksDB column family has. The
 * store's own records are one backend partition, read page by page in sort-key order. A table's
 * records are spread over one backend partition per Coffer partition, which a backend does not
 * order among themselves; the table's partition index ({@link SharedKeys#indexPartition}: 16
 * buckets by the token's first four bits, each sorted by token) gives the tokens in order, and each
 * partition's nodes are read in node-id order. An index entry whose partition has no record (a
 * partition emptied, or a writer that crashed before its root) is passed over. A cursor reads the
 * current state page by page (no snapshot: on a shared store each partition's root is its
 * consistency point). Not thread-safe.
 */
final class SharedCursors {
  private static final int NODE_PAGE = 64;
  private static final int INDEX_PAGE = 500;

  private SharedCursors() {}

  /** The store's own records. */
  static RecordCursor store(SharedRecordStore s) {
    return new PartitionPages(s, SharedKeys.STORE_PARTITION, null);
  }

  /** Every node of a table, in {@code token || nodeId} order. */
  static RecordCursor table(SharedRecordStore s, SharedRecordStore.Space ns) {
    return new TableCursor(s, ns, false);
  }

  /** The tokens of a table's partitions, each as a key {@code token || 0} with an empty value. */
  static RecordCursor tokens(SharedRecordStore s, SharedRecordStore.Space ns) {
    return new TableCursor(s, ns, true);
  }

  /**
   * The records of one backend partition in sort-key order, as RecordStore keys: the sort key
   * itself ({@code tablePrefix} null) or {@code tablePrefix || sortKey}.
   */
  private static final class PartitionPages implements RecordCursor {
    private final SharedRecordStore s;
    private final byte[] pk;
    private final byte[] keyPrefix;
    private List<BackendRecord> page = List.of();
    private int pos;
    private boolean exhausted = true;

    PartitionPages(SharedRecordStore s, byte[] pk, byte[] keyPrefix) {
      this.s = s;
      this.pk = pk;
      this.keyPrefix = keyPrefix;
    }

    @Override
    public void seekToFirst() {
      load(null, true);
    }

    @Override
    public void seek(byte[] key) {
      load(key, true);
    }

    /** Seeks to the first record whose sort key is at or after {@code sk} (null: the first). */
    void load(byte[] sk, boolean inclusive) {
      page = s.backend().query(pk, sk, inclusive, keyPrefix == null ? INDEX_PAGE : NODE_PAGE);
      pos = 0;
      exhausted = page.isEmpty();
    }

    @Override
    public boolean valid() {
      return !exhausted && pos < page.size();
    }

    @Override
    public void next() {
      pos++;
      if (pos >= page.size() && !page.isEmpty()) {
        load(page.get(page.size() - 1).sortKey(), false);
      }
    }

    BackendRecord current() {
      return page.get(pos);
    }

    @Override
    public byte[] key() {
      byte[] sk = current().sortKey();
      if (keyPrefix == null) {
        return sk;
      }
      sk = SharedKeys.idBytes(sk); // the root's one-byte sort key is node id 0
      byte[] key = Arrays.copyOf(keyPrefix, keyPrefix.length + sk.length);
      System.arraycopy(sk, 0, key, keyPrefix.length, sk.length);
      return key;
    }

    @Override
    public byte[] value() {
      BackendRecord r = current();
      return s.values()
          .join(
              r,
              null,
              keyPrefix == null
                  ? RecordKeys.describeStoreKey(r.sortKey())
                  : RecordKeys.describeTableKey(key()));
    }

    @Override
    public void close() {}
  }

  /** A table's nodes (or only its tokens) in key order, through the partition index. */
  private static final class TableCursor implements RecordCursor {
    private final SharedRecordStore s;
    private final RecordBackend backend;
    private final SharedRecordStore.Space ns;
    private final boolean tokensOnly;
    private int bucket;
    private List<BackendRecord> tokens = List.of();
    private int tokenPos;
    private PartitionPages nodes;
    private boolean valid;

    TableCursor(SharedRecordStore s, SharedRecordStore.Space ns, boolean tokensOnly) {
      this.s = s;
      this.backend = s.backend();
      this.ns = ns;
      this.tokensOnly = tokensOnly;
    }

    @Override
    public void seekToFirst() {
      seek(new byte[0]);
    }

    @Override
    public void seek(byte[] key) {
      byte[] token =
          Arrays.copyOf(
              key, RecordKeys.TOKEN_BYTES); // the smallest token at or after a shorter key
      byte[] rest =
          key.length > RecordKeys.TOKEN_BYTES
              ? Arrays.copyOfRange(key, RecordKeys.TOKEN_BYTES, key.length)
              : null;
      bucket = SharedKeys.bucket(token);
      loadTokens(token, true);
      valid = false;
      if (!positionToken()) {
        return;
      }
      if (rest != null && Arrays.equals(currentToken(), token)) {
        if (tokensOnly) {
          if (!allZero(
              rest)) { // the key of a token is token || 0: only a rest of zeros is at or below it
            tokenPos++;
            advanceToken();
            return;
          }
          valid = true;
          return;
        }
        openNodes(rest);
        if (nodes.valid()) {
          valid = true;
          return;
        }
        tokenPos++;
      }
      advanceToken();
    }

    private static boolean allZero(byte[] b) {
      for (byte x : b) {
        if (x != 0) {
          return false;
        }
      }
      return true;
    }

    private void loadTokens(byte[] from, boolean inclusive) {
      tokens =
          backend.query(SharedKeys.indexPartition(ns.tableId, bucket), from, inclusive, INDEX_PAGE);
      tokenPos = 0;
    }

    /** Moves to a token at or after the current position, across buckets; false at the end. */
    private boolean positionToken() {
      while (true) {
        if (tokenPos < tokens.size()) {
          return true;
        }
        if (!tokens.isEmpty()) {
          loadTokens(tokens.get(tokens.size() - 1).sortKey(), false);
          if (!tokens.isEmpty()) {
            continue;
          }
        }
        if (++bucket >= SharedKeys.BUCKETS) {
          return false;
        }
        loadTokens(null, true);
      }
    }

    private byte[] currentToken() {
      return tokens.get(tokenPos).sortKey();
    }

    /** From the current token on, the first token with a record (tokens only: the token itself). */
    private void advanceToken() {
      valid = false;
      while (positionToken()) {
        if (tokensOnly) {
          valid = true;
          return;
        }
        openNodes(null);
        if (nodes.valid()) {
          valid = true;
          return;
        }
        tokenPos++;
      }
    }

    private void openNodes(byte[] fromSort) {
      byte[] token = currentToken();
      nodes = new PartitionPages(s, SharedKeys.nodePartition(ns.tableId, token), token);
      nodes.load(fromSort == null ? null : SharedKeys.nodeSortFrom(fromSort), true);
    }

    @Override
    public boolean valid() {
      return valid;
    }

    @Override
    public void next() {
      if (!tokensOnly) {
        nodes.next();
        if (nodes.valid()) {
          return;
        }
      }
      tokenPos++;
      advanceToken();
    }

    @Override
    public byte[] key() {
      return tokensOnly ? RecordKeys.node(currentToken(), 0) : nodes.key();
    }

    @Override
    public byte[] value() {
      return tokensOnly ? new byte[0] : nodes.value();
    }

    @Override
    public void close() {}
  }
}
