package dev.coffer.cli.store;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.coffer.CorruptionException;
import dev.coffer.cli.output.AwsJson;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A page that failed authentication or parsing, as {@code verify} reports it: the table, the
 * partition token and node id of {@link CorruptionException#location()}, and the message.
 *
 * @param table the table name
 * @param location the engine's location text, e.g. {@code partition 3fa2...e1 node 0}
 * @param message the exception's message
 */
record CorruptPage(String table, String location, String message) {
  private static final Pattern LOCATION = Pattern.compile("partition ([0-9a-f]+) node (\\d+)");

  static CorruptPage of(String table, CorruptionException e) {
    return new CorruptPage(e.tableName() != null ? e.tableName() : table,
        e.location() != null ? e.location() : "", e.getMessage());
  }

  /** {@code {"TableName", "PartitionToken", "NodeId", "Location", "Message"}}. */
  ObjectNode json() {
    ObjectNode out = AwsJson.object().put("TableName", table);
    Matcher m = LOCATION.matcher(location);
    if (m.find()) {
      out.put("PartitionToken", m.group(1)).put("NodeId", Long.parseLong(m.group(2)));
    }
    return out.put("Location", location).put("Message", message);
  }
}
