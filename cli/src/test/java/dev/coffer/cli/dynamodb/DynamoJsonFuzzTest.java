package dev.coffer.cli.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import dev.coffer.AttributeType;
import dev.coffer.AttributeValue;
import dev.coffer.Item;
import dev.coffer.Key;
import dev.coffer.KeySchema;
import dev.coffer.ValidationException;
import dev.coffer.cli.CliInputException;
import dev.coffer.cli.ErrorLines;
import dev.coffer.cli.input.UserJson;
import dev.coffer.testkit.fuzz.FuzzText;

/**
 * Fuzz target: DynamoDB JSON as the command line reads it ({@link DynamoJson#item}, {@link
 * DynamoJson#value}, {@link DynamoJson#key}, after {@link UserJson#parse}).
 *
 * <p><b>Documented exceptions:</b> {@link UserJson.InvalidJsonException} for text that is not JSON;
 * {@link CliInputException} ({@code Parameter validation failed: ...}) for a malformed shape;
 * {@link ValidationException} for a value DynamoDB would refuse (a bad number, an empty or
 * duplicated set, a key that does not match the schema, nesting over 32 levels, an item over 400
 * KB). Messages are one printable line of at most 1000 characters. What is accepted prints back as
 * DynamoDB JSON that reads to the same value.
 *
 * <p><b>Input:</b> the first byte picks the reader ({@code mod 4}: item, value, key of a table with
 * an S partition key and an N sort key, key of a table with a B partition key only); the rest is
 * the JSON ({@link FuzzText}).
 */
public class DynamoJsonFuzzTest {
  private static final KeySchema COMPOSITE =
      KeySchema.of("pk", AttributeType.S, "sk", AttributeType.N);
  private static final KeySchema SIMPLE = KeySchema.of("id", AttributeType.B);

  @FuzzTest(maxDuration = "30s")
  void fuzz(byte[] input) {
    check(input);
  }

  /** The check of one input (see the class comment). */
  public static void check(byte[] input) {
    if (input.length == 0) {
      return;
    }
    JsonNode node;
    try {
      node = UserJson.parse(FuzzText.of(input, 1, input.length));
    } catch (UserJson.InvalidJsonException e) {
      return;
    }
    try {
      switch ((input[0] & 0xFF) % 4) {
        case 0 -> {
          Item item = DynamoJson.item("Item", node);
          assertThat(DynamoJson.item("Item", UserJson.parse(DynamoJson.json(item).toString())))
              .isEqualTo(item);
        }
        case 1 -> {
          AttributeValue v = DynamoJson.value("Value", node);
          assertThat(DynamoJson.value("Value", UserJson.parse(DynamoJson.json(v).toString())))
              .isEqualTo(v);
        }
        case 2 -> key(node, COMPOSITE);
        default -> key(node, SIMPLE);
      }
    } catch (CliInputException e) {
      assertThat(e.getMessage()).startsWith("Parameter validation failed: ");
      ErrorLines.assertPrintableLine(e.getMessage());
    } catch (ValidationException e) {
      assertThat(e.getMessage()).isNotBlank();
    }
  }

  private static void key(JsonNode node, KeySchema schema) {
    Key key = DynamoJson.key("Key", node, schema);
    assertThat(key.partition().type()).isEqualTo(schema.partitionKeyType());
    assertThat(
            DynamoJson.key("Key", UserJson.parse(DynamoJson.json(key, schema).toString()), schema))
        .isEqualTo(key);
  }
}
