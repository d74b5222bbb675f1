package dev.coffer.cli.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.coffer.cli.CliRun;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestInstance.Lifecycle;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A lone UTF-16 surrogate in {@code --expression-attribute-names} or in a string of {@code
 * --expression-attribute-values} (as a JSON escape {@code \udc00}, or as the character itself) is
 * refused with DynamoDB's {@code ValidationException}, exit 1, by every command that takes
 * expressions, and nothing is written: an attribute named {@code "a\udc00"} would otherwise be
 * stored as {@code "a?"} (issue 16, failure 2).
 */
@TestInstance(Lifecycle.PER_CLASS)
class LoneSurrogateExpressionCommandsTest {
  private static final String ITEM = "{\"pk\": {\"S\": \"k\"}, \"a?\": {\"S\": \"real\"}}";
  private static final String KEY = "{\"pk\": {\"S\": \"k\"}}";

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path dir;

  private final CliRun cli = new CliRun();

  /** One store for all cases (each case checks that it wrote nothing). */
  @BeforeAll
  void store() {
    cli.env.put("COFFER_STORE", dir.resolve("store").toString());
    cli.env.put("COFFER_MASTER_KEY", cli.createKey("store key"));
    cli.run(
            "dynamodb",
            "create-table",
            "--table-name",
            "Items",
            "--attribute-definitions",
            "AttributeName=pk,AttributeType=S",
            "--key-schema",
            "AttributeName=pk,KeyType=HASH")
        .ok();
    cli.run("dynamodb", "put-item", "--table-name", "Items", "--item", ITEM).ok();
  }

  static Stream<Arguments> commands() {
    List<Arguments> out = new ArrayList<>();
    // every command with the JSON escape; the lone character itself and a high surrogate with
    // update-item
    addAll(out, "a\\udc00", "(escaped)", true);
    addAll(out, "a\udc00", "(the character)", false);
    addAll(out, "\\ud800b", "(high, escaped)", false);
    return out.stream();
  }

  private static void addAll(List<Arguments> out, String s, String label, boolean everyCommand) {
    String names = "{\"#n\": \"" + s + "\"}";
    String value = "{\":v\": {\"S\": \"" + s + "\"}}";
    out.add(
        Arguments.of(
            "UpdateItem name " + label,
            "UpdateItem",
            List.of(
                "update-item",
                "--table-name",
                "Items",
                "--key",
                KEY,
                "--update-expression",
                "SET #n = :v",
                "--expression-attribute-names",
                names,
                "--expression-attribute-values",
                "{\":v\": {\"S\": \"x\"}}")));
    out.add(
        Arguments.of(
            "UpdateItem value " + label,
            "UpdateItem",
            List.of(
                "update-item",
                "--table-name",
                "Items",
                "--key",
                KEY,
                "--update-expression",
                "SET b = :v",
                "--expression-attribute-values",
                value)));
    if (!everyCommand) {
      return;
    }
    out.add(
        Arguments.of(
            "PutItem condition name " + label,
            "PutItem",
            List.of(
                "put-item",
                "--table-name",
                "Items",
                "--item",
                "{\"pk\": {\"S\": \"k\"}}",
                "--condition-expression",
                "attribute_not_exists(#n)",
                "--expression-attribute-names",
                names)));
    out.add(
        Arguments.of(
            "DeleteItem condition value " + label,
            "DeleteItem",
            List.of(
                "delete-item",
                "--table-name",
                "Items",
                "--key",
                KEY,
                "--condition-expression",
                "pk <> :v",
                "--expression-attribute-values",
                value)));
    out.add(
        Arguments.of(
            "GetItem projection name " + label,
            "GetItem",
            List.of(
                "get-item",
                "--table-name",
                "Items",
                "--key",
                KEY,
                "--projection-expression",
                "#n",
                "--expression-attribute-names",
                names)));
    out.add(
        Arguments.of(
            "Query key condition value " + label,
            "Query",
            List.of(
                "query",
                "--table-name",
                "Items",
                "--key-condition-expression",
                "pk = :v",
                "--expression-attribute-values",
                value)));
    out.add(
        Arguments.of(
            "Scan filter name " + label,
            "Scan",
            List.of(
                "scan",
                "--table-name",
                "Items",
                "--filter-expression",
                "#n = :v",
                "--expression-attribute-names",
                names,
                "--expression-attribute-values",
                "{\":v\": {\"S\": \"real\"}}")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("commands")
  void refusedWithValidationException(String what, String operation, List<String> args)
      throws Exception {
    List<String> all = new ArrayList<>(List.of("dynamodb"));
    all.addAll(args);
    String line = cli.run(all.toArray(String[]::new)).failsWith(1);
    assertThat(line)
        .as(what)
        .startsWith(
            "An error occurred (ValidationException) when calling the "
                + operation
                + " operation: ")
        .contains("not valid UTF-8")
        .contains("unpaired UTF-16 surrogate");
    // nothing written, and the attribute "a?" that the name would have collided with is as it was
    JsonNode items = cli.run("dynamodb", "scan", "--table-name", "Items").ok().json().get("Items");
    assertThat(items).as("the table after the refusal").containsExactly(JSON.readTree(ITEM));
  }
}
