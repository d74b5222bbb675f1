package dev.coffer.cli.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.coffer.cli.CliRun;
import dev.coffer.cli.ExitCode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every {@code coffer dynamodb} command against a store in a temporary directory. */
class DynamoDbCommandsTest {
  private final CliRun cli = new CliRun();
  @TempDir Path dir;

  @BeforeEach
  void store() {
    cli.env.put("COFFER_STORE", dir.resolve("store").toString());
    cli.env.put("COFFER_MASTER_KEY", cli.createKey("store key"));
  }

  private void createMusic() {
    cli.run(
            "dynamodb",
            "create-table",
            "--table-name",
            "Music",
            "--attribute-definitions",
            "AttributeName=Artist,AttributeType=S",
            "AttributeName=SongTitle,AttributeType=S",
            "--key-schema",
            "AttributeName=Artist,KeyType=HASH",
            "AttributeName=SongTitle,KeyType=RANGE",
            "--billing-mode",
            "PAY_PER_REQUEST")
        .ok();
  }

  private void put(String artist, String title, int year) {
    cli.run(
            "dynamodb",
            "put-item",
            "--table-name",
            "Music",
            "--item",
            "{\"Artist\": {\"S\": \""
                + artist
                + "\"}, \"SongTitle\": {\"S\": \""
                + title
                + "\"}, \"Year\": {\"N\": \""
                + year
                + "\"}}")
        .ok();
  }

  private static String key(String artist, String title) {
    return "{\"Artist\": {\"S\": \"" + artist + "\"}, \"SongTitle\": {\"S\": \"" + title + "\"}}";
  }

  @Test
  void createTableWithShorthandPrintsTheTableDescription() {
    JsonNode d =
        cli.run(
                "dynamodb",
                "create-table",
                "--table-name",
                "Music",
                "--attribute-definitions",
                "AttributeName=Artist,AttributeType=S",
                "AttributeName=SongTitle,AttributeType=S",
                "--key-schema",
                "AttributeName=Artist,KeyType=HASH",
                "AttributeName=SongTitle,KeyType=RANGE")
            .ok()
            .json()
            .get("TableDescription");
    assertThat(d.get("TableName").asText()).isEqualTo("Music");
    assertThat(d.get("TableStatus").asText()).isEqualTo("ACTIVE");
    assertThat(d.at("/KeySchema/0/AttributeName").asText()).isEqualTo("Artist");
    assertThat(d.at("/KeySchema/0/KeyType").asText()).isEqualTo("HASH");
    assertThat(d.at("/KeySchema/1/KeyType").asText()).isEqualTo("RANGE");
    assertThat(d.at("/AttributeDefinitions/1/AttributeType").asText()).isEqualTo("S");
    assertThat(d.get("TableArn").asText())
        .matches("arn:aws:dynamodb:[a-z0-9-]+:\\d{12}:table/Music");
    assertThat(d.get("TableId").asText())
        .matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    assertThat(d.get("ItemCount").asInt()).isZero();
    assertThat(d.get("CreationDateTime").asText()).endsWith("+00:00");
  }

  @Test
  void createTableWithJsonAndFileInputs() throws Exception {
    Path schema = dir.resolve("key-schema.json");
    Files.writeString(schema, "[{\"AttributeName\": \"id\", \"KeyType\": \"HASH\"}]");
    cli.run(
            "dynamodb",
            "create-table",
            "--table-name",
            "Users",
            "--attribute-definitions",
            "[{\"AttributeName\": \"id\", \"AttributeType\": \"N\"}]",
            "--key-schema",
            "file://" + schema,
            "--provisioned-throughput",
            "ReadCapacityUnits=5,WriteCapacityUnits=5")
        .ok();
    JsonNode t =
        cli.run("dynamodb", "describe-table", "--table-name", "Users").ok().json().get("Table");
    assertThat(t.at("/AttributeDefinitions/0/AttributeType").asText()).isEqualTo("N");
    assertThat(t.get("KeySchema")).hasSize(1);
    // the throughput makes the table PROVISIONED; each describe-table is a new process
    assertThat(t.at("/ProvisionedThroughput/ReadCapacityUnits").asLong()).isEqualTo(5);
    assertThat(t.at("/ProvisionedThroughput/WriteCapacityUnits").asLong()).isEqualTo(5);
    assertThat(t.has("BillingModeSummary")).isFalse();
  }

  @Test
  void capacitySettingsAreKeptAndDescribedBackAsDynamoDbDescribesThem() {
    createMusic();
    JsonNode music =
        cli.run("dynamodb", "describe-table", "--table-name", "Music").ok().json().get("Table");
    assertThat(music.at("/BillingModeSummary/BillingMode").asText()).isEqualTo("PAY_PER_REQUEST");
    assertThat(music.at("/ProvisionedThroughput/ReadCapacityUnits").asLong()).isZero();
    String[] create = {
      "dynamodb",
      "create-table",
      "--table-name",
      "Albums",
      "--attribute-definitions",
      "AttributeName=Artist,AttributeType=S",
      "--key-schema",
      "AttributeName=Artist,KeyType=HASH"
    };
    assertThat(cli.run(concat(create, "--billing-mode", "PROVISIONED")).failsWith(ExitCode.FAILED))
        .isEqualTo(
            "An error occurred (ValidationException) when calling the CreateTable operation: One or"
                + " more parameter values were invalid: ReadCapacityUnits and WriteCapacityUnits"
                + " must both be specified when BillingMode is PROVISIONED");
    assertThat(
            cli.run(
                    concat(
                        create,
                        "--billing-mode",
                        "PAY_PER_REQUEST",
                        "--provisioned-throughput",
                        "ReadCapacityUnits=1,WriteCapacityUnits=1"))
                .failsWith(ExitCode.FAILED))
        .isEqualTo(
            "An error occurred (ValidationException) when calling the CreateTable operation: One or"
                + " more parameter values were invalid: Neither ReadCapacityUnits nor"
                + " WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST");
    JsonNode created =
        cli.run(
                concat(
                    create,
                    "--billing-mode",
                    "PROVISIONED",
                    "--provisioned-throughput",
                    "ReadCapacityUnits=3,WriteCapacityUnits=7"))
            .ok()
            .json()
            .get("TableDescription");
    assertThat(created.at("/ProvisionedThroughput/ReadCapacityUnits").asLong()).isEqualTo(3);
    JsonNode albums =
        cli.run("dynamodb", "describe-table", "--table-name", "Albums").ok().json().get("Table");
    assertThat(albums.at("/ProvisionedThroughput/ReadCapacityUnits").asLong()).isEqualTo(3);
    assertThat(albums.at("/ProvisionedThroughput/WriteCapacityUnits").asLong()).isEqualTo(7);
    assertThat(albums.has("BillingModeSummary")).isFalse();
  }

  private static String[] concat(String[] a, String... b) {
    String[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  @Test
  void listAndDeleteTables() {
    createMusic();
    cli.run(
            "dynamodb",
            "create-table",
            "--table-name",
            "Albums",
            "--attribute-definitions",
            "AttributeName=Artist,AttributeType=S",
            "--key-schema",
            "AttributeName=Artist,KeyType=HASH")
        .ok();
    assertThat(cli.run("dynamodb", "list-tables").ok().json().get("TableNames").toString())
        .isEqualTo("[\"Albums\",\"Music\"]");
    JsonNode deleted = cli.run("dynamodb", "delete-table", "--table-name", "Albums").ok().json();
    assertThat(deleted.at("/TableDescription/TableStatus").asText()).isEqualTo("DELETING");
    assertThat(
            cli.run("dynamodb", "list-tables", "--query", "TableNames", "--output", "text")
                .ok()
                .out()
                .strip())
        .isEqualTo("Music");
    assertThat(cli.run("dynamodb", "describe-table", "--table-name", "Albums").failsWith(1))
        .startsWith(
            "An error occurred (ResourceNotFoundException) when calling the DescribeTable operation: ");
  }

  @Test
  void putGetAndDeleteItems() {
    createMusic();
    put("Acme Band", "Happy Day", 2020);
    assertThat(
            cli.run(
                    "dynamodb",
                    "get-item",
                    "--table-name",
                    "Music",
                    "--key",
                    key("Acme Band", "Happy Day"))
                .ok()
                .json()
                .at("/Item/Year/N")
                .asText())
        .isEqualTo("2020");

    JsonNode old =
        cli.run(
                "dynamodb",
                "put-item",
                "--table-name",
                "Music",
                "--return-values",
                "ALL_OLD",
                "--item",
                "{\"Artist\": {\"S\": \"Acme Band\"}, \"SongTitle\": {\"S\": \"Happy Day\"}, \"Tags\": {\"SS\": [\"a\", \"b\"]},"
                    + " \"Meta\": {\"M\": {\"live\": {\"BOOL\": true}, \"n\": {\"NULL\": true}, \"l\": {\"L\": [{\"N\": \"1\"}]}}},"
                    + " \"Raw\": {\"B\": \"AAEC\"}}")
            .ok()
            .json();
    assertThat(old.at("/Attributes/Year/N").asText()).isEqualTo("2020");

    JsonNode item =
        cli.run(
                "dynamodb",
                "get-item",
                "--table-name",
                "Music",
                "--key",
                key("Acme Band", "Happy Day"))
            .ok()
            .json()
            .get("Item");
    assertThat(item.has("Year")).isFalse();
    assertThat(item.at("/Tags/SS").toString()).isEqualTo("[\"a\",\"b\"]");
    assertThat(item.at("/Meta/M/live/BOOL").asBoolean()).isTrue();
    assertThat(item.at("/Meta/M/l/L/0/N").asText()).isEqualTo("1");
    assertThat(item.at("/Raw/B").asText()).isEqualTo("AAEC");
    assertThat(
            cli.run(
                    "dynamodb",
                    "get-item",
                    "--table-name",
                    "Music",
                    "--key",
                    key("Acme Band", "Happy Day"),
                    "--projection-expression",
                    "Meta.l[0], Meta.live")
                .ok()
                .json()
                .get("Item")
                .toString())
        .isEqualTo("{\"Meta\":{\"M\":{\"l\":{\"L\":[{\"N\":\"1\"}]},\"live\":{\"BOOL\":true}}}}");

    assertThat(
            cli.run(
                    "dynamodb",
                    "delete-item",
                    "--table-name",
                    "Music",
                    "--key",
                    key("Acme Band", "Happy Day"),
                    "--return-values",
                    "ALL_OLD")
                .ok()
                .json()
                .at("/Attributes/Raw/B")
                .asText())
        .isEqualTo("AAEC");
    assertThat(
            cli.run(
                    "dynamodb",
                    "get-item",
                    "--table-name",
                    "Music",
                    "--key",
                    key("Acme Band", "Happy Day"))
                .ok()
                .out())
        .isEmpty();
    assertThat(
            cli.run(
                    "dynamodb",
                    "delete-item",
                    "--table-name",
                    "Music",
                    "--key",
                    key("Acme Band", "Happy Day"))
                .ok()
                .out())
        .isEmpty();
  }

  @Test
  void getItemWithAProjection() {
    createMusic();
    put("Acme Band", "Happy Day", 2020);
    JsonNode item =
        cli.run(
                "dynamodb",
                "get-item",
                "--table-name",
                "Music",
                "--key",
                key("Acme Band", "Happy Day"),
                "--projection-expression",
                "SongTitle, #y",
                "--expression-attribute-names",
                "{\"#y\": \"Year\"}")
            .ok()
            .json()
            .get("Item");
    assertThat(item.fieldNames()).toIterable().containsExactlyInAnyOrder("SongTitle", "Year");
    assertThat(
            cli.run(
                    "dynamodb",
                    "get-item",
                    "--table-name",
                    "Music",
                    "--key",
                    key("Acme Band", "Happy Day"),
                    "--projection-expression",
                    "SongTitle, Year")
                .failsWith(1))
        .contains("ValidationException")
        .contains("reserved keyword: Year");
    assertThat(
            cli.run(
                    "dynamodb",
                    "get-item",
                    "--table-name",
                    "Music",
                    "--key",
                    key("Acme Band", "Happy Day"),
                    "--projection-expression",
                    "nope")
                .ok()
                .json()
                .get("Item")
                .toString())
        .isEqualTo("{}");
    assertThat(
            cli.run(
                    "dynamodb",
                    "get-item",
                    "--table-name",
                    "Music",
                    "--key",
                    key("Acme Band", "Happy Day"),
                    "--projection-expression",
                    "SongTitle",
                    "--expression-attribute-names",
                    "{\"#y\": \"Year\"}")
                .failsWith(1))
        .contains("unused in expressions: keys: {#y}");
  }

  @Test
  void badJsonIsAUsageErrorAndWritesNothing() {
    createMusic();
    String line =
        cli.run("dynamodb", "put-item", "--table-name", "Music", "--item", "{\"Artist\": {\"S\": ")
            .failsWith(2);
    assertThat(line).startsWith("Error parsing parameter '--item': Invalid JSON: ");
    assertThat(
            cli.run(
                    "dynamodb",
                    "put-item",
                    "--table-name",
                    "Music",
                    "--item",
                    "{\"Artist\": {\"X\": \"a\"}, \"SongTitle\": {\"S\": \"b\"}}")
                .failsWith(2))
        .isEqualTo(
            "Parameter validation failed: Unknown parameter in Item.Artist: \"X\", must be one of:"
                + " S, N, B, SS, NS, BS, M, L, NULL, BOOL");
    assertThat(
            cli.run(
                    "dynamodb",
                    "put-item",
                    "--table-name",
                    "Music",
                    "--item",
                    "file://" + dir.resolve("nope"))
                .failsWith(2))
        .startsWith("Error parsing parameter '--item': Unable to load paramfile");
    assertThat(
            cli.run("dynamodb", "scan", "--table-name", "Music", "--query", "Count")
                .ok()
                .out()
                .strip())
        .isEqualTo("0");
  }

  @Test
  void serviceErrorsNameTheOperation() {
    createMusic();
    assertThat(
            cli.run(
                    "dynamodb",
                    "put-item",
                    "--table-name",
                    "Music",
                    "--item",
                    "{\"Artist\": {\"S\": \"a\"}}")
                .failsWith(1))
        .startsWith("An error occurred (ValidationException) when calling the PutItem operation: ");
    assertThat(
            cli.run(
                    "dynamodb",
                    "put-item",
                    "--table-name",
                    "Music",
                    "--item",
                    "{\"Artist\": {\"S\": \"a\"}, \"SongTitle\": {\"S\": \"b\"}, \"n\": {\"N\": \"x\"}}")
                .failsWith(1))
        .startsWith("An error occurred (ValidationException) when calling the PutItem operation: ");
    assertThat(
            cli.run(
                    "dynamodb",
                    "get-item",
                    "--table-name",
                    "Music",
                    "--key",
                    "{\"Artist\": {\"S\": \"a\"}}")
                .failsWith(1))
        .isEqualTo(
            "An error occurred (ValidationException) when calling the GetItem operation:"
                + " The provided key element does not match the schema");
    assertThat(
            cli.run(
                    "dynamodb",
                    "put-item",
                    "--table-name",
                    "Nope",
                    "--item",
                    "{\"a\": {\"S\": \"a\"}}")
                .failsWith(1))
        .startsWith(
            "An error occurred (ResourceNotFoundException) when calling the PutItem operation: ");
    assertThat(
            cli.run(
                    "dynamodb",
                    "put-item",
                    "--table-name",
                    "Music",
                    "--item",
                    "{\"a\": {\"S\": \"a\"}}",
                    "--return-values",
                    "UPDATED_NEW")
                .failsWith(1))
        .isEqualTo(
            "An error occurred (ValidationException) when calling the PutItem operation: ReturnValues can only"
                + " be ALL_OLD or NONE");
    assertThat(
            cli.run(
                    "dynamodb",
                    "create-table",
                    "--table-name",
                    "Music",
                    "--attribute-definitions",
                    "AttributeName=Artist,AttributeType=S",
                    "--key-schema",
                    "AttributeName=Artist,KeyType=HASH")
                .failsWith(1))
        .startsWith(
            "An error occurred (ResourceInUseException) when calling the CreateTable operation: ");
    assertThat(
            cli.run(
                    "dynamodb",
                    "create-table",
                    "--table-name",
                    "Other",
                    "--attribute-definitions",
                    "AttributeName=Artist,AttributeType=S",
                    "--key-schema",
                    "AttributeName=Artist,KeyType=RANGE")
                .failsWith(1))
        .contains("ValidationException");
    assertThat(
            cli.run(
                    "dynamodb",
                    "create-table",
                    "--table-name",
                    "Other",
                    "--attribute-definitions",
                    "AttributeName=Artist",
                    "--key-schema",
                    "AttributeName=Artist,KeyType=HASH")
                .failsWith(2))
        .startsWith("Error parsing parameter '--attribute-definitions': ");
  }

  @Test
  void missingStoreAndUnknownOptionsAreUsageErrors() {
    cli.env.remove("COFFER_STORE");
    assertThat(cli.run("dynamodb", "list-tables").failsWith(2))
        .startsWith("No store: pass --store DIR");
    assertThat(
            cli.run(
                    "dynamodb",
                    "put-item",
                    "--table-name",
                    "Music",
                    "--item",
                    "{}",
                    "--expected",
                    "{}")
                .failsWith(2))
        .contains("Unknown options: '--expected'");
  }

  @Test
  void batchWriteItemPutsAndDeletesOrNothing() throws Exception {
    createMusic();
    put("A", "old", 1);
    Path request = dir.resolve("batch.json");
    Files.writeString(
        request,
        "{\"Music\": ["
            + "{\"PutRequest\": {\"Item\": "
            + key("A", "one")
            + "}},"
            + "{\"PutRequest\": {\"Item\": "
            + key("A", "two")
            + "}},"
            + "{\"DeleteRequest\": {\"Key\": "
            + key("A", "old")
            + "}}]}");
    assertThat(
            cli.run("dynamodb", "batch-write-item", "--request-items", "file://" + request)
                .ok()
                .out())
        .contains("\"UnprocessedItems\": {}");
    assertThat(
            cli.run(
                    "dynamodb",
                    "scan",
                    "--table-name",
                    "Music",
                    "--query",
                    "Items[].SongTitle.S",
                    "--output",
                    "text")
                .ok()
                .out()
                .strip()
                .split("\\s+"))
        .containsExactlyInAnyOrder("one", "two");

    String bad =
        "{\"Music\": [{\"PutRequest\": {\"Item\": "
            + key("A", "three")
            + "}},"
            + "{\"DeleteRequest\": {\"Key\": {\"Artist\": {\"S\": \"A\"}}}}]}";
    assertThat(cli.run("dynamodb", "batch-write-item", "--request-items", bad).failsWith(1))
        .contains("The provided key element does not match the schema");
    StringBuilder many = new StringBuilder("{\"Music\": [");
    for (int i = 0; i < 26; i++) {
      many.append(i == 0 ? "" : ",")
          .append("{\"PutRequest\": {\"Item\": ")
          .append(key("B", "s" + i))
          .append("}}");
    }
    assertThat(cli.run("dynamodb", "batch-write-item", "--request-items", many + "]}").failsWith(1))
        .contains("less than or equal to 25");
    String duplicate =
        "{\"Music\": [{\"PutRequest\": {\"Item\": "
            + key("C", "x")
            + "}},"
            + "{\"DeleteRequest\": {\"Key\": "
            + key("C", "x")
            + "}}]}";
    assertThat(cli.run("dynamodb", "batch-write-item", "--request-items", duplicate).failsWith(1))
        .contains("duplicates");
    assertThat(
            cli.run("dynamodb", "scan", "--table-name", "Music", "--query", "Count")
                .ok()
                .out()
                .strip())
        .isEqualTo("2");
  }

  @Test
  void anotherPrincipalCannotOpenTheStore() {
    createMusic();
    assertThat(
            cli.run("--principal", "bob", "dynamodb", "scan", "--table-name", "Music").failsWith(1))
        .startsWith("An error occurred (AccessDeniedException) when calling the Scan operation: ");
  }

  @Test
  void everyCommandHasAnExample() {
    for (String c :
        new String[] {
          "create-table",
          "describe-table",
          "list-tables",
          "delete-table",
          "put-item",
          "get-item",
          "delete-item",
          "update-item",
          "query",
          "scan",
          "batch-get-item",
          "batch-write-item",
          "transact-write-items",
          "transact-get-items"
        }) {
      assertThat(cli.run("dynamodb", c, "--help").ok().out())
          .as(c)
          .contains("coffer dynamodb " + c);
    }
  }
}
