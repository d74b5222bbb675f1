package dev.coffer.cli.output;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.Objects;

/**
 * Prints every command's response the one way: {@code --query} first (on the JSON form), then the
 * {@code --output} format. A response that is absent or an empty object (operations such as {@code
 * EnableKey} that return nothing) prints nothing, as in the AWS CLI.
 */
public final class ResponsePrinter {
  private final PrintWriter out;
  private final OutputFormat format;
  private final JmesPathQuery query;

  /**
   * @param query the {@code --query} expression, or null
   */
  public ResponsePrinter(PrintWriter out, OutputFormat format, JmesPathQuery query) {
    this.out = Objects.requireNonNull(out, "out");
    this.format = Objects.requireNonNull(format, "format");
    this.query = query;
  }

  /**
   * Prints {@code response} of {@code operation} (e.g. {@code DescribeKey}, the title of a table).
   *
   * @param response the response in the AWS JSON shape, or null when the operation returns nothing
   */
  public void print(String operation, JsonNode response) {
    if (response == null || (response.isObject() && response.isEmpty())) {
      out.flush();
      return;
    }
    JsonNode shown = query == null ? response : query.apply(response);
    switch (format) {
      case JSON -> out.println(AwsJson.pretty(shown == null ? AwsJson.mapper().nullNode() : shown));
      case TEXT -> out.print(TextFormatter.format(shown));
      case TABLE -> out.print(TableFormatter.format(operation, shown));
    }
    out.flush();
  }
}
