package dev.coffer.cli.dynamodb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.coffer.AttributeType;
import dev.coffer.Coffer;
import dev.coffer.TableSpec;
import dev.coffer.ValidationException;
import dev.coffer.cli.CliContext;
import dev.coffer.cli.input.Excerpt;
import dev.coffer.cli.output.AwsJson;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code coffer dynamodb create-table}: {@code CreateTable}. Creates the store when it does not
 * exist. The table is ACTIVE at once; its capacity settings are kept and described back (Coffer
 * enforces no capacity limits).
 */
@Command(
    name = "create-table",
    description = {
      "Create a table with its own data key; creates the store when it does not exist.",
      "--billing-mode, --provisioned-throughput and --table-class are checked as DynamoDB checks them;"
          + " the billing mode and throughput are kept and described back (Coffer has no capacity"
          + " limits); PAY_PER_REQUEST when neither is given."
    },
    footer = {
      "",
      "Examples:",
      "  coffer dynamodb create-table --table-name Music \\",
      "      --attribute-definitions AttributeName=Artist,AttributeType=S \\",
      "          AttributeName=SongTitle,AttributeType=S \\",
      "      --key-schema AttributeName=Artist,KeyType=HASH \\",
      "          AttributeName=SongTitle,KeyType=RANGE",
      "  coffer dynamodb create-table --table-name Users \\",
      "      --attribute-definitions '[{\"AttributeName\":\"id\",\"AttributeType\":\"S\"}]' \\",
      "      --key-schema file://key-schema.json --billing-mode PAY_PER_REQUEST"
    })
final class CreateTableCommand extends DynamoOperation {
  @Option(
      names = "--table-name",
      required = true,
      description = "The table name (3-255 of a-z A-Z 0-9 _ . -).")
  String tableName;

  @Option(
      names = "--attribute-definitions",
      required = true,
      arity = "1..*",
      paramLabel = "AttributeName=N,AttributeType=S|N|B",
      description = "The key attributes' types: shorthand items or a JSON list.")
  List<String> attributeDefinitions;

  @Option(
      names = "--key-schema",
      required = true,
      arity = "1..*",
      paramLabel = "AttributeName=N,KeyType=HASH|RANGE",
      description =
          "The partition (HASH) and optional sort (RANGE) key: shorthand items or a JSON list.")
  List<String> keySchema;

  @Option(
      names = "--billing-mode",
      paramLabel = "PROVISIONED|PAY_PER_REQUEST",
      description =
          "Kept and described back (no capacity limits); PAY_PER_REQUEST when neither it nor"
              + " --provisioned-throughput is given.")
  String billingMode;

  @Option(
      names = "--provisioned-throughput",
      paramLabel = "ReadCapacityUnits=N,WriteCapacityUnits=N",
      description = "Kept and described back (no capacity limits).")
  String provisionedThroughput;

  @Option(
      names = "--table-class",
      paramLabel = "STANDARD|STANDARD_INFREQUENT_ACCESS",
      description = "Checked, then ignored.")
  String tableClass;

  @Override
  protected JsonNode run(CliContext context) {
    TableSpec spec =
        spec()
            .capacitySettings(CapacityArgs.settings(billingMode, provisionedThroughput, tableClass))
            .build();
    Coffer coffer = context.coffer(true);
    coffer.createTable(spec);
    ObjectNode out = AwsJson.object();
    out.set(
        "TableDescription",
        TableShapes.description(
            coffer.describeTable(tableName), "ACTIVE", TableArns.prefix(context)));
    return out;
  }

  private TableSpec.Builder spec() {
    Map<String, AttributeType> types = new HashMap<>();
    for (Map<String, String> d :
        DynamoArgs.structures(
            "--attribute-definitions",
            attributeDefinitions,
            List.of("AttributeName", "AttributeType"))) {
      String type = d.get("AttributeType");
      if (!List.of("S", "N", "B").contains(type)) {
        throw new ValidationException(
            "1 validation error detected: Value '"
                + Excerpt.of(type)
                + "' at 'attributeDefinitions.member.attributeType' failed to satisfy constraint: Member must satisfy"
                + " enum value set: [B, N, S]");
      }
      types.put(d.get("AttributeName"), AttributeType.valueOf(type));
    }
    List<Map<String, String>> keys =
        DynamoArgs.structures("--key-schema", keySchema, List.of("AttributeName", "KeyType"));
    if (keys.size() > 2) {
      throw new ValidationException(
          "1 validation error detected: Value at 'keySchema' failed to satisfy"
              + " constraint: Member must have length less than or equal to 2");
    }
    TableSpec.Builder b = TableSpec.builder().name(tableName);
    boolean hash = false;
    for (Map<String, String> k : keys) {
      String name = k.get("AttributeName");
      AttributeType type = types.get(name);
      if (type == null) {
        throw new ValidationException(
            "One or more parameter values were invalid: Some index key attributes are"
                + " not defined in AttributeDefinitions. Keys: ["
                + Excerpt.of(name)
                + "], AttributeDefinitions: "
                + Excerpt.of(types.keySet().toString()));
      }
      switch (k.get("KeyType")) {
        case "HASH" -> {
          if (hash) {
            throw new ValidationException("Invalid KeySchema: Too many hash keys");
          }
          hash = true;
          b.partitionKey(name, type);
        }
        case "RANGE" -> b.sortKey(name, type);
        default ->
            throw new ValidationException(
                "1 validation error detected: Value '"
                    + Excerpt.of(k.get("KeyType"))
                    + "' at 'keySchema.member.keyType' failed to satisfy constraint: Member must satisfy enum value set:"
                    + " [HASH, RANGE]");
      }
    }
    if (!hash) {
      throw new ValidationException(
          "Invalid KeySchema: The first KeySchemaElement is not a HASH key type");
    }
    if (types.size() != keys.size()) {
      throw new ValidationException(
          "One or more parameter values were invalid: Number of attributes in"
              + " KeySchema does not exactly match number of attributes defined in AttributeDefinitions");
    }
    return b;
  }
}
