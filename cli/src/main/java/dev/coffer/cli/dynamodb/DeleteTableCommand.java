package dev.coffer.cli.dynamodb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.coffer.Coffer;
import dev.coffer.TableDescription;
import dev.coffer.cli.CliContext;
import dev.coffer.cli.output.AwsJson;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code coffer dynamodb delete-table}: {@code DeleteTable}. The table, its items and its wrapped
 * keys are gone when the command returns; the response shows it DELETING, as DynamoDB's does.
 */
@Command(
    name = "delete-table",
    description = "Delete a table with all its items and keys.",
    footer = {"", "Example:", "  coffer dynamodb delete-table --table-name Music"})
final class DeleteTableCommand extends DynamoOperation {
  @Option(names = "--table-name", required = true, description = "The table name.")
  String tableName;

  @Override
  JsonNode run(CliContext context) {
    Coffer coffer = store(context);
    TableDescription d = coffer.describeTable(tableName);
    String arnPrefix = TableArns.prefix(context);
    coffer.deleteTable(tableName);
    ObjectNode out = AwsJson.object();
    out.set("TableDescription", TableShapes.description(d, "DELETING", arnPrefix));
    return out;
  }
}
