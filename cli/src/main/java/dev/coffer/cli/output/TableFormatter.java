package dev.coffer.cli.output;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * The AWS CLI's {@code --output table}: a section titled with the operation name; an object's
 * scalar keys become a header row over one row of values (a single scalar becomes a key | value
 * row); each nested list or object becomes an indented section titled with its key; a list of
 * objects becomes one header row and a row per object. Tables wider than {@link #TERMINAL_WIDTH}
 * show single-row sections vertically. Stateless.
 */
final class TableFormatter {
  private TableFormatter() {}

  /** The width the AWS CLI assumes when it cannot ask the terminal (as when output is piped). */
  static final int TERMINAL_WIDTH = 80;

  static String format(String title, JsonNode response) {
    BoxedTable table = new BoxedTable();
    return build(table, title, response, 0) ? table.render(TERMINAL_WIDTH) : "";
  }

  private static boolean build(BoxedTable table, String title, JsonNode current, int indent) {
    if (current == null || current.isNull() || (current.isContainerNode() && current.isEmpty())) {
      return false;
    }
    if (title != null) {
      table.newSection(title, indent);
    }
    if (current.isArray()) {
      if (current.get(0).isObject()) {
        fromListOfObjects(table, current, indent, title);
      } else {
        for (JsonNode item : current) {
          if (Scalars.isScalar(item)) {
            table.addRow(List.of(Scalars.str(item)));
          } else if (allScalars(item)) {
            List<String> row = new ArrayList<>();
            item.forEach(e -> row.add(Scalars.str(e)));
            table.addRow(row);
          } else {
            build(table, null, item, indent);
          }
        }
      }
    } else if (current.isObject()) {
      fromObject(table, current, indent);
    } else {
      table.addRow(List.of(Scalars.str(current)));
    }
    return true;
  }

  private static void fromObject(BoxedTable table, JsonNode current, int indent) {
    List<String> headers = new ArrayList<>();
    List<String> more = new ArrayList<>();
    group(current, headers, more);
    if (headers.size() == 1) {
      table.addRow(List.of(headers.get(0), Scalars.str(current.get(headers.get(0)))));
    } else if (!headers.isEmpty()) {
      table.addHeader(headers);
      List<String> row = new ArrayList<>();
      headers.forEach(h -> row.add(Scalars.str(current.get(h))));
      table.addRow(row);
    }
    for (String key : more) {
      build(table, key, current.get(key), indent + 1);
    }
  }

  private static void fromListOfObjects(BoxedTable table, JsonNode list, int indent, String title) {
    TreeSet<String> headerSet = new TreeSet<>();
    TreeSet<String> moreSet = new TreeSet<>();
    for (JsonNode e : list) {
      List<String> h = new ArrayList<>();
      List<String> m = new ArrayList<>();
      group(e, h, m);
      headerSet.addAll(h);
      moreSet.addAll(m);
    }
    List<String> headers = new ArrayList<>(headerSet);
    table.addHeader(headers);
    boolean first = true;
    for (JsonNode e : list) {
      if (!first && !moreSet.isEmpty()) {
        table.newSection(title, indent);
        table.addHeader(headers);
      }
      first = false;
      List<String> row = new ArrayList<>();
      headers.forEach(h -> row.add(e.has(h) ? Scalars.str(e.get(h)) : ""));
      table.addRow(row);
      for (String key : moreSet) {
        if (e.has(key)) {
          build(table, key, e.get(key), indent + 1);
        }
      }
    }
  }

  private static void group(JsonNode object, List<String> headers, List<String> more) {
    if (!object.isObject()) {
      return;
    }
    TreeSet<String> h = new TreeSet<>();
    TreeSet<String> m = new TreeSet<>();
    object.fieldNames().forEachRemaining(k -> (Scalars.isScalar(object.get(k)) ? h : m).add(k));
    headers.addAll(h);
    more.addAll(m);
  }

  private static boolean allScalars(JsonNode list) {
    for (JsonNode e : list) {
      if (!Scalars.isScalar(e)) {
        return false;
      }
    }
    return true;
  }
}
