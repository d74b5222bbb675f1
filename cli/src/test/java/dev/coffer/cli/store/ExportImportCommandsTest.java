package dev.coffer.cli.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.coffer.cli.CliRun;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code export}, {@code import} (plain, gzipped, a directory as S3 writes it) and {@code info}.
 */
class ExportImportCommandsTest {
  private final CliRun cli = new CliRun();
  @TempDir Path dir;

  @BeforeEach
  void store() {
    cli.env.put("COFFER_STORE", dir.resolve("store").toString());
    cli.env.put("COFFER_MASTER_KEY", cli.createKey("store key"));
    for (String table : new String[] {"Source", "Target"}) {
      cli.run(
              "dynamodb",
              "create-table",
              "--table-name",
              table,
              "--attribute-definitions",
              "AttributeName=pk,AttributeType=S",
              "AttributeName=sk,AttributeType=N",
              "--key-schema",
              "AttributeName=pk,KeyType=HASH",
              "AttributeName=sk,KeyType=RANGE")
          .ok();
    }
  }

  private void put(String table, String pk, int sk) {
    cli.run(
            "dynamodb",
            "put-item",
            "--table-name",
            table,
            "--item",
            "{\"pk\": {\"S\": \""
                + pk
                + "\"}, \"sk\": {\"N\": \""
                + sk
                + "\"}, \"tags\": {\"SS\": [\"x\", \"y\"]}, \"blob\": {\"B\": \"3q2+7w==\"}}")
        .ok();
  }

  private JsonNode scan(String table) {
    return cli.run("dynamodb", "scan", "--table-name", table).ok().json();
  }

  @Test
  void exportThenImportRoundTrips() throws Exception {
    for (int i = 0; i < 12; i++) {
      put("Source", "p" + (i % 3), i);
    }
    Path file = dir.resolve("source.json.gz");
    JsonNode summary =
        cli.run("export", "--table-name", "Source", "--output-file", file.toString()).ok().json();
    assertThat(summary.get("ItemCount").asInt()).isEqualTo(12);

    JsonNode imported =
        cli.run("import", "--table-name", "Target", "--input-file", file.toString()).ok().json();
    assertThat(imported.get("ImportedItemCount").asInt()).isEqualTo(12);
    assertThat(scan("Target").get("Items"))
        .containsExactlyInAnyOrderElementsOf(scan("Source").get("Items"));

    String stdout = cli.run("export", "--table-name", "Target").ok().out();
    assertThat(stdout.lines()).hasSize(12).allSatisfy(l -> assertThat(l).startsWith("{\"Item\":{"));
  }

  @Test
  void importsADynamoDbS3ExportDirectory() throws Exception {
    Path data = Files.createDirectories(dir.resolve("AWSDynamoDB/01700000000000-abcdef12/data"));
    gzip(
        data.resolve("aaaa.json.gz"),
        List.of(
            "{\"Item\":{\"pk\":{\"S\":\"a\"},\"sk\":{\"N\":\"1\"},\"m\":{\"M\":{\"k\":{\"L\":[{\"NULL\":true}]}}}}}",
            "{\"Item\":{\"pk\":{\"S\":\"a\"},\"sk\":{\"N\":\"2\"}}}"));
    gzip(
        data.resolve("bbbb.json.gz"),
        List.of("{\"Item\":{\"pk\":{\"S\":\"b\"},\"sk\":{\"N\":\"1\"}}}"));
    Files.writeString(data.resolve("manifest-summary.md5"), "ignored");
    JsonNode r =
        cli.run("import", "--table-name", "Target", "--input-file", data.toString()).ok().json();
    assertThat(r.get("ImportedItemCount").asInt()).isEqualTo(3);
    assertThat(r.get("InputFiles")).hasSize(2);
    assertThat(scan("Target").get("Count").asInt()).isEqualTo(3);
  }

  @Test
  void aBadLineImportsNothing() throws Exception {
    Path file = dir.resolve("bad.json");
    Files.writeString(
        file,
        "{\"Item\":{\"pk\":{\"S\":\"a\"},\"sk\":{\"N\":\"1\"}}}\n"
            + "{\"Item\":{\"pk\":{\"S\":\"b\"}}}\n");
    assertThat(
            cli.run("import", "--table-name", "Target", "--input-file", file.toString())
                .failsWith(1))
        .isEqualTo(
            "An error occurred (ValidationException): Cannot import "
                + file
                + " line 2: One or more parameter"
                + " values were invalid: Missing the key sk in the item");
    Files.writeString(file, "{\"Item\":{\"pk\":{\"S\":\"a\"},\"sk\":{\"N\":\"1\"}}}\nnot json\n");
    assertThat(
            cli.run("import", "--table-name", "Target", "--input-file", file.toString())
                .failsWith(2))
        .startsWith(
            "Cannot import "
                + file
                + " line 2: Invalid JSON: Unrecognized token 'not': was expecting")
        .endsWith("; line received: not json");
    assertThat(
            cli.run(
                    "import",
                    "--table-name",
                    "Target",
                    "--input-file",
                    dir.resolve("none").toString())
                .failsWith(2))
        .startsWith("Error parsing parameter '--input-file': No such file");
    assertThat(scan("Target").get("Count").asInt()).isZero();
  }

  @Test
  void infoListsTablesAndCountsItems() {
    put("Source", "p", 1);
    put("Source", "p", 2);
    JsonNode info = cli.run("info", "--count-items").ok().json();
    assertThat(info.get("Store").asText()).isEqualTo(dir.resolve("store").toString());
    JsonNode source = info.get("Tables").get(0);
    assertThat(source.get("TableName").asText()).isEqualTo("Source");
    assertThat(source.get("ItemCount").asInt()).isEqualTo(2);
    assertThat(source.at("/KeySchema/1/AttributeName").asText()).isEqualTo("sk");
    assertThat(source.get("PageTargetBytes").asInt()).isEqualTo(4096);
    assertThat(source.get("DataKeyVersions").get(0).asInt())
        .isEqualTo(source.get("PrimaryDataKeyVersion").asInt());
    assertThat(cli.run("info").ok().json().at("/Tables/0").has("ItemCount")).isFalse();
  }

  private static void gzip(Path file, List<String> lines) throws Exception {
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
      out.write((String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8));
    }
  }

  @Test
  void everyStoreCommandHasHelpWithAnExample() {
    for (String c : new String[] {"verify", "info", "export", "import", "audit"}) {
      assertThat(cli.run(c, "--help").ok().out()).as(c).contains("coffer " + c).contains("Example");
    }
  }
}
