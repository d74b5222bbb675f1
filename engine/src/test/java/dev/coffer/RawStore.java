package dev.coffer;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.coffer.proto.SequencedRecord;
import dev.coffer.proto.StoredNode;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.DBOptions;
import org.rocksdb.LiveFileMetaData;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.StringAppendOperator;

/**
 * A closed store's RocksDB opened directly, as an attacker with the files would: raw keys and
 * values.
 */
final class RawStore implements AutoCloseable {
  static {
    RocksDB.loadLibrary(); // a test may read a store raw before anything else opened one
  }

  private final RocksDB db;
  private final DBOptions options;
  private final StringAppendOperator concatenation = new StringAppendOperator("");
  private final ColumnFamilyOptions tableOptions =
      new ColumnFamilyOptions().setMergeOperator(concatenation);
  private final Map<String, ColumnFamilyHandle> families = new LinkedHashMap<>();

  RawStore(Path dir) throws RocksDBException {
    List<byte[]> names;
    try (Options o = new Options()) {
      names = RocksDB.listColumnFamilies(o, dir.toString());
    }
    List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
    for (byte[] n : names) {
      // the engine's merge operator (concatenation), without which a node with appended delta
      // records cannot be read until a compaction has merged them
      descriptors.add(new ColumnFamilyDescriptor(n, tableOptions));
    }
    List<ColumnFamilyHandle> handles = new ArrayList<>();
    options = new DBOptions();
    db = RocksDB.open(options, dir.toString(), descriptors, handles);
    for (int i = 0; i < names.size(); i++) {
      families.put(new String(names.get(i), StandardCharsets.US_ASCII), handles.get(i));
    }
  }

  /** Column family name to handle; "default" plus one per table (its id in hex). */
  Map<String, ColumnFamilyHandle> families() {
    return families;
  }

  ColumnFamilyHandle family(String tableIdHex) {
    return families.get(tableIdHex);
  }

  /** RocksDB's latest sequence number: it moves with every write. */
  long sequence() {
    return db.getLatestSequenceNumber();
  }

  /** Every key/value of a column family, in key order. */
  Map<byte[], byte[]> entries(ColumnFamilyHandle family) {
    Map<byte[], byte[]> out = new LinkedHashMap<>();
    try (RocksIterator it = db.newIterator(family)) {
      for (it.seekToFirst(); it.isValid(); it.next()) {
        out.put(it.key(), it.value());
      }
    }
    return out;
  }

  /** The page keys (24 bytes) of a column family. */
  List<byte[]> pageKeys(ColumnFamilyHandle family) {
    return entries(family).keySet().stream().filter(k -> k.length == 24).toList();
  }

  /** The sealed records stored under a node key: its page, then its delta records. */
  List<byte[]> records(ColumnFamilyHandle family, byte[] key) throws RocksDBException {
    return split(db.get(family, key));
  }

  /** Replaces the value under a node key with {@code records}. */
  void putRecords(ColumnFamilyHandle family, byte[] key, List<byte[]> records)
      throws RocksDBException {
    db.put(family, key, join(records));
  }

  /**
   * The sequence numbers of the delta records {@link #split} met, by their sealed bytes, so that
   * {@link #join} writes them back with theirs.
   */
  private static final Map<ByteBuffer, Long> SEQS = new ConcurrentHashMap<>();

  /**
   * The sealed records of a node's value (a {@code StoredNode}, read with the generated class): the
   * page, then the delta records, numbered by their place (store format 2) or carrying their number
   * (format 3; remembered for {@link #join}).
   */
  static List<byte[]> split(byte[] value) {
    try {
      StoredNode node = StoredNode.parseFrom(value);
      List<byte[]> out =
          new ArrayList<>(node.getRecordsList().stream().map(ByteString::toByteArray).toList());
      node.getDeltasList()
          .forEach(
              d -> {
                byte[] sealed = d.getSealed().toByteArray();
                SEQS.put(ByteBuffer.wrap(sealed), d.getSeq());
                out.add(sealed);
              });
      return out;
    } catch (InvalidProtocolBufferException e) {
      throw new AssertionError(e);
    }
  }

  /**
   * A node's value holding {@code records}: the first as the page, the others as delta records with
   * the numbers {@link #split} read for them (a record it did not read gets the number after the
   * previous one's).
   */
  static byte[] join(List<byte[]> records) {
    StoredNode.Builder b = StoredNode.newBuilder();
    long next = 0;
    for (int i = 0; i < records.size(); i++) {
      byte[] r = records.get(i);
      if (i == 0) {
        b.addRecords(ByteString.copyFrom(r));
        continue;
      }
      Long seq = SEQS.get(ByteBuffer.wrap(r));
      long n = seq != null ? seq : next;
      b.addDeltas(SequencedRecord.newBuilder().setSeq(n).setSealed(ByteString.copyFrom(r)));
      next = n + 1;
    }
    return b.build().toByteArray();
  }

  /** The key of table {@code tableId}'s catalog entry (docs/on-disk-format.md, section 1). */
  static byte[] catalogKey(byte[] tableId) {
    byte[] prefix = "coffer/catalog/".getBytes(StandardCharsets.US_ASCII);
    byte[] key = Arrays.copyOf(prefix, prefix.length + tableId.length);
    System.arraycopy(tableId, 0, key, prefix.length, tableId.length);
    return key;
  }

  /** The number of delta records of each node that has any, by node key. */
  Map<byte[], Integer> deltaCounts(ColumnFamilyHandle family) throws RocksDBException {
    Map<byte[], Integer> out = new LinkedHashMap<>();
    for (byte[] key : pageKeys(family)) {
      int deltas = records(family, key).size() - 1;
      if (deltas > 0) {
        out.put(key, deltas);
      }
    }
    return out;
  }

  byte[] get(ColumnFamilyHandle family, byte[] key) throws RocksDBException {
    return db.get(family, key);
  }

  void put(ColumnFamilyHandle family, byte[] key, byte[] value) throws RocksDBException {
    db.put(family, key, value);
  }

  void delete(ColumnFamilyHandle family, byte[] key) throws RocksDBException {
    db.delete(family, key);
  }

  /** The live SST files of column family {@code name}. */
  List<Path> sstFiles(String name) {
    List<Path> out = new ArrayList<>();
    for (LiveFileMetaData f : db.getLiveFilesMetaData()) {
      if (new String(f.columnFamilyName(), StandardCharsets.US_ASCII).equals(name)) {
        String file = f.fileName().startsWith("/") ? f.fileName().substring(1) : f.fileName();
        out.add(Path.of(f.path()).resolve(file));
      }
    }
    return out;
  }

  /** Creates a column family (as a crash during CreateTable could leave one). */
  ColumnFamilyHandle createFamily(String name) throws RocksDBException {
    ColumnFamilyHandle h =
        db.createColumnFamily(
            new ColumnFamilyDescriptor(name.getBytes(StandardCharsets.US_ASCII), tableOptions));
    families.put(name, h);
    return h;
  }

  /** Drops a column family (a table's records, as someone with the files could remove them). */
  void dropFamily(String name) throws RocksDBException {
    ColumnFamilyHandle h = families.remove(name);
    db.dropColumnFamily(h);
    h.close();
  }

  @Override
  public void close() {
    families.values().forEach(ColumnFamilyHandle::close);
    db.close();
    options.close();
    tableOptions.close();
    concatenation.close();
  }
}
