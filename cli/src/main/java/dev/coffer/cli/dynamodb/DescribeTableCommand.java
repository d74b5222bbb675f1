package dev.coffer.cli.dynamodb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.coffer.cli.CliContext;
import dev.coffer.cli.output.AwsJson;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code coffer dynamodb describe-table}: {@code DescribeTable}. */
@Command(
    name = "describe-table",
    description = "Describe a table: key schema, status, ARN, creation time.",
    footer = {
      "",
      "Example:",
      "  coffer dynamodb describe-table --table-name Music \\",
      "      --query Table.KeySchema"
    })
final class DescribeTableCommand extends DynamoOperation {
  @Option(names = "--table-name", required = true, description = "The table name.")
  String tableName;

  @Override
  protected JsonNode run(CliContext context) {
    ObjectNode out = AwsJson.object();
    out.set(
        "Table",
        TableShapes.description(
            storeToRead(context).describeTable(tableName), "ACTIVE", TableArns.prefix(context)));
    return out;
  }
}
