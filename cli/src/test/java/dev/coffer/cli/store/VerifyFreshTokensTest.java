package dev.coffer.cli.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.coffer.AttributeType;
import dev.coffer.Coffer;
import dev.coffer.CofferOptions;
import dev.coffer.Item;
import dev.coffer.TableSpec;
import dev.coffer.TransactWriteItem;
import dev.coffer.TransactWriteItemsRequest;
import dev.coffer.cli.CliRun;
import dev.coffer.kms.KeyProvider;
import dev.coffer.kms.KeyProviderContext;
import dev.coffer.kms.KeyProviders;
import java.nio.charset.StandardCharsets;
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
 * Issue 15: {@code coffer verify} of a store with freshness on (turned on once through the API; a
 * command-line open keeps it on) compares the ClientRequestToken records with their map: a token
 * record removed from the store directory is a {@code FRESHNESS_MISMATCH} under {@code
 * StoreFindings}, naming its token digest, and the exit code is 1.
 */
class VerifyFreshTokensTest {
  private static final byte[] TOKEN_PREFIX = "coffer/token/".getBytes(StandardCharsets.US_ASCII);

  private final CliRun cli = new CliRun();
  @TempDir Path dir;

  /** A store under a local: keystore (which keeps a rollback anchor), freshness on, one token. */
  private void storeWithAToken(Path store) {
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
      c.createTable(TableSpec.builder().name("Music").partitionKey("id", AttributeType.S).build());
      c.transactWriteItems(
          TransactWriteItemsRequest.builder()
              .transactItems(
                  TransactWriteItem.put("Music", Item.builder().string("id", "song").build()))
              .clientRequestToken("order-1")
              .build());
    }
  }

  /** Deletes the store's token records (RocksDB directly); returns their token digests in hex. */
  private static List<String> removeTokenRecords(Path store) throws Exception {
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
        ColumnFamilyHandle family = db.getDefaultColumnFamily();
        List<byte[]> doomed = new ArrayList<>();
        try (RocksIterator it = db.newIterator(family)) {
          for (it.seek(TOKEN_PREFIX); it.isValid(); it.next()) {
            byte[] key = it.key();
            if (!Arrays.equals(key, 0, TOKEN_PREFIX.length, TOKEN_PREFIX, 0, TOKEN_PREFIX.length)) {
              break;
            }
            doomed.add(key);
          }
        }
        List<String> digests = new ArrayList<>();
        for (byte[] key : doomed) {
          db.delete(family, key);
          digests.add(
              HexFormat.of().formatHex(Arrays.copyOfRange(key, TOKEN_PREFIX.length, key.length)));
        }
        return digests;
      } finally {
        handles.forEach(ColumnFamilyHandle::close);
      }
    }
  }

  @Test
  void aRemovedTokenRecordIsAStoreFinding() throws Exception {
    Path store = dir.resolve("store");
    storeWithAToken(store);
    JsonNode clean = cli.run("verify").ok().json();
    assertThat(clean.get("FindingCount").asInt()).isZero();
    assertThat(clean.get("StoreFindings")).isEmpty();

    List<String> digests = removeTokenRecords(store);
    assertThat(digests).hasSize(1);
    CliRun.Result r = cli.run("verify");
    assertThat(r.exitCode()).isEqualTo(1);
    JsonNode out = r.json();
    assertThat(out.get("FindingCount").asInt()).isEqualTo(1);
    assertThat(out.at("/Tables/0/Findings")).isEmpty();
    JsonNode f = out.at("/StoreFindings/0");
    assertThat(f.get("Kind").asText()).isEqualTo("FRESHNESS_MISMATCH");
    assertThat(f.has("TableName")).isFalse();
    assertThat(f.get("Location").asText()).isEqualTo("ClientRequestToken record " + digests.get(0));
    assertThat(f.get("Message").asText()).contains("ClientRequestToken records lists is missing");
    assertThat(r.err()).contains("coffer verify: 1 finding (1 FRESHNESS_MISMATCH)");
    JsonNode oneTable = cli.run("verify", "--table-name", "Music").ok().json();
    assertThat(oneTable.has("StoreFindings")).as("only without --table-name").isFalse();
  }
}
