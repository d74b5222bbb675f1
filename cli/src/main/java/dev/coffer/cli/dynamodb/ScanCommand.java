package dev.coffer.cli.dynamodb;

import com.fasterxml.jackson.databind.JsonNode;
import dev.coffer.Condition;
import dev.coffer.Expressions;
import dev.coffer.Key;
import dev.coffer.Projection;
import dev.coffer.Scan;
import dev.coffer.ScanRequest;
import dev.coffer.Select;
import dev.coffer.Table;
import dev.coffer.ValidationException;
import dev.coffer.cli.CliContext;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code coffer dynamodb scan}: {@code Scan}, optionally one segment of a parallel scan, with a
 * {@code FilterExpression}, a projection and {@code --select}.
 */
@Command(
    name = "scan",
    description = {
      "Read every item of a table in partition-token (hash) order.",
      "Without --limit and --exclusive-start-key every page is read and printed as one; with either,"
          + " one page and its LastEvaluatedKey.",
      "--filter-expression keeps the items that match; --limit counts the items read before the filter"
          + " (ScannedCount), Count those that passed.",
      "Not supported: secondary indexes."
    },
    footer = {
      "",
      "Examples:",
      "  coffer dynamodb scan --table-name Music",
      "  coffer dynamodb scan --table-name Music --segment 0 --total-segments 4",
      "  coffer dynamodb scan --table-name Music --limit 10 \\",
      "      --exclusive-start-key file://last-key.json",
      "  coffer dynamodb scan --table-name Music \\",
      "      --filter-expression 'begins_with(Artist, :a)' \\",
      "      --expression-attribute-values '{\":a\": {\"S\": \"Acme\"}}' \\",
      "      --projection-expression SongTitle"
    })
final class ScanCommand extends DynamoOperation {
  @Option(names = "--table-name", required = true, description = "The table name.")
  String tableName;

  @Option(names = "--segment", description = "This segment (from 0) of --total-segments.")
  Integer segment;

  @Option(names = "--total-segments", description = "The number of segments, 1 to 1000000.")
  Integer totalSegments;

  @Option(names = "--limit", description = "At most this many items (one page).")
  Integer limit;

  @Option(
      names = "--exclusive-start-key",
      paramLabel = "JSON|file://PATH",
      description = "Continue after this key: a previous page's LastEvaluatedKey.")
  String exclusiveStartKey;

  @Option(
      names = "--projection-expression",
      description = "The attributes to return, comma-separated document paths (a.b[0], #name).")
  String projectionExpression;

  @Option(
      names = "--expression-attribute-names",
      paramLabel = "JSON|file://PATH",
      description = "Attribute names of the #placeholders.")
  String expressionAttributeNames;

  @Option(
      names = "--expression-attribute-values",
      paramLabel = "JSON|file://PATH",
      description = "Values of the :placeholders in DynamoDB JSON.")
  String expressionAttributeValues;

  @Option(
      names = "--filter-expression",
      description = "A condition; items that do not match are read but not returned.")
  String filterExpression;

  @Option(
      names = "--select",
      paramLabel = "ALL_ATTRIBUTES|SPECIFIC_ATTRIBUTES|COUNT",
      description =
          "COUNT prints only Count and ScannedCount; SPECIFIC_ATTRIBUTES needs a projection.")
  String select;

  @Option(
      names = "--consistent-read",
      negatable = true,
      description = "Accepted; Coffer's reads are always consistent.")
  boolean consistentRead;

  @Mixin CapacityOption capacity;

  @Override
  protected JsonNode run(CliContext context) {
    PageResponse.checkLimit(limit);
    Scan base = Scan.all();
    if (segment != null || totalSegments != null) {
      if (segment == null || totalSegments == null) {
        throw new ValidationException(
            "The TotalSegments parameter is required but was not present in the request"
                + " when Segment parameter is present (and the reverse)");
      }
      if (totalSegments < 1 || totalSegments > 1_000_000) {
        throw new ValidationException(
            "1 validation error detected: Value '"
                + totalSegments
                + "' at 'totalSegments' failed to satisfy constraint: Member must have value between 1 and 1000000");
      }
      if (segment < 0 || segment >= totalSegments) {
        throw new ValidationException(
            "The Segment parameter is zero-based and must be less than parameter"
                + " TotalSegments: Segment: "
                + segment
                + " is out of bounds for TotalSegments: "
                + totalSegments);
      }
      base = base.segment(segment, totalSegments);
    }
    if (limit != null) {
      base = base.limit(limit);
    }
    Select chosen = ReturnValues.select(select, "Scanning");
    Map<String, String> valueExpressions = new LinkedHashMap<>();
    valueExpressions.put("FilterExpression", filterExpression);
    ExpressionOptions.checkValuesHaveAnExpression(expressionAttributeValues, valueExpressions);
    Expressions expressions =
        ExpressionOptions.builder(expressionAttributeNames, expressionAttributeValues)
            .filterExpression(filterExpression)
            .projectionExpression(projectionExpression)
            .build();
    Projection projection = expressions.projectionExpression().orElse(null);
    Condition filter = expressions.filterExpression().orElse(null);
    JsonNode startJson =
        exclusiveStartKey == null
            ? null
            : DynamoArgs.object("--exclusive-start-key", exclusiveStartKey);
    Table table = storeToRead(context).table(tableName);
    Key start =
        startJson == null
            ? null
            : DynamoJson.key("ExclusiveStartKey", startJson, table.keySchema());
    Scan first = base;
    return PageResponse.read(
        after -> {
          Key from = after != null ? after : start;
          return table.scan(
              ScanRequest.builder()
                  .scan(from == null ? first : first.exclusiveStartKey(from))
                  .filter(filter)
                  .projection(projection)
                  .select(chosen)
                  .build());
        },
        limit == null && start == null,
        table.keySchema(),
        chosen == Select.COUNT,
        capacity,
        tableName,
        consistentRead,
        filter == null && projection == null && chosen != Select.COUNT,
        (after, n) -> {
          Key from = after != null ? after : start;
          Scan s = (from == null ? first : first.exclusiveStartKey(from)).limit(n);
          return table.scan(ScanRequest.builder().scan(s).build()).items();
        });
  }
}
