package dev.coffer.cli.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.coffer.cli.CliRun;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.DBOptions;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksIterator;

/**
 * {@code coffer verify} on a clean store, and on one whose pages were changed through RocksDB
 * directly after the store was closed, as someone with write access to the files could.
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
      cli.run("dynamodb", "create-table", "--table-name", table,
          "--attribute-definitions", "AttributeName=id,AttributeType=S",
          "--key-schema", "AttributeName=id,KeyType=HASH").ok();
      StringBuilder batch = new StringBuilder("{\"" + table + "\": [");
      for (int i = 0; i < 10; i++) {
        batch.append(i == 0 ? "" : ",").append("{\"PutRequest\": {\"Item\": {\"id\": {\"S\": \"user")
            .append(i).append("\"}, \"secret\": {\"S\": \"value of ").append(i).append("\"}}}}");
      }
      cli.run("dynamodb", "batch-write-item", "--request-items", batch + "]}").ok();
    }
  }

  @Test
  void cleanStoreVerifies() {
    JsonNode r = cli.run("verify").ok().json();
    assertThat(r.get("CorruptPageCount").asInt()).isZero();
    assertThat(r.at("/Tables/0/TableName").asText()).isEqualTo("orders");
    assertThat(r.at("/Tables/0/ItemsRead").asInt()).isEqualTo(10);
    assertThat(r.at("/Tables/1/ItemsRead").asInt()).isEqualTo(10);
  }

  @Test
  void flippedBytesAreFoundWithTheirLocationAndExitNonZero() throws Exception {
    String tableId = cli.run("dynamodb", "describe-table", "--table-name", "users", "--query", "Table.TableId",
        "--output", "text").ok().out().strip().replace("-", "");
    List<String> tokens = flipAByteInPages(tableId, 2, 7);

    CliRun.Result result = cli.run("verify");
    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.err().strip()).isEqualTo("coffer verify: 2 corrupt pages found");
    JsonNode r = new ObjectMapper().readTree(result.out());
    assertThat(r.get("CorruptPageCount").asInt()).isEqualTo(2);
    JsonNode users = r.get("Tables").get(1);
    assertThat(users.get("TableName").asText()).isEqualTo("users");
    assertThat(users.get("ItemsRead").asInt()).isBetween(6, 8);
    List<String> found = new ArrayList<>();
    for (JsonNode p : users.get("CorruptPages")) {
      assertThat(p.get("TableName").asText()).isEqualTo("users");
      assertThat(p.get("NodeId").asLong()).isZero();
      assertThat(p.get("Location").asText()).isEqualTo("partition " + p.get("PartitionToken").asText() + " node 0");
      found.add(p.get("PartitionToken").asText());
    }
    assertThat(found).containsExactlyInAnyOrderElementsOf(tokens);
    assertThat(r.at("/Tables/0/CorruptPages")).isEmpty();

    assertThat(cli.run("verify", "--table-name", "orders").ok().json().get("CorruptPageCount").asInt()).isZero();
  }

  /** Flips one byte in the value of the pages at the given indexes; returns their partition tokens. */
  private List<String> flipAByteInPages(String tableId, int... indexes) throws Exception {
    List<byte[]> names;
    try (Options o = new Options()) {
      names = RocksDB.listColumnFamilies(o, store.toString());
    }
    List<ColumnFamilyHandle> handles = new ArrayList<>();
    // the engine's merge operator (concatenation of a node's records), to read nodes with delta records
    try (org.rocksdb.StringAppendOperator concatenation = new org.rocksdb.StringAppendOperator("");
        org.rocksdb.ColumnFamilyOptions cfOptions = new org.rocksdb.ColumnFamilyOptions().setMergeOperator(concatenation);
        DBOptions options = new DBOptions()) {
      List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
      names.forEach(n -> descriptors.add(new ColumnFamilyDescriptor(n, cfOptions)));
      return flipAByteInPages(RocksDB.open(options, store.toString(), descriptors, handles), names, handles,
          tableId, indexes);
    }
  }

  private List<String> flipAByteInPages(RocksDB opened, List<byte[]> names, List<ColumnFamilyHandle> handles,
      String tableId, int... indexes) throws Exception {
    List<String> tokens = new ArrayList<>();
    try (RocksDB db = opened) {
      ColumnFamilyHandle family = null;
      for (int i = 0; i < names.size(); i++) {
        if (new String(names.get(i), StandardCharsets.US_ASCII).equals(tableId)) {
          family = handles.get(i);
        }
      }
      assertThat(family).as("column family " + tableId).isNotNull();
      List<byte[]> pageKeys = new ArrayList<>();
      try (RocksIterator it = db.newIterator(family)) {
        for (it.seekToFirst(); it.isValid(); it.next()) {
          if (it.key().length == 24) {
            pageKeys.add(it.key());
          }
        }
      }
      for (int index : indexes) {
        byte[] key = pageKeys.get(index);
        byte[] value = db.get(family, key);
        value[value.length - 5] ^= 0x01;
        db.put(family, key, value);
        tokens.add(HexFormat.of().formatHex(key, 0, 16));
      }
      handles.forEach(ColumnFamilyHandle::close);
    }
    return tokens;
  }
}
