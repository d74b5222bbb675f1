package dev.coffer.cli.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coffer.AttributeType;
import dev.coffer.Coffer;
import dev.coffer.CofferOptions;
import dev.coffer.Item;
import dev.coffer.Table;
import dev.coffer.TableSpec;
import dev.coffer.cli.CliRun;
import dev.coffer.kms.KeyProvider;
import dev.coffer.kms.KeyProviderContext;
import dev.coffer.kms.KeyProviders;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.DBOptions;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksIterator;

/**
 * Issue 15: {@code coffer export} of a table with freshness on (turned on once through the API; a
 * command-line open keeps it on) fails, rather than writing a file without them, when every record
 * of a partition was removed from the store directory (to a file: no file; to stdout: a non-zero
 * exit and an error naming the table); the export of the intact store writes every item.
 */
class ExportFreshnessTest {
  private final CliRun cli = new CliRun();
  @TempDir Path dir;

  private static final int ITEMS = 12;

  /**
   * A store under a local: keystore (which keeps a rollback anchor), freshness on; its table id.
   */
  private String storeWithFreshness(Path store) {
    cli.opener = KeyProviders::open;
    cli.env.put(
        "COFFER_KEY_PROVIDER", "local:" + dir.resolve("keys").resolve("keystore") + "?create");
    byte[] raw = new byte[32];
    new SecureRandom().nextBytes(raw);
    cli.env.put("COFFER_KEYSTORE_KEY", Base64.getEncoder().encodeToString(raw));
    cli.env.put("COFFER_STORE", store.toString());
    cli.env.put("COFFER_MASTER_KEY", cli.createKey("store key"));
    try (KeyProvider provider =
            KeyProviders.open(
                cli.env.get("COFFER_KEY_PROVIDER"),
                KeyProviderContext.builder().environment(cli.env::get).build());
        Coffer c =
            Coffer.open(
                store,
                CofferOptions.builder()
                    .keyProvider(provider)
                    .masterKeyId(cli.env.get("COFFER_MASTER_KEY"))
                    .freshness(true)
                    .build())) {
      Table t =
          c.createTable(
              TableSpec.builder().name("Music").partitionKey("id", AttributeType.S).build());
      for (int i = 0; i < ITEMS; i++) {
        t.putItem(Item.builder().string("id", "song" + i).string("v", "x").build());
      }
      return t.describe().tableId();
    }
  }

  /** Deletes every record of the table's first partition (RocksDB directly); returns its token. */
  private static byte[] removeFirstPartition(Path store, String tableId) throws Exception {
    RocksDB.loadLibrary();
    List<byte[]> names;
    try (Options o = new Options()) {
      names = RocksDB.listColumnFamilies(o, store.toString());
    }
    List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
    names.forEach(n -> descriptors.add(new ColumnFamilyDescriptor(n)));
    List<ColumnFamilyHandle> handles = new ArrayList<>();
    try (DBOptions o = new DBOptions();
        RocksDB db = RocksDB.open(o, store.toString(), descriptors, handles)) {
      try {
        ColumnFamilyHandle family = null;
        for (int i = 0; i < names.size(); i++) {
          if (new String(names.get(i), StandardCharsets.US_ASCII).equals(tableId)) {
            family = handles.get(i);
          }
        }
        assertThat(family).as("the table's column family").isNotNull();
        byte[] token = null;
        List<byte[]> doomed = new ArrayList<>();
        try (RocksIterator it = db.newIterator(family)) {
          for (it.seekToFirst(); it.isValid(); it.next()) {
            byte[] key = it.key();
            if (token == null) {
              token = Arrays.copyOf(key, 16);
            }
            if (Arrays.equals(key, 0, 16, token, 0, 16)) {
              doomed.add(key);
            }
          }
        }
        for (byte[] key : doomed) {
          db.delete(family, key);
        }
        return token;
      } finally {
        handles.forEach(ColumnFamilyHandle::close);
      }
    }
  }

  @Test
  void anExportOfATableWithAPartitionRemovedWholeFailsAndWritesNoFile() throws Exception {
    Path store = dir.resolve("store");
    String tableId = storeWithFreshness(store);
    Path intact = dir.resolve("intact.jsonl");
    cli.run("export", "--table-name", "Music", "--output-file", intact.toString()).ok();
    assertThat(Files.readAllLines(intact)).hasSize(ITEMS);

    byte[] token = removeFirstPartition(store, tableId);
    Path file = dir.resolve("music.jsonl");
    CliRun.Result r = cli.run("export", "--table-name", "Music", "--output-file", file.toString());
    assertThat(r.exitCode()).isNotZero();
    assertThat(r.err())
        .contains("A partition the table's freshness map lists is missing from a scan")
        .contains("table Music")
        .contains("partition " + HexFormat.of().formatHex(token));
    assertThat(file).doesNotExist();
    // to stdout: lines of pages read before a failing one cannot be taken back (docs/cli.md), so
    // the exit status and the error naming the table are what tell
    CliRun.Result toStdout = cli.run("export", "--table-name", "Music");
    assertThat(toStdout.exitCode()).isNotZero();
    assertThat(toStdout.err())
        .contains("A partition the table's freshness map lists is missing from a scan")
        .contains("table Music")
        .contains("partition " + HexFormat.of().formatHex(token));
  }
}
