package dev.coffer.cli.dynamodb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.coffer.cli.CliContext;
import dev.coffer.cli.output.AwsJson;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code coffer dynamodb list-tables}: {@code ListTables}, every name in one response. */
@Command(
    name = "list-tables",
    description = "List the store's table names, sorted.",
    footer = {"", "Example:", "  coffer dynamodb list-tables --output text"})
final class ListTablesCommand extends DynamoOperation {
  @Option(names = "--exclusive-start-table-name", description = "List the names after this one.")
  String exclusiveStartTableName;

  @Override
  protected JsonNode run(CliContext context) {
    List<String> names = storeToRead(context).listTables();
    ObjectNode out = AwsJson.object();
    ArrayNode list = out.putArray("TableNames");
    for (String n : names) {
      if (exclusiveStartTableName == null || n.compareTo(exclusiveStartTableName) > 0) {
        list.add(n);
      }
    }
    return out;
  }
}
