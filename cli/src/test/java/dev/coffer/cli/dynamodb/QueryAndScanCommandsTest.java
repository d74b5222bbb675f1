package dev.coffer.cli.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.coffer.cli.CliRun;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code query} with every key condition form, and paging of query and scan. */
class QueryAndScanCommandsTest {
  private static final String VALUES =
      "{\":a\": {\"S\": \"A\"}, \":x\": {\"S\": \"s03\"}, \":y\": {\"S\": \"s06\"}}";

  private final CliRun cli = new CliRun();
  @TempDir Path dir;

  @BeforeEach
  void tableWithTenSongs() {
    cli.env.put("COFFER_STORE", dir.resolve("store").toString());
    cli.env.put("COFFER_MASTER_KEY", cli.createKey("store key"));
    cli.run(
            "dynamodb",
            "create-table",
            "--table-name",
            "Music",
            "--attribute-definitions",
            "AttributeName=Artist,AttributeType=S",
            "AttributeName=Song,AttributeType=S",
            "--key-schema",
            "AttributeName=Artist,KeyType=HASH",
            "AttributeName=Song,KeyType=RANGE")
        .ok();
    StringBuilder batch = new StringBuilder("{\"Music\": [");
    for (int i = 0; i < 10; i++) {
      batch
          .append(i == 0 ? "" : ",")
          .append("{\"PutRequest\": {\"Item\": {\"Artist\": {\"S\": \"A\"}, \"Song\": {\"S\": \"s0")
          .append(i)
          .append(
              "\"}}}},{\"PutRequest\": {\"Item\": {\"Artist\": {\"S\": \"B\"}, \"Song\": {\"S\": \"t")
          .append(i)
          .append("\"}}}}");
    }
    cli.run("dynamodb", "batch-write-item", "--request-items", batch + "]}").ok();
  }

  private List<String> songs(JsonNode response) {
    List<String> out = new ArrayList<>();
    response.get("Items").forEach(i -> out.add(i.at("/Song/S").asText()));
    return out;
  }

  private JsonNode query(String condition, String values, String... more) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "dynamodb",
                "query",
                "--table-name",
                "Music",
                "--key-condition-expression",
                condition,
                "--expression-attribute-values",
                values));
    args.addAll(List.of(more));
    return cli.run(args.toArray(String[]::new)).ok().json();
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "Artist = :a | s00 s01 s02 s03 s04 s05 s06 s07 s08 s09",
        "Artist = :a AND Song = :x | s03",
        "Artist = :a AND Song < :x | s00 s01 s02",
        "Artist = :a AND Song <= :x | s00 s01 s02 s03",
        "Artist = :a AND Song > :y | s07 s08 s09",
        "Artist = :a AND Song >= :y | s06 s07 s08 s09",
        "Artist = :a AND Song BETWEEN :x AND :y | s03 s04 s05 s06",
        "artist_placeholder | s03",
        "(Song >= :y) and (Artist = :a) | s06 s07 s08 s09",
      })
  void keyConditionForms(String condition, String expected) {
    String values = VALUES;
    if (condition.equals("artist_placeholder")) {
      condition = "#a = :a AND #s = :x";
      JsonNode r =
          cli.run(
                  "dynamodb",
                  "query",
                  "--table-name",
                  "Music",
                  "--key-condition-expression",
                  condition,
                  "--expression-attribute-names",
                  "{\"#a\": \"Artist\", \"#s\": \"Song\"}",
                  "--expression-attribute-values",
                  "{\":a\": {\"S\": \"A\"}, \":x\": {\"S\": \"s03\"}}")
              .ok()
              .json();
      assertThat(String.join(" ", songs(r))).isEqualTo(expected);
      return;
    }
    List<String> used = new ArrayList<>();
    for (String v : new String[] {":a", ":x", ":y"}) {
      if (condition.contains(v)) {
        used.add(
            "\""
                + v
                + "\": "
                + (v.equals(":a")
                    ? "{\"S\": \"A\"}"
                    : v.equals(":x") ? "{\"S\": \"s03\"}" : "{\"S\": \"s06\"}"));
      }
    }
    values = "{" + String.join(", ", used) + "}";
    JsonNode r = query(condition, values);
    assertThat(String.join(" ", songs(r))).isEqualTo(expected);
    assertThat(r.get("Count").asInt()).isEqualTo(expected.split(" ").length);
    assertThat(r.get("ScannedCount").asInt()).isEqualTo(r.get("Count").asInt());
  }

  @Test
  void beginsWithAndDescendingOrder() {
    JsonNode r =
        query(
            "Artist = :b AND begins_with(Song, :p)",
            "{\":b\": {\"S\": \"B\"}, \":p\": {\"S\": \"t\"}}",
            "--no-scan-index-forward");
    assertThat(songs(r))
        .containsExactly("t9", "t8", "t7", "t6", "t5", "t4", "t3", "t2", "t1", "t0");
  }

  @Test
  void queryPagesWithExclusiveStartKey() {
    List<String> all = new ArrayList<>();
    String start = null;
    int pages = 0;
    do {
      List<String> args =
          new ArrayList<>(
              List.of(
                  "dynamodb",
                  "query",
                  "--table-name",
                  "Music",
                  "--key-condition-expression",
                  "Artist = :a",
                  "--expression-attribute-values",
                  "{\":a\": {\"S\": \"A\"}}",
                  "--limit",
                  "4"));
      if (start != null) {
        args.addAll(List.of("--exclusive-start-key", start));
      }
      JsonNode r = cli.run(args.toArray(String[]::new)).ok().json();
      assertThat(r.get("Count").asInt()).isLessThanOrEqualTo(4);
      assertThat(r.has("ConsumedCapacity")).isFalse();
      all.addAll(songs(r));
      start = r.has("LastEvaluatedKey") ? r.get("LastEvaluatedKey").toString() : null;
      pages++;
    } while (start != null);
    assertThat(all)
        .containsExactly("s00", "s01", "s02", "s03", "s04", "s05", "s06", "s07", "s08", "s09");
    assertThat(pages).isBetween(3, 4);
  }

  @Test
  void scanPagesAndSegments() {
    List<String> all = new ArrayList<>();
    String start = null;
    do {
      List<String> args =
          new ArrayList<>(List.of("dynamodb", "scan", "--table-name", "Music", "--limit", "7"));
      if (start != null) {
        args.addAll(List.of("--exclusive-start-key", start));
      }
      JsonNode r = cli.run(args.toArray(String[]::new)).ok().json();
      all.addAll(songs(r));
      start = r.has("LastEvaluatedKey") ? r.get("LastEvaluatedKey").toString() : null;
    } while (start != null);
    assertThat(all).hasSize(20).doesNotHaveDuplicates();

    JsonNode whole = cli.run("dynamodb", "scan", "--table-name", "Music").ok().json();
    assertThat(whole.get("Count").asInt()).isEqualTo(20);
    assertThat(whole.has("LastEvaluatedKey")).isFalse();
    assertThat(whole.get("ConsumedCapacity").isNull()).isTrue();

    int total = 0;
    for (int s = 0; s < 3; s++) {
      total +=
          cli.run(
                  "dynamodb",
                  "scan",
                  "--table-name",
                  "Music",
                  "--segment",
                  String.valueOf(s),
                  "--total-segments",
                  "3")
              .ok()
              .json()
              .get("Count")
              .asInt();
    }
    assertThat(total).isEqualTo(20);
    assertThat(
            cli.run(
                    "dynamodb",
                    "scan",
                    "--table-name",
                    "Music",
                    "--segment",
                    "3",
                    "--total-segments",
                    "3")
                .failsWith(1))
        .contains("out of bounds");
    assertThat(cli.run("dynamodb", "scan", "--table-name", "Music", "--segment", "1").failsWith(1))
        .contains("TotalSegments");
    assertThat(cli.run("dynamodb", "scan", "--table-name", "Music", "--limit", "0").failsWith(1))
        .contains("greater than or equal to 1");
  }

  @Test
  void unsupportedOrMalformedConditionsAreValidationErrorsThatSayWhatIsWrong() {
    String v = "{\":a\": {\"S\": \"A\"}}";
    String prefix = "An error occurred (ValidationException) when calling the Query operation: ";
    assertThat(queryFails("Song = :a", v))
        .isEqualTo(prefix + "Query condition missed key schema element: Artist");
    assertThat(queryFails("Artist = :a AND Genre = :a", v))
        .isEqualTo(prefix + "Query condition missed key schema element: Song");
    assertThat(queryFails("Artist = :a OR Artist = :a", v))
        .isEqualTo(prefix + "Invalid operator used in KeyConditionExpression: OR");
    assertThat(queryFails("Artist = :a AND Song <> :a", v))
        .isEqualTo(prefix + "Invalid operator used in KeyConditionExpression: <>");
    assertThat(queryFails("Artist = :b", v))
        .isEqualTo(
            prefix
                + "Invalid KeyConditionExpression: An expression"
                + " attribute value used in expression is not defined; attribute value: :b");
    assertThat(queryFails("Artist > :a", v))
        .isEqualTo(
            prefix
                + "Query key condition not supported; the partition key Artist takes only =, not >");
    assertThat(queryFails("Artist = :a AND Song.x = :a", v))
        .isEqualTo(prefix + "KeyConditionExpressions cannot have conditions on nested attributes");
    assertThat(queryFails("Artist = :a AND Year = :a", v))
        .isEqualTo(
            prefix
                + "Invalid KeyConditionExpression:"
                + " Attribute name is a reserved keyword; reserved keyword: Year");
    assertThat(
            queryFails(
                "Artist = :a AND Song = :n", "{\":a\": {\"S\": \"A\"}, \":n\": {\"N\": \"1\"}}"))
        .isEqualTo(
            prefix
                + "One or more parameter values were invalid: Condition parameter type does not match schema"
                + " type; key: Song, schema type: S, value type: N, operator: =");
    assertThat(queryFails("Artist = :a", "{\":a\": {\"S\": \"A\"}, \":z\": {\"S\": \"z\"}}"))
        .isEqualTo(
            prefix
                + "Value provided in ExpressionAttributeValues unused in expressions: keys: {:z}");
    assertThat(queryFails("Artist = :a AND", v))
        .isEqualTo(
            prefix
                + "Invalid KeyConditionExpression: Syntax error; token: \"<EOF>\", near: \"AND\"");
    assertThat(
            cli.run(
                    "dynamodb",
                    "query",
                    "--table-name",
                    "Music",
                    "--key-condition-expression",
                    "Artist = :a",
                    "--expression-attribute-values",
                    "{\":a\": ")
                .failsWith(2))
        .startsWith("Error parsing parameter '--expression-attribute-values': Invalid JSON");
  }

  private String queryFails(String condition, String values) {
    return cli.run(
            "dynamodb",
            "query",
            "--table-name",
            "Music",
            "--key-condition-expression",
            condition,
            "--expression-attribute-values",
            values)
        .failsWith(1);
  }

  @Test
  void projectionsShareThePlaceholdersOfTheKeyCondition() {
    JsonNode r =
        cli.run(
                "dynamodb",
                "query",
                "--table-name",
                "Music",
                "--key-condition-expression",
                "#a = :a AND #s = :x",
                "--projection-expression",
                "#s",
                "--expression-attribute-names",
                "{\"#a\": \"Artist\", \"#s\": \"Song\"}",
                "--expression-attribute-values",
                "{\":a\": {\"S\": \"A\"}, \":x\": {\"S\": \"s03\"}}")
            .ok()
            .json();
    assertThat(r.get("Items").toString()).isEqualTo("[{\"Song\":{\"S\":\"s03\"}}]");
    JsonNode scan =
        cli.run(
                "dynamodb",
                "scan",
                "--table-name",
                "Music",
                "--projection-expression",
                "Song, nope",
                "--limit",
                "1")
            .ok()
            .json();
    assertThat(scan.at("/Items/0").size()).isEqualTo(1);
    assertThat(
            cli.run(
                    "dynamodb",
                    "scan",
                    "--table-name",
                    "Music",
                    "--projection-expression",
                    "Song, Song")
                .failsWith(1))
        .contains("Invalid ProjectionExpression: Two document paths overlap with each other");
  }
}
