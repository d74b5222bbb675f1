package dev.coffer.cli.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.coffer.cli.CliRun;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.DBOptions;
import org.rocksdb.LiveFileMetaData;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksIterator;
import org.rocksdb.StringAppendOperator;

/**
 * {@code coffer verify} on a clean store, and on stores changed through RocksDB directly after they
 * were closed, as someone with write access to the files could: flipped bytes, a deleted root, a
 * damaged SST block. Each is reported with table and location, and the exit code is 1.
 */
class VerifyCommandTest {
  private final CliRun cli = new CliRun();
  @TempDir Path dir;
  private Path store;

  @BeforeEach
  void storeWithTwoTables() {
    store = dir.resolve("store");
    cli.env.put("COFFER_STORE", store.toString());
    cli.env.put("COFFER_MASTER_KEY", cli.createKey("store key"));
    for (String table : new String[] {"users", "orders"}) {
      cli.run(
              "dynamodb",
              "create-table",
              "--table-name",
              table,
              "--attribute-definitions",
              "AttributeName=id,AttributeType=S",
              "--key-schema",
              "AttributeName=id,KeyType=HASH")
          .ok();
      StringBuilder batch = new StringBuilder("{\"" + table + "\": [");
      for (int i = 0; i < 10; i++) {
        batch
            .append(i == 0 ? "" : ",")
            .append("{\"PutRequest\": {\"Item\": {\"id\": {\"S\": \"user")
            .append(i)
            .append("\"}, \"secret\": {\"S\": \"value of ")
            .append(i)
            .append("\"}}}}");
      }
      cli.run("dynamodb", "batch-write-item", "--request-items", batch + "]}").ok();
    }
  }

  private String tableId(String name) {
    return cli.run(
            "dynamodb",
            "describe-table",
            "--table-name",
            name,
            "--query",
            "Table.TableId",
            "--output",
            "text")
        .ok()
        .out()
        .strip()
        .replace("-", "");
  }

  @Test
  void cleanStoreVerifies() {
    CliRun.Result result = cli.run("verify");
    assertThat(result.exitCode()).isZero();
    JsonNode r = result.json();
    assertThat(r.get("FindingCount").asInt()).isZero();
    assertThat(r.at("/Tables/0/TableName").asText()).isEqualTo("orders");
    assertThat(r.at("/Tables/0/ItemsRead").asInt()).isEqualTo(10);
    assertThat(r.at("/Tables/0/Partitions").asInt()).isEqualTo(10);
    assertThat(r.at("/Tables/1/ItemsRead").asInt()).isEqualTo(10);
    assertThat(r.at("/Tables/1/Findings")).isEmpty();
    assertThat(r.get("StoreFindings")).isEmpty();
  }

  @Test
  void flippedBytesAreFoundWithTheirLocationAndExitNonZero() throws Exception {
    List<String> tokens = new ArrayList<>();
    withRocksDb(
        tableId("users"),
        (db, family) -> {
          List<byte[]> keys = keys(db, family);
          for (int index : new int[] {2, 7}) {
            byte[] value = db.get(family, keys.get(index));
            value[value.length - 5] ^= 0x01;
            db.put(family, keys.get(index), value);
            tokens.add(HexFormat.of().formatHex(keys.get(index), 0, 16));
          }
        });
    CliRun.Result result = cli.run("verify");
    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.err().strip()).isEqualTo("coffer verify: 2 findings (2 CORRUPT_RECORD)");
    JsonNode r = new ObjectMapper().readTree(result.out());
    assertThat(r.get("FindingCount").asInt()).isEqualTo(2);
    JsonNode users = r.get("Tables").get(1);
    assertThat(users.get("TableName").asText()).isEqualTo("users");
    assertThat(users.get("ItemsRead").asInt()).isEqualTo(8);
    List<String> found = new ArrayList<>();
    for (JsonNode p : users.get("Findings")) {
      assertThat(p.get("Kind").asText()).isEqualTo("CORRUPT_RECORD");
      assertThat(p.get("TableName").asText()).isEqualTo("users");
      assertThat(p.get("NodeId").asLong()).isZero();
      assertThat(p.get("Location").asText())
          .isEqualTo("partition " + p.get("PartitionToken").asText() + " node 0");
      assertThat(p.get("Message").asText()).contains("failed authentication");
      found.add(p.get("PartitionToken").asText());
    }
    assertThat(found).containsExactlyInAnyOrderElementsOf(tokens);
    assertThat(r.at("/Tables/0/Findings")).isEmpty();
    assertThat(cli.run("verify", "--table-name", "orders").ok().json().get("FindingCount").asInt())
        .isZero();
  }

  @Test
  void aDeletedRootLeavesItsPagesUnreachableAndExitsNonZero() throws Exception {
    cli.run(
            "dynamodb",
            "create-table",
            "--table-name",
            "events",
            "--attribute-definitions",
            "AttributeName=pk,AttributeType=S",
            "AttributeName=sk,AttributeType=N",
            "--key-schema",
            "AttributeName=pk,KeyType=HASH",
            "AttributeName=sk,KeyType=RANGE")
        .ok();
    StringBuilder batch = new StringBuilder("{\"events\": [");
    for (int i = 0; i < 25; i++) {
      batch
          .append(i == 0 ? "" : ",")
          .append("{\"PutRequest\": {\"Item\": {\"pk\": {\"S\": \"p\"}, \"sk\": {\"N\": \"")
          .append(i)
          .append("\"}, \"v\": {\"S\": \"")
          .append("z".repeat(500))
          .append("\"}}}}");
    }
    cli.run("dynamodb", "batch-write-item", "--request-items", batch + "]}").ok();
    int[] children = new int[1];
    withRocksDb(
        tableId("events"),
        (db, family) -> {
          List<byte[]> keys = keys(db, family);
          children[0] = keys.size() - 1;
          db.delete(family, keys.get(0)); // node 0 of the only partition
        });
    assertThat(children[0]).isGreaterThan(1);
    CliRun.Result result = cli.run("verify", "--table-name", "events");
    assertThat(result.exitCode()).isEqualTo(1);
    JsonNode r = new ObjectMapper().readTree(result.out());
    assertThat(r.at("/Tables/0/Findings"))
        .hasSize(children[0])
        .allSatisfy(
            f -> {
              assertThat(f.get("Kind").asText()).isEqualTo("UNREACHABLE_NODE");
              assertThat(f.get("Message").asText()).contains("root (node 0) is missing");
            });
    assertThat(r.at("/Tables/0/ItemsRead").asInt()).isZero();
  }

  @Test
  void aDamagedSstBlockNamesTheTableAndTheRangeAndExitsNonZero() throws Exception {
    for (int b = 0; b < 4; b++) {
      StringBuilder batch = new StringBuilder("{\"users\": [");
      for (int i = 0; i < 25; i++) {
        batch
            .append(i == 0 ? "" : ",")
            .append("{\"PutRequest\": {\"Item\": {\"id\": {\"S\": \"bulk")
            .append(b)
            .append('-')
            .append(i)
            .append("\"}, \"v\": {\"S\": \"")
            .append("w".repeat(400))
            .append("\"}}}}");
      }
      cli.run("dynamodb", "batch-write-item", "--request-items", batch + "]}").ok();
    }
    String users = tableId("users");
    List<Path> ssts = new ArrayList<>();
    withRocksDb(
        users,
        (db, family) -> {
          db.flush(new org.rocksdb.FlushOptions().setWaitForFlush(true), family);
          for (LiveFileMetaData f : db.getLiveFilesMetaData()) {
            if (new String(f.columnFamilyName(), StandardCharsets.US_ASCII).equals(users)) {
              ssts.add(Path.of(f.path()).resolve(f.fileName().replaceFirst("^/", "")));
            }
          }
        });
    assertThat(ssts).isNotEmpty();
    try (FileChannel ch =
        FileChannel.open(ssts.get(0), StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      ByteBuffer b = ByteBuffer.allocate(8);
      ch.read(b, ch.size() / 3);
      for (int i = 0; i < 8; i++) {
        b.put(i, (byte) ~b.get(i));
      }
      b.rewind();
      ch.write(b, ch.size() / 3);
    }
    CliRun.Result result = cli.run("verify", "--table-name", "users");
    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.err()).contains("UNREADABLE_RANGE");
    JsonNode f = new ObjectMapper().readTree(result.out()).at("/Tables/0/Findings/0");
    assertThat(f.get("Kind").asText()).isEqualTo("UNREADABLE_RANGE");
    assertThat(f.get("TableName").asText()).isEqualTo("users");
    assertThat(f.get("PartitionToken").asText()).hasSize(32);
    assertThat(f.get("LastPartitionToken").asText()).hasSize(32);
    assertThat(f.get("Location").asText()).startsWith("partitions ");
  }

  private interface RawChange {
    void apply(RocksDB db, ColumnFamilyHandle family) throws Exception;
  }

  /**
   * Opens the closed store's RocksDB directly (with the engine's merge operator) and changes a
   * table.
   */
  private void withRocksDb(String tableId, RawChange change) throws Exception {
    List<byte[]> names;
    try (Options o = new Options()) {
      names = RocksDB.listColumnFamilies(o, store.toString());
    }
    List<ColumnFamilyHandle> handles = new ArrayList<>();
    try (StringAppendOperator concatenation = new StringAppendOperator("");
        ColumnFamilyOptions cfOptions = new ColumnFamilyOptions().setMergeOperator(concatenation);
        DBOptions options = new DBOptions()) {
      List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
      names.forEach(n -> descriptors.add(new ColumnFamilyDescriptor(n, cfOptions)));
      try (RocksDB db = RocksDB.open(options, store.toString(), descriptors, handles)) {
        ColumnFamilyHandle family = null;
        for (int i = 0; i < names.size(); i++) {
          if (new String(names.get(i), StandardCharsets.US_ASCII).equals(tableId)) {
            family = handles.get(i);
          }
        }
        assertThat(family).as("column family " + tableId).isNotNull();
        change.apply(db, family);
        handles.forEach(ColumnFamilyHandle::close);
      }
    }
  }

  /** The node keys (24 bytes) of a column family, in order. */
  private static List<byte[]> keys(RocksDB db, ColumnFamilyHandle family) {
    Map<String, byte[]> sorted = new TreeMap<>();
    try (RocksIterator it = db.newIterator(family)) {
      for (it.seekToFirst(); it.isValid(); it.next()) {
        if (it.key().length == 24) {
          sorted.put(HexFormat.of().formatHex(it.key()), it.key());
        }
      }
    }
    return new ArrayList<>(sorted.values());
  }
}
