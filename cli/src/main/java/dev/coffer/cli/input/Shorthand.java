package dev.coffer.cli.input;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.coffer.cli.CliInputException;
import dev.coffer.cli.output.AwsJson;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Map-valued parameters in the AWS CLI's two spellings: shorthand {@code k=v,k2=v2} or a JSON
 * object {@code {"k":"v"}} (either may come from {@code file://PATH}); and tag lists, as {@code
 * TagKey=k,TagValue=v} items or a JSON list of {@code {"TagKey":..,"TagValue":..}}. Stateless.
 */
public final class Shorthand {
  private Shorthand() {}

  /**
   * A string map, e.g. an encryption context.
   *
   * @throws CliInputException when it is neither valid shorthand nor a JSON object of strings
   */
  public static Map<String, String> stringMap(String option, String value) {
    String text = ParamFiles.text(option, value).strip();
    Map<String, String> out = new LinkedHashMap<>();
    if (text.startsWith("{")) {
      JsonNode node = json(option, text);
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        if (!e.getValue().isTextual()) {
          throw CliInputException.parameter(
              option, "the value of '" + e.getKey() + "' must be a string");
        }
        out.put(e.getKey(), e.getValue().asText());
      }
      return out;
    }
    for (String pair : text.split(",")) {
      int eq = pair.indexOf('=');
      if (eq < 1) {
        throw CliInputException.parameter(
            option,
            "Expected: 'key=value', received: '" + pair + "' (write k=v,k2=v2 or a JSON object)");
      }
      out.put(pair.substring(0, eq).strip(), pair.substring(eq + 1).strip());
    }
    return out;
  }

  /**
   * Tags, from one or more {@code TagKey=k,TagValue=v} items, or one JSON list.
   *
   * @throws CliInputException when a tag is malformed
   */
  public static Map<String, String> tags(String option, List<String> values) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String value : values) {
      String text = ParamFiles.text(option, value).strip();
      if (text.startsWith("[")) {
        for (JsonNode tag : json(option, text)) {
          JsonNode k = tag.get("TagKey");
          JsonNode v = tag.get("TagValue");
          if (k == null || v == null || !k.isTextual() || !v.isTextual()) {
            throw CliInputException.parameter(
                option, "each tag needs a TagKey and a TagValue string");
          }
          out.put(k.asText(), v.asText());
        }
      } else {
        Map<String, String> tag = stringMap(option, text);
        if (tag.size() != 2 || !tag.containsKey("TagKey") || !tag.containsKey("TagValue")) {
          throw CliInputException.parameter(
              option, "Expected: 'TagKey=key,TagValue=value', received: '" + text + "'");
        }
        out.put(tag.get("TagKey"), tag.get("TagValue"));
      }
    }
    return out;
  }

  private static JsonNode json(String option, String text) {
    try {
      return AwsJson.mapper().readTree(text);
    } catch (JsonProcessingException e) {
      throw CliInputException.parameter(option, "Invalid JSON: " + e.getOriginalMessage());
    }
  }
}
