package dev.coffer.cli.output;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * The AWS CLI's {@code --output text}: for an object, its scalar values on one tab-separated line
 * (keys in sorted order), then each nested list or object, its lines prefixed with the upper-cased
 * key; for a list of objects, one line per object with the same columns. Stateless.
 */
final class TextFormatter {
  private TextFormatter() {}

  static String format(JsonNode response) {
    StringBuilder out = new StringBuilder();
    formatAny(response, null, null, out);
    return out.toString();
  }

  private static void formatAny(
      JsonNode item, String identifier, List<String> scalarKeys, StringBuilder out) {
    if (item != null && item.isObject()) {
      formatObject(item, identifier, scalarKeys, out);
    } else if (item != null && item.isArray()) {
      formatList(item, identifier, out);
    } else {
      out.append(Scalars.str(item)).append('\n');
    }
  }

  private static void formatList(JsonNode list, String identifier, StringBuilder out) {
    if (list.isEmpty()) {
      return;
    }
    boolean anyObject = false;
    boolean anyList = false;
    for (JsonNode e : list) {
      anyObject |= e.isObject();
      anyList |= e.isArray();
    }
    if (anyObject) {
      List<String> keys = allScalarKeys(list);
      for (JsonNode e : list) {
        formatAny(e, identifier, keys, out);
      }
    } else if (anyList) {
      List<JsonNode> scalars = new ArrayList<>();
      List<JsonNode> others = new ArrayList<>();
      for (JsonNode e : list) {
        (Scalars.isScalar(e) ? scalars : others).add(e);
      }
      if (!scalars.isEmpty()) {
        formatScalarList(scalars, identifier, out);
      }
      for (JsonNode e : others) {
        formatAny(e, identifier, null, out);
      }
    } else {
      List<JsonNode> all = new ArrayList<>();
      list.forEach(all::add);
      formatScalarList(all, identifier, out);
    }
  }

  private static void formatScalarList(
      List<JsonNode> elements, String identifier, StringBuilder out) {
    if (identifier != null) {
      for (JsonNode e : elements) {
        out.append(identifier.toUpperCase(Locale.ROOT))
            .append('\t')
            .append(Scalars.str(e))
            .append('\n');
      }
    } else {
      List<String> values = new ArrayList<>();
      elements.forEach(e -> values.add(Scalars.str(e)));
      out.append(String.join("\t", values)).append('\n');
    }
  }

  private static void formatObject(
      JsonNode object, String identifier, List<String> scalarKeys, StringBuilder out) {
    List<String> scalars = new ArrayList<>();
    List<String> nonScalarKeys = new ArrayList<>();
    if (scalarKeys == null) {
      for (String key : sortedKeys(object)) {
        if (Scalars.isScalar(object.get(key))) {
          scalars.add(Scalars.str(object.get(key)));
        } else {
          nonScalarKeys.add(key);
        }
      }
    } else {
      for (String key : scalarKeys) {
        scalars.add(object.has(key) ? Scalars.str(object.get(key)) : "");
      }
      for (String key : sortedKeys(object)) {
        if (!scalarKeys.contains(key)) {
          nonScalarKeys.add(key);
        }
      }
    }
    if (!scalars.isEmpty()) {
      if (identifier != null) {
        scalars.add(0, identifier.toUpperCase(Locale.ROOT));
      }
      out.append(String.join("\t", scalars)).append('\n');
    }
    for (String key : nonScalarKeys) {
      formatAny(object.get(key), key, null, out);
    }
  }

  private static List<String> allScalarKeys(JsonNode listOfObjects) {
    TreeSet<String> keys = new TreeSet<>();
    for (JsonNode e : listOfObjects) {
      for (Iterator<Map.Entry<String, JsonNode>> it = e.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> f = it.next();
        if (Scalars.isScalar(f.getValue())) {
          keys.add(f.getKey());
        }
      }
    }
    return new ArrayList<>(keys);
  }

  private static List<String> sortedKeys(JsonNode object) {
    TreeSet<String> keys = new TreeSet<>();
    object.fieldNames().forEachRemaining(keys::add);
    return new ArrayList<>(keys);
  }
}
