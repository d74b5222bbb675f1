package dev.coffer.cli.dynamodb;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.coffer.KeySchema;
import dev.coffer.TableDescription;
import dev.coffer.cli.output.AwsJson;

/**
 * A {@link TableDescription} in DynamoDB's {@code TableDescription} shape. Coffer does not keep
 * item counts or sizes ({@code ItemCount} and {@code TableSizeBytes} are 0, as DynamoDB reports
 * before its periodic update) and has no capacity modes ({@code PAY_PER_REQUEST} is reported).
 * Stateless.
 */
public final class TableShapes {
  private TableShapes() {}

  /**
   * The description of a table in {@code status} ({@code ACTIVE}, or {@code DELETING} in the
   * response of DeleteTable).
   *
   * @param tableArnPrefix e.g. {@code arn:aws:dynamodb:us-east-1:111122223333:table/}
   */
  public static ObjectNode description(TableDescription d, String status, String tableArnPrefix) {
    ObjectNode t = AwsJson.object();
    ArrayNode defs = t.putArray("AttributeDefinitions");
    KeySchema k = d.keySchema();
    defs.addObject()
        .put("AttributeName", k.partitionKeyName())
        .put("AttributeType", k.partitionKeyType().name());
    if (k.hasSortKey()) {
      defs.addObject()
          .put("AttributeName", k.sortKeyName())
          .put("AttributeType", k.sortKeyType().name());
    }
    t.put("TableName", d.name());
    t.set("KeySchema", keySchema(k));
    t.put("TableStatus", status);
    t.put("CreationDateTime", AwsJson.timestamp(d.creationTime()));
    t.putObject("ProvisionedThroughput")
        .put("NumberOfDecreasesToday", 0)
        .put("ReadCapacityUnits", 0)
        .put("WriteCapacityUnits", 0);
    t.put("TableSizeBytes", 0);
    t.put("ItemCount", 0);
    t.put("TableArn", tableArnPrefix + d.name());
    t.put("TableId", tableId(d.tableId()));
    t.putObject("BillingModeSummary").put("BillingMode", "PAY_PER_REQUEST");
    t.put("DeletionProtectionEnabled", false);
    return t;
  }

  /** {@code [{"AttributeName": pk, "KeyType": "HASH"}, {..., "RANGE"}]}. */
  public static ArrayNode keySchema(KeySchema k) {
    ArrayNode out = AwsJson.mapper().createArrayNode();
    out.addObject().put("AttributeName", k.partitionKeyName()).put("KeyType", "HASH");
    if (k.hasSortKey()) {
      out.addObject().put("AttributeName", k.sortKeyName()).put("KeyType", "RANGE");
    }
    return out;
  }

  /** The table id in DynamoDB's UUID form when it has 32 hex digits, else as it is. */
  static String tableId(String hex) {
    if (hex.length() != 32) {
      return hex;
    }
    return hex.substring(0, 8)
        + "-"
        + hex.substring(8, 12)
        + "-"
        + hex.substring(12, 16)
        + "-"
        + hex.substring(16, 20)
        + "-"
        + hex.substring(20);
  }
}
