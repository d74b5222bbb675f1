package dev.coffer.cli.dynamodb;

import com.fasterxml.jackson.databind.JsonNode;
import dev.coffer.cli.CliInputException;
import dev.coffer.cli.input.Excerpt;
import dev.coffer.cli.input.ParamFiles;
import dev.coffer.cli.input.Shorthand;
import dev.coffer.cli.input.UserJson;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;

/** Parameter helpers shared by the {@code dynamodb} commands. Stateless. */
final class DynamoArgs {
  private DynamoArgs() {}

  /** {@code Error parsing parameter '<option>': <reason>} (bad usage, exit 2). */
  static CliInputException invalid(String option, String reason) {
    return CliInputException.parameter(option, reason);
  }

  /**
   * A list of structures of string members, as the AWS CLI takes them: one JSON list (possibly from
   * {@code file://}), or one shorthand {@code A=x,B=y} or JSON object per value.
   *
   * @param members the members each structure must have, e.g. {@code AttributeName, KeyType}
   */
  static List<Map<String, String>> structures(
      String option, List<String> values, List<String> members) {
    List<Map<String, String>> out = new ArrayList<>();
    for (String value : values) {
      String text = ParamFiles.text(option, value).strip();
      if (text.startsWith("[")) {
        JsonNode list = UserJson.parameter(option, value, text);
        for (JsonNode element : list) {
          out.add(Shorthand.stringMap(option, element.toString()));
        }
      } else {
        out.add(Shorthand.stringMap(option, text));
      }
    }
    for (Map<String, String> s : out) {
      if (!s.keySet().equals(new HashSet<>(members))) {
        throw invalid(
            option,
            "each element needs exactly "
                + String.join(", ", members)
                + "; received "
                + Excerpt.of(s.keySet().toString())
                + " (e.g. "
                + String.join(",", members.stream().map(m -> m + "=...").toList())
                + ")");
      }
    }
    return out;
  }

  /** A JSON object parameter; {@code what} describes it in the error. */
  static JsonNode object(String option, String value) {
    JsonNode node = DynamoJson.parameter(option, value);
    if (!node.isObject()) {
      throw invalid(option, "expected a JSON object, received: " + Excerpt.of(node.toString()));
    }
    return node;
  }
}
