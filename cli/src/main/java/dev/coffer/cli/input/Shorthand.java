package dev.coffer.cli.input;

import com.fasterxml.jackson.databind.JsonNode;
import dev.coffer.cli.CliInputException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Map-valued parameters in the AWS CLI's two spellings: shorthand {@code k=v,k2=v2} or a JSON
 * object {@code {"k":"v"}} (either may come from {@code file://PATH}); and tag lists, as {@code
 * TagKey=k,TagValue=v} items or a JSON list of {@code {"TagKey":..,"TagValue":..}}. JSON is read
 * strictly ({@link UserJson}); a key given twice, in either spelling, is refused. Stateless.
 */
public final class Shorthand {
  private Shorthand() {}

  /**
   * A string map, e.g. an encryption context.
   *
   * @throws CliInputException when it is neither valid shorthand nor a JSON object of strings, or
   *     names a key twice
   */
  public static Map<String, String> stringMap(String option, String value) {
    String text = ParamFiles.text(option, value).strip();
    Map<String, String> out = new LinkedHashMap<>();
    if (text.startsWith("{")) {
      JsonNode node = UserJson.parameter(option, value, text);
      for (Map.Entry<String, JsonNode> e : node.properties()) {
        if (!e.getValue().isTextual()) {
          throw CliInputException.parameter(
              option, "the value of '" + Excerpt.of(e.getKey()) + "' must be a string");
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
            "Expected: 'key=value', received: '"
                + Excerpt.of(pair)
                + "' (write k=v,k2=v2 or a JSON object)");
      }
      String key = pair.substring(0, eq).strip();
      if (out.put(key, pair.substring(eq + 1).strip()) != null) {
        throw CliInputException.parameter(
            option, "the key '" + Excerpt.of(key) + "' is given twice");
      }
    }
    return out;
  }

  /**
   * Tags, from one or more {@code TagKey=k,TagValue=v} items, or one JSON list.
   *
   * @throws CliInputException when a tag is malformed, or a tag key is given twice
   */
  public static Map<String, String> tags(String option, List<String> values) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String value : values) {
      String text = ParamFiles.text(option, value).strip();
      if (text.startsWith("[")) {
        for (JsonNode tag : UserJson.parameter(option, value, text)) {
          JsonNode k = tag.get("TagKey");
          JsonNode v = tag.get("TagValue");
          if (k == null || v == null || !k.isTextual() || !v.isTextual()) {
            throw CliInputException.parameter(
                option, "each tag needs a TagKey and a TagValue string");
          }
          putTag(option, out, k.asText(), v.asText());
        }
      } else {
        Map<String, String> tag = stringMap(option, text);
        if (tag.size() != 2 || !tag.containsKey("TagKey") || !tag.containsKey("TagValue")) {
          throw CliInputException.parameter(
              option,
              "Expected: 'TagKey=key,TagValue=value', received: '" + Excerpt.of(text) + "'");
        }
        putTag(option, out, tag.get("TagKey"), tag.get("TagValue"));
      }
    }
    return out;
  }

  private static void putTag(String option, Map<String, String> tags, String key, String value) {
    if (tags.put(key, value) != null) {
      throw CliInputException.parameter(
          option, "the tag key '" + Excerpt.of(key) + "' is given twice");
    }
  }
}
