package dev.coffer.cli.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coffer.cli.CliRun;
import dev.coffer.kms.KeyProviders;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * With a {@code local:} keystore the command line keeps each store's rollback anchor beside the
 * keystore: a store directory put back from an older copy is refused, and {@code
 * COFFER_ACCEPT_ROLLBACK=true} opens it (a deliberate restore from a backup).
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

  @Test
  void aStoreRolledBackIsRefusedUntilAccepted() throws Exception {
    cli.opener = KeyProviders::open;
    cli.env.put(
        "COFFER_KEY_PROVIDER", "local:" + dir.resolve("keys").resolve("keystore") + "?create");
    byte[] raw = new byte[32];
    new SecureRandom().nextBytes(raw);
    cli.env.put("COFFER_KEYSTORE_KEY", Base64.getEncoder().encodeToString(raw));
    Path store = dir.resolve("store");
    cli.env.put("COFFER_STORE", store.toString());
    cli.env.put("COFFER_MASTER_KEY", cli.createKey("store key"));
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
    try (Stream<Path> files = Files.walk(store)) {
      for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(f);
      }
    }
    copyDir(copy, store);
    CliRun.Result refused = cli.run("dynamodb", "list-tables");
    assertThat(refused.exitCode()).isNotZero();
    assertThat(refused.err()).contains("older than its rollback anchor");
    cli.env.put("COFFER_ACCEPT_ROLLBACK", "true");
    assertThat(
            cli.run("dynamodb", "scan", "--table-name", "Music").ok().json().get("Count").asInt())
        .isZero();
    cli.env.remove("COFFER_ACCEPT_ROLLBACK");
    cli.run("dynamodb", "list-tables").ok();
    try (Stream<Path> anchors = Files.list(dir.resolve("keys").resolve("keystore.anchors"))) {
      assertThat(anchors.filter(f -> f.toString().endsWith(".anchor")).count()).isEqualTo(1);
    }
  }
}
