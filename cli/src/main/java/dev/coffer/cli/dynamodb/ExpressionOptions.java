package dev.coffer.cli.dynamodb;

import com.fasterxml.jackson.databind.JsonNode;
import dev.coffer.AttributeValue;
import dev.coffer.Expressions;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code --expression-attribute-names} and {@code --expression-attribute-values} options,
 * read from JSON into the engine's {@link Expressions} builder, which parses the request's
 * expressions together and checks the placeholders as DynamoDB does. Stateless.
 */
final class ExpressionOptions {
  private ExpressionOptions() {}

  /** A builder holding the two options (either may be null: not given). */
  static Expressions.Builder builder(String namesOption, String valuesOption) {
    return Expressions.builder()
        .expressionAttributeNames(names(namesOption))
        .expressionAttributeValues(valuesOption == null ? null
            : DynamoJson.attributes("ExpressionAttributeValues",
                DynamoJson.parameter("--expression-attribute-values", valuesOption)));
  }

  private static Map<String, String> names(String option) {
    if (option == null) {
      return null;
    }
    JsonNode n = DynamoJson.parameter("--expression-attribute-names", option);
    if (!n.isObject()) {
      throw DynamoArgs.invalid("--expression-attribute-names", "expected a JSON object {\"#n\": \"name\"}");
    }
    Map<String, String> names = new LinkedHashMap<>();
    n.fields().forEachRemaining(e -> {
      if (!e.getValue().isTextual()) {
        throw DynamoArgs.invalid("--expression-attribute-names", "the value of " + e.getKey() + " must be a string");
      }
      names.put(e.getKey(), e.getValue().textValue());
    });
    return names;
  }
}
