package dev.coffer.cli.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.coffer.cli.CliRun;
import dev.coffer.kms.KeyProviders;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * With a {@code local:} keystore the command line keeps each store's rollback anchor beside the
 * keystore: a store directory put back from an older copy is refused, and {@code --accept-rollback}
 * opens it for one run (a deliberate restore from a backup; the deprecated {@code
 * COFFER_ACCEPT_ROLLBACK=true} still does), recorded in the store for {@code coffer info} and
 * {@code coffer verify} to show.
 */
class RollbackAnchorCommandTest {
  private final CliRun cli = new CliRun();
  @TempDir Path dir;

  private static void copyDir(Path from, Path to) throws IOException {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        Path target = to.resolve(from.relativize(f).toString());
        if (Files.isDirectory(f)) {
          Files.createDirectories(target);
        } else {
          Files.copy(f, target, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
  }

  private static void copyBack(Path store, Path copy) throws IOException {
    try (Stream<Path> files = Files.walk(store)) {
      for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(f);
      }
    }
    copyDir(copy, store);
  }

  private Path setUpStore() throws Exception {
    cli.opener = KeyProviders::open;
    cli.env.put(
        "COFFER_KEY_PROVIDER", "local:" + dir.resolve("keys").resolve("keystore") + "?create");
    byte[] raw = new byte[32];
    new SecureRandom().nextBytes(raw);
    cli.env.put("COFFER_KEYSTORE_KEY", Base64.getEncoder().encodeToString(raw));
    Path store = dir.resolve("store");
    cli.env.put("COFFER_STORE", store.toString());
    cli.env.put("COFFER_MASTER_KEY", cli.createKey("store key"));
    return store;
  }

  /**
   * {@code coffer info} and {@code coffer verify} check the store against its anchor without moving
   * it: looking at a backup copy (which shares the store's anchor) leaves the store itself
   * openable, and an older copy is refused unless accepted.
   */
  @Test
  void infoAndVerifyOfACopyLeaveTheStoreOpenable() throws Exception {
    Path store = setUpStore();
    cli.run(
            "dynamodb",
            "create-table",
            "--table-name",
            "Music",
            "--attribute-definitions",
            "AttributeName=id,AttributeType=S",
            "--key-schema",
            "AttributeName=id,KeyType=HASH")
        .ok();
    Path backup = dir.resolve("backup");
    copyDir(store, backup);
    cli.run("info", "--store", backup.toString()).ok();
    cli.run("verify", "--store", backup.toString()).ok();
    cli.run("dynamodb", "list-tables").ok(); // the store itself: not refused
    cli.run("dynamodb", "put-item", "--table-name", "Music", "--item", "{\"id\": {\"S\": \"a\"}}")
        .ok();
    CliRun.Result older = cli.run("verify", "--store", backup.toString());
    assertThat(older.exitCode()).isNotZero();
    assertThat(older.err()).contains("older than its rollback anchor");
    cli.run("verify", "--store", backup.toString(), "--accept-rollback").ok();
    cli.run("dynamodb", "list-tables").ok(); // accepting while only looking moved nothing
  }

  /**
   * Every command that only reads opens the store without moving its anchor, as {@code info} and
   * {@code verify} do: run on a backup copy (which shares the store's anchor), none of them makes
   * the copy the store's newest state, so the store itself stays openable (before, each of them
   * moved the anchor and the store was then refused as rolled back). An older copy is still refused
   * by them.
   */
  @Test
  void commandsThatOnlyReadACopyLeaveTheStoreOpenable() throws Exception {
    Path store = setUpStore();
    cli.run(
            "dynamodb",
            "create-table",
            "--table-name",
            "Music",
            "--attribute-definitions",
            "AttributeName=id,AttributeType=S",
            "--key-schema",
            "AttributeName=id,KeyType=HASH")
        .ok();
    cli.run("dynamodb", "put-item", "--table-name", "Music", "--item", "{\"id\": {\"S\": \"a\"}}")
        .ok();
    Path backup = dir.resolve("backup");
    copyDir(store, backup);
    String key = "{\"id\": {\"S\": \"a\"}}";
    List<List<String>> reads =
        List.of(
            List.of("dynamodb", "get-item", "--table-name", "Music", "--key", key),
            List.of(
                "dynamodb",
                "query",
                "--table-name",
                "Music",
                "--key-condition-expression",
                "id = :v",
                "--expression-attribute-values",
                "{\":v\": {\"S\": \"a\"}}"),
            List.of("dynamodb", "scan", "--table-name", "Music"),
            List.of("dynamodb", "describe-table", "--table-name", "Music"),
            List.of("dynamodb", "list-tables"),
            List.of(
                "dynamodb",
                "batch-get-item",
                "--request-items",
                "{\"Music\": {\"Keys\": [" + key + "]}}"),
            List.of(
                "dynamodb",
                "transact-get-items",
                "--transact-items",
                "[{\"Get\": {\"TableName\": \"Music\", \"Key\": " + key + "}}]"),
            List.of("export", "--table-name", "Music"));
    for (List<String> read : reads) {
      cli.env.put("COFFER_STORE", backup.toString());
      cli.run(read.toArray(String[]::new)).ok();
      cli.env.put("COFFER_STORE", store.toString());
      CliRun.Result live = cli.run("dynamodb", "get-item", "--table-name", "Music", "--key", key);
      assertThat(live.exitCode()).as("the store after %s on a copy", read).isZero();
    }
    // the store moves on (a write); the copy is now older, and a read of it is refused
    cli.run("dynamodb", "put-item", "--table-name", "Music", "--item", "{\"id\": {\"S\": \"b\"}}")
        .ok();
    cli.env.put("COFFER_STORE", backup.toString());
    CliRun.Result older = cli.run("dynamodb", "scan", "--table-name", "Music");
    assertThat(older.exitCode()).isNotZero();
    assertThat(older.err()).contains("older than its rollback anchor");
  }

  @Test
  void aStoreRolledBackIsRefusedUntilAccepted() throws Exception {
    Path store = setUpStore();
    cli.run(
            "dynamodb",
            "create-table",
            "--table-name",
            "Music",
            "--attribute-definitions",
            "AttributeName=id,AttributeType=S",
            "--key-schema",
            "AttributeName=id,KeyType=HASH")
        .ok();
    Path copy = dir.resolve("copy");
    copyDir(store, copy);
    cli.run("dynamodb", "put-item", "--table-name", "Music", "--item", "{\"id\": {\"S\": \"a\"}}")
        .ok();
    copyBack(store, copy);
    CliRun.Result refused = cli.run("dynamodb", "list-tables");
    assertThat(refused.exitCode()).isNotZero();
    assertThat(refused.err())
        .contains("older than its rollback anchor")
        .contains("--accept-rollback");
    assertThat(
            cli.run("dynamodb", "scan", "--table-name", "Music", "--accept-rollback")
                .ok()
                .json()
                .get("Count")
                .asInt())
        .isZero();
    // for that run only; the store was anchored anew and records the acceptance
    cli.run("dynamodb", "list-tables").ok();
    JsonNode accepted = cli.run("info").ok().json().get("LastAcceptedRollback");
    assertThat(accepted.get("Reason").asText()).isEqualTo("OLDER_THAN_ANCHOR");
    assertThat(accepted.get("FoundEpoch").asLong())
        .isLessThan(accepted.get("AnchoredEpoch").asLong());
    assertThat(cli.run("verify").ok().json().get("LastAcceptedRollback").get("Reason").asText())
        .isEqualTo("OLDER_THAN_ANCHOR");
    // the deprecated variable still accepts
    copyBack(store, copy);
    assertThat(cli.run("dynamodb", "list-tables").exitCode()).isNotZero();
    cli.env.put("COFFER_ACCEPT_ROLLBACK", "true");
    cli.run("dynamodb", "list-tables").ok();
    cli.env.remove("COFFER_ACCEPT_ROLLBACK");
    cli.run("dynamodb", "list-tables").ok();
    try (Stream<Path> anchors = Files.list(dir.resolve("keys").resolve("keystore.anchors"))) {
      assertThat(anchors.filter(f -> f.toString().endsWith(".anchor")).count()).isEqualTo(1);
    }
  }
}
