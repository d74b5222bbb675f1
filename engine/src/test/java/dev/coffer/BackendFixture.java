package dev.coffer;

import dev.coffer.spi.BackendRecord;
import dev.coffer.spi.RecordBackend;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.RocksDBException;

/**
 * Where the stores of a backend-parameterised suite live: the embedded RocksDB (in the test's
 * directory), or a shared record backend (one per directory the test names, so that reopening "the
 * store in dir" opens the same records). The model-based and tamper suites take one ({@code
 * fixture()}); subclasses run them over another backend ({@code SharedModelBasedPropertiesTest} in
 * this module, the DynamoDB ones in {@code store-dynamodb}).
 */
abstract class BackendFixture {
  /** Opens (or creates) the store that lives "in" {@code dir}. */
  abstract Coffer open(Path dir, CofferOptions.Builder options);

  /** The raw records of the (closed) store in {@code dir}. */
  abstract RawRecords raw(Path dir);

  /** Whether leaves carry appended delta records on this backend (not on a shared one). */
  abstract boolean deltaRecords();

  /** A short name for test reports. */
  abstract String name();

  /** The embedded RocksDB backend. */
  static BackendFixture rocksDb() {
    return new BackendFixture() {
      @Override
      Coffer open(Path dir, CofferOptions.Builder options) {
        return Coffer.open(dir, options.build());
      }

      @Override
      RawRecords raw(Path dir) {
        try {
          return new RocksRaw(new RawStore(dir));
        } catch (RocksDBException e) {
          throw new AssertionError(e);
        }
      }

      @Override
      boolean deltaRecords() {
        return true;
      }

      @Override
      String name() {
        return "rocksdb";
      }
    };
  }

  /** A shared record backend per directory, made by {@code backends}. */
  static BackendFixture shared(String name, Supplier<RecordBackend> backends) {
    Map<Path, RecordBackend> byDir = new HashMap<>();
    return new BackendFixture() {
      private synchronized RecordBackend backend(Path dir) {
        return byDir.computeIfAbsent(dir.toAbsolutePath(), d -> backends.get());
      }

      @Override
      Coffer open(Path dir, CofferOptions.Builder options) {
        return Coffer.open(options.backend(backend(dir)).build());
      }

      @Override
      RawRecords raw(Path dir) {
        return new SharedRaw(backend(dir));
      }

      @Override
      boolean deltaRecords() {
        return false;
      }

      @Override
      String name() {
        return name;
      }
    };
  }

  /** RawRecords over RocksDB's files. */
  private static final class RocksRaw implements RawRecords {
    private final RawStore raw;

    RocksRaw(RawStore raw) {
      this.raw = raw;
    }

    RawStore store() {
      return raw;
    }

    @Override
    public List<byte[]> nodeKeys(String tableIdHex) {
      return raw.pageKeys(raw.family(tableIdHex));
    }

    @Override
    public byte[] get(String tableIdHex, byte[] nodeKey) {
      try {
        return raw.get(raw.family(tableIdHex), nodeKey);
      } catch (RocksDBException e) {
        throw new AssertionError(e);
      }
    }

    @Override
    public void put(String tableIdHex, byte[] nodeKey, byte[] value) {
      try {
        raw.put(raw.family(tableIdHex), nodeKey, value);
      } catch (RocksDBException e) {
        throw new AssertionError(e);
      }
    }

    @Override
    public Map<byte[], byte[]> storeRecords() {
      return raw.entries(raw.families().get("default"));
    }

    @Override
    public void putStoreRecord(byte[] key, byte[] value) {
      try {
        ColumnFamilyHandle cf = raw.families().get("default");
        raw.put(cf, key, value);
      } catch (RocksDBException e) {
        throw new AssertionError(e);
      }
    }

    @Override
    public void close() {
      raw.close();
    }
  }

  /**
   * RawRecords over a shared backend, through the SPI as anyone with access to the backend's
   * records could (docs/scale-out.md, "Layout"): a node of table t, partition token, id n is the
   * record {@code (t || token, n)}; the store's own records are in partition {@code coffer/store}.
   */
  static final class SharedRaw implements RawRecords {
    private static final byte[] STORE = "coffer/store".getBytes(StandardCharsets.US_ASCII);
    private final RecordBackend backend;

    SharedRaw(RecordBackend backend) {
      this.backend = backend;
    }

    /** Every record of the backend. */
    List<BackendRecord> all() {
      List<BackendRecord> out = new ArrayList<>();
      for (int segment = 0; segment < 4; segment++) {
        dev.coffer.spi.BackendKey start = null;
        do {
          dev.coffer.spi.ScanPage page = backend.scan(segment, 4, start, 500);
          out.addAll(page.records());
          start = page.lastKey();
        } while (start != null);
      }
      return out;
    }

    @Override
    public List<byte[]> nodeKeys(String tableIdHex) {
      byte[] table = HexFormat.of().parseHex(tableIdHex);
      List<byte[]> keys = new ArrayList<>();
      for (BackendRecord r : all()) {
        byte[] pk = r.partitionKey();
        if (pk.length == NODE_PK && Arrays.equals(pk, 0, TABLE_KEY, table, 0, TABLE_KEY)) {
          byte[] key = Arrays.copyOf(Arrays.copyOfRange(pk, TABLE_KEY, NODE_PK), 24);
          if (r.sortKey().length == 8) { // else the root: 0x00, node id 0
            System.arraycopy(r.sortKey(), 0, key, 16, 8);
          }
          keys.add(key);
        }
      }
      keys.sort(Arrays::compareUnsigned);
      return keys;
    }

    /** Layout 2 (docs/scale-out.md): a table's first 4 id bytes, then the token. */
    private static final int TABLE_KEY = 4;

    private static final int NODE_PK = TABLE_KEY + 16;

    private static byte[] pk(String tableIdHex, byte[] nodeKey) {
      byte[] pk = Arrays.copyOf(HexFormat.of().parseHex(tableIdHex), NODE_PK);
      System.arraycopy(nodeKey, 0, pk, TABLE_KEY, 16);
      return pk;
    }

    /** The backend sort key of a node key: its 8-byte id, or 0x00 for the root. */
    private static byte[] sk(byte[] nodeKey) {
      byte[] id = Arrays.copyOfRange(nodeKey, 16, 24);
      return Arrays.equals(id, new byte[8]) ? new byte[1] : id;
    }

    @Override
    public byte[] get(String tableIdHex, byte[] nodeKey) {
      BackendRecord r = backend.get(pk(tableIdHex, nodeKey), sk(nodeKey));
      return r == null ? null : r.value();
    }

    @Override
    public void put(String tableIdHex, byte[] nodeKey, byte[] value) {
      byte[] pk = pk(tableIdHex, nodeKey);
      byte[] sk = sk(nodeKey);
      BackendRecord old = backend.get(pk, sk);
      backend.put(
          BackendRecord.of(pk, sk, value, old == null ? 0 : old.version()),
          dev.coffer.spi.WriteCondition.none());
    }

    @Override
    public Map<byte[], byte[]> storeRecords() {
      Map<byte[], byte[]> out = new LinkedHashMap<>();
      for (BackendRecord r : backend.query(STORE, null, true, 1000)) {
        out.put(r.sortKey(), r.value());
      }
      return out;
    }

    @Override
    public void putStoreRecord(byte[] key, byte[] value) {
      BackendRecord old = backend.get(STORE, key);
      backend.put(
          BackendRecord.of(STORE, key, value, old == null ? 0 : old.version()),
          dev.coffer.spi.WriteCondition.none());
    }

    @Override
    public void close() {}
  }
}
