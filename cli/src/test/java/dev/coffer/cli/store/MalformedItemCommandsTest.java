package dev.coffer.cli.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.coffer.AttributeValue;
import dev.coffer.Coffer;
import dev.coffer.CofferOptions;
import dev.coffer.StoredItemForgery;
import dev.coffer.cli.CliRun;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command line on a store holding an item it cannot decode (nested 40 levels deep, sealed under
 * the table's data key like any item; issue 16, failure 1): {@code verify} reports it with table,
 * partition and node and exits 1; {@code get-item}, {@code query}, {@code scan} and {@code export}
 * (to stdout or a file) fail with exit 1 and one line naming where the item is, and export leaves
 * no file; {@code delete-item} removes it, after which everything reads again.
 */
class MalformedItemCommandsTest {
  private static final String KEY_3 = "{\"pk\": {\"S\": \"p\"}, \"sk\": {\"N\": \"3\"}}";

  private final CliRun cli = new CliRun();
  @TempDir Path dir;
  private String keyId;

  @BeforeEach
  void storeWithAMalformedItem() {
    Path store = dir.resolve("store");
    keyId = cli.createKey("store key");
    cli.env.put("COFFER_STORE", store.toString());
    cli.env.put("COFFER_MASTER_KEY", keyId);
    cli.run(
            "dynamodb",
            "create-table",
            "--table-name",
            "Items",
            "--attribute-definitions",
            "AttributeName=pk,AttributeType=S",
            "AttributeName=sk,AttributeType=N",
            "--key-schema",
            "AttributeName=pk,KeyType=HASH",
            "AttributeName=sk,KeyType=RANGE")
        .ok();
    for (int sk = 1; sk <= 5; sk++) {
      cli.run(
              "dynamodb",
              "put-item",
              "--table-name",
              "Items",
              "--item",
              "{\"pk\": {\"S\": \"p\"}, \"sk\": {\"N\": \""
                  + sk
                  + "\"}, \"v\": {\"S\": \"value "
                  + sk
                  + "\"}}")
          .ok();
    }
    try (Coffer c =
        Coffer.open(
            store, CofferOptions.builder().keyProvider(cli.provider).masterKeyId(keyId).build())) {
      StoredItemForgery.put(
          c,
          "Items",
          AttributeValue.s("p"),
          AttributeValue.n(3),
          StoredItemForgery.nested("p", 3, 40));
    }
  }

  @Test
  void verifyReportsItWithItsLocation() {
    CliRun.Result r = cli.run("verify");
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err().strip()).isEqualTo("coffer verify: 1 finding (1 CORRUPT_RECORD)");
    JsonNode finding = r.json().at("/Tables/0/Findings/0");
    assertThat(finding.get("Kind").asText()).isEqualTo("CORRUPT_RECORD");
    assertThat(finding.get("TableName").asText()).isEqualTo("Items");
    String token = finding.get("PartitionToken").asText();
    assertThat(token).matches("[0-9a-f]{32}");
    assertThat(finding.get("Location").asText())
        .isEqualTo("partition " + token + " node " + finding.get("NodeId").asLong());
    assertThat(finding.get("Message").asText())
        .isEqualTo(
            "A stored item is malformed: it is nested deeper than 32"
                + " levels (item 2 of the leaf, sort key {\"N\":\"3\"})");
  }

  @Test
  void readsAndExportFailWithOneLineNamingTheItem() throws Exception {
    String where = "(table Items, partition ";
    String item = " item with sort key {\"N\":\"3\"})";
    assertThat(
            cli.run("dynamodb", "get-item", "--table-name", "Items", "--key", KEY_3).failsWith(1))
        .startsWith(
            "An error occurred (CorruptionException) when calling the GetItem operation: A stored item is"
                + " malformed: it is nested deeper than 32 levels "
                + where)
        .endsWith(item);
    assertThat(
            cli.run(
                    "dynamodb",
                    "query",
                    "--table-name",
                    "Items",
                    "--key-condition-expression",
                    "pk = :p",
                    "--expression-attribute-values",
                    "{\":p\": {\"S\": \"p\"}}")
                .failsWith(1))
        .startsWith(
            "An error occurred (CorruptionException) when calling the Query operation: A stored item is"
                + " malformed")
        .endsWith(item);
    assertThat(cli.run("dynamodb", "scan", "--table-name", "Items").failsWith(1))
        .startsWith("An error occurred (CorruptionException) when calling the Scan operation")
        .endsWith(item);

    assertThat(cli.run("export", "--table-name", "Items").failsWith(1))
        .startsWith(
            "An error occurred (CorruptionException): A stored item is malformed: it is nested deeper"
                + " than 32 levels "
                + where)
        .endsWith(item);
    Path file = dir.resolve("items.json");
    assertThat(
            cli.run("export", "--table-name", "Items", "--output-file", file.toString())
                .failsWith(1))
        .startsWith("An error occurred (CorruptionException): A stored item is malformed")
        .endsWith(item);
    assertThat(file).as("a failed export leaves no file").doesNotExist();
    assertThat(Files.list(dir))
        .as("nor a temporary file")
        .allSatisfy(f -> assertThat(f.getFileName().toString()).isEqualTo("store"));
  }

  @Test
  void deletingTheItemRepairsTheTable() {
    cli.run("dynamodb", "delete-item", "--table-name", "Items", "--key", KEY_3).ok();
    assertThat(cli.run("verify").ok().json().get("FindingCount").asInt()).isZero();
    assertThat(cli.run("export", "--table-name", "Items").ok().out().lines()).hasSize(4);
    assertThat(
            cli.run("dynamodb", "scan", "--table-name", "Items").ok().json().get("Count").asInt())
        .isEqualTo(4);
  }
}
