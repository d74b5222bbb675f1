package dev.coffer.cli.dynamodb;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.coffer.CapacitySettings;
import dev.coffer.KeySchema;
import dev.coffer.TableDescription;
import dev.coffer.cli.output.AwsJson;

/**
 * A {@link TableDescription} in DynamoDB's {@code TableDescription} shape. Coffer does not keep
 * item counts or sizes ({@code ItemCount} and {@code TableSizeBytes} are 0, as DynamoDB reports
 * before its periodic update); the billing mode and provisioned throughput are the table's kept
 * {@link CapacitySettings} (a provisioned table has no {@code BillingModeSummary}, as DynamoDB).
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
    CapacitySettings s = d.capacitySettings();
    ObjectNode pt = t.putObject("ProvisionedThroughput");
    s.lastIncrease().ifPresent(i -> pt.put("LastIncreaseDateTime", AwsJson.timestamp(i)));
    s.lastDecrease().ifPresent(i -> pt.put("LastDecreaseDateTime", AwsJson.timestamp(i)));
    pt.put("NumberOfDecreasesToday", s.decreasesToday())
        .put("ReadCapacityUnits", s.readCapacityUnits())
        .put("WriteCapacityUnits", s.writeCapacityUnits());
    t.put("TableSizeBytes", 0);
    t.put("ItemCount", 0);
    t.put("TableArn", tableArnPrefix + d.name());
    t.put("TableId", tableId(d.tableId()));
    if (s.billingMode() == CapacitySettings.BillingMode.PAY_PER_REQUEST) {
      t.putObject("BillingModeSummary").put("BillingMode", "PAY_PER_REQUEST");
    }
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
