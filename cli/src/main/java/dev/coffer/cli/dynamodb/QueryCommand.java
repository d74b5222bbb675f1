package dev.coffer.cli.dynamodb;

import com.fasterxml.jackson.databind.JsonNode;
import dev.coffer.Condition;
import dev.coffer.Expressions;
import dev.coffer.Key;
import dev.coffer.Projection;
import dev.coffer.Query;
import dev.coffer.QueryRequest;
import dev.coffer.Select;
import dev.coffer.Table;
import dev.coffer.cli.CliContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code coffer dynamodb query}: {@code Query} with a {@code KeyConditionExpression}, optionally a
 * {@code FilterExpression}, a projection and {@code --select}, parsed by the engine ({@link
 * Expressions}) together, sharing the placeholders as DynamoDB does.
 */
@Command(
    name = "query",
    description = {
      "Read the items of one partition in sort-key order.",
      "Key conditions: pk = :v, optionally AND one of sk = :v, sk < :v, sk <= :v, sk > :v, sk >= :v,"
          + " sk BETWEEN :a AND :b, begins_with(sk, :p).",
      "--filter-expression keeps the items that match (on non-key attributes); --limit counts the items read"
          + " before the filter (ScannedCount), Count those that passed.",
      "Without --limit and --exclusive-start-key every page is read and printed as one (as the AWS"
          + " CLI paginates); with either, one page and its LastEvaluatedKey.",
      "Not supported: secondary indexes."
    },
    footer = {
      "",
      "Examples:",
      "  coffer dynamodb query --table-name Music \\",
      "      --key-condition-expression 'Artist = :a AND begins_with(SongTitle, :t)' \\",
      "      --expression-attribute-values \\",
      "          '{\":a\": {\"S\": \"Acme Band\"}, \":t\": {\"S\": \"Happy\"}}'",
      "  coffer dynamodb query --table-name Music \\",
      "      --key-condition-expression '#a = :a' \\",
      "      --expression-attribute-names '{\"#a\": \"Artist\"}' \\",
      "      --expression-attribute-values '{\":a\": {\"S\": \"Acme Band\"}}' \\",
      "      --no-scan-index-forward --limit 2",
      "  coffer dynamodb query --table-name Music \\",
      "      --key-condition-expression 'Artist = :a' --filter-expression '#y >= :y' \\",
      "      --expression-attribute-names '{\"#y\": \"Year\"}' \\",
      "      --expression-attribute-values \\",
      "        '{\":a\": {\"S\": \"Acme Band\"}, \":y\": {\"N\": \"2000\"}}' \\",
      "      --select COUNT"
    })
final class QueryCommand extends DynamoOperation {
  @Option(names = "--table-name", required = true, description = "The table name.")
  String tableName;

  @Option(names = "--key-condition-expression", required = true, description = "The key condition.")
  String keyConditionExpression;

  @Option(
      names = "--expression-attribute-values",
      paramLabel = "JSON|file://PATH",
      description = "Values of the :placeholders in DynamoDB JSON.")
  String expressionAttributeValues;

  @Option(
      names = "--expression-attribute-names",
      paramLabel = "JSON|file://PATH",
      description = "Attribute names of the #placeholders.")
  String expressionAttributeNames;

  @Option(
      names = "--projection-expression",
      description = "The attributes to return, comma-separated document paths (a.b[0], #name).")
  String projectionExpression;

  @Option(
      names = "--filter-expression",
      description =
          "A condition on non-key attributes; items that do not match are read but not returned.")
  String filterExpression;

  @Option(
      names = "--select",
      paramLabel = "ALL_ATTRIBUTES|SPECIFIC_ATTRIBUTES|COUNT",
      description =
          "COUNT prints only Count and ScannedCount; SPECIFIC_ATTRIBUTES needs a projection.")
  String select;

  @Option(names = "--scan-index-forward", description = "Ascending sort-key order (the default).")
  boolean scanIndexForward;

  @Option(names = "--no-scan-index-forward", description = "Descending sort-key order.")
  boolean noScanIndexForward;

  @Option(names = "--limit", description = "At most this many items (one page).")
  Integer limit;

  @Option(
      names = "--exclusive-start-key",
      paramLabel = "JSON|file://PATH",
      description = "Continue after this key: a previous page's LastEvaluatedKey.")
  String exclusiveStartKey;

  @Option(
      names = "--consistent-read",
      negatable = true,
      description = "Accepted; Coffer's reads are always consistent.")
  boolean consistentRead;

  @Mixin CapacityOption capacity;

  @Override
  protected JsonNode run(CliContext context) {
    PageResponse.checkLimit(limit);
    Select chosen = ReturnValues.select(select, "Querying");
    Expressions expressions =
        ExpressionOptions.builder(expressionAttributeNames, expressionAttributeValues)
            .keyConditionExpression(keyConditionExpression)
            .filterExpression(filterExpression)
            .projectionExpression(projectionExpression)
            .build();
    JsonNode startJson =
        exclusiveStartKey == null
            ? null
            : DynamoArgs.object("--exclusive-start-key", exclusiveStartKey);
    Projection projection = expressions.projectionExpression().orElse(null);
    Condition filter = expressions.filterExpression().orElse(null);
    Table table = storeToRead(context).table(tableName);
    Query parsed = expressions.keyCondition(table.keySchema());
    if (scanIndexForward && noScanIndexForward) {
      throw DynamoArgs.invalid(
          "--scan-index-forward", "give --scan-index-forward or --no-scan-index-forward, not both");
    }
    Query base = noScanIndexForward ? parsed.descending() : parsed;
    if (limit != null) {
      base = base.limit(limit);
    }
    Key start =
        startJson == null
            ? null
            : DynamoJson.key("ExclusiveStartKey", startJson, table.keySchema());
    Query first = base;
    boolean follow = limit == null && start == null;
    return PageResponse.read(
        after -> {
          Key from = after != null ? after : start;
          return table.query(
              QueryRequest.builder()
                  .query(from == null ? first : first.exclusiveStartKey(from))
                  .filter(filter)
                  .projection(projection)
                  .select(chosen)
                  .build());
        },
        follow,
        table.keySchema(),
        chosen == Select.COUNT,
        capacity,
        tableName,
        consistentRead,
        filter == null && projection == null && chosen != Select.COUNT,
        (after, n) -> {
          Key from = after != null ? after : start;
          Query q = (from == null ? first : first.exclusiveStartKey(from)).limit(n);
          return table.query(QueryRequest.builder().query(q).build()).items();
        });
  }
}
