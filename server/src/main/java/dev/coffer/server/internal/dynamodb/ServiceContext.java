package dev.coffer.server.internal.dynamodb;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.coffer.CapacitySettings;
import dev.coffer.Coffer;
import dev.coffer.KeySchema;
import dev.coffer.ResourceNotFoundException;
import dev.coffer.Table;
import dev.coffer.TableDescription;
import java.math.BigDecimal;
import java.time.Instant;

/**
 * What every DynamoDB operation handler shares: the store, the ARN prefix of its tables, and the
 * shapes common to several operations. Thread-safe.
 */
final class ServiceContext {
  static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private final Coffer coffer;
  private final String tableArnPrefix;

  ServiceContext(Coffer coffer, String region, String account) {
    this.coffer = coffer;
    this.tableArnPrefix = "arn:aws:dynamodb:" + region + ":" + account + ":table/";
  }

  Coffer coffer() {
    return coffer;
  }

  /**
   * The table for an item operation: DynamoDB answers these with {@code Requested resource not
   * found} alone.
   */
  Table dataTable(String name) {
    try {
      return coffer.table(name);
    } catch (ResourceNotFoundException e) {
      throw DynamoError.notFound("Requested resource not found");
    }
  }

  /** The description for a control-plane operation ({@code ...: Table: NAME not found}). */
  TableDescription describe(String name) {
    try {
      return coffer.describeTable(name);
    } catch (ResourceNotFoundException e) {
      throw DynamoError.notFound("Requested resource not found: Table: " + name + " not found");
    }
  }

  /** A {@code TableDescription} structure in {@code status}. */
  ObjectNode tableDescription(TableDescription d, String status) {
    ObjectNode t = NODES.objectNode();
    KeySchema k = d.keySchema();
    ArrayNode defs = t.putArray("AttributeDefinitions");
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
    t.put("CreationDateTime", epochSeconds(d.creationTime()));
    // kept in the table's catalog entry, so they survive a restart (PAY_PER_REQUEST when none)
    CapacitySettings s = d.capacitySettings();
    ObjectNode pt = t.putObject("ProvisionedThroughput");
    s.lastIncrease().ifPresent(i -> pt.put("LastIncreaseDateTime", epochSeconds(i)));
    s.lastDecrease().ifPresent(i -> pt.put("LastDecreaseDateTime", epochSeconds(i)));
    pt.put("NumberOfDecreasesToday", s.decreasesToday());
    pt.put("ReadCapacityUnits", s.readCapacityUnits());
    pt.put("WriteCapacityUnits", s.writeCapacityUnits());
    t.put("TableSizeBytes", 0);
    t.put("ItemCount", 0);
    t.put("TableArn", tableArnPrefix + d.name());
    t.put("TableId", uuid(d.tableId()));
    if (s.billingMode() == CapacitySettings.BillingMode.PAY_PER_REQUEST) {
      t.putObject("BillingModeSummary").put("BillingMode", "PAY_PER_REQUEST");
    }
    t.put("DeletionProtectionEnabled", false);
    return t;
  }

  static ArrayNode keySchema(KeySchema k) {
    ArrayNode out = NODES.arrayNode();
    out.addObject().put("AttributeName", k.partitionKeyName()).put("KeyType", "HASH");
    if (k.hasSortKey()) {
      out.addObject().put("AttributeName", k.sortKeyName()).put("KeyType", "RANGE");
    }
    return out;
  }

  /** Epoch seconds with millisecond precision, as DynamoDB writes timestamps. */
  static BigDecimal epochSeconds(Instant t) {
    return BigDecimal.valueOf(t.toEpochMilli()).movePointLeft(3);
  }

  private static String uuid(String hex) {
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
