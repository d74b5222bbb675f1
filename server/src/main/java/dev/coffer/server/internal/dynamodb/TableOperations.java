package dev.coffer.server.internal.dynamodb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.coffer.AttributeType;
import dev.coffer.CapacitySettings;
import dev.coffer.ResourceInUseException;
import dev.coffer.TableDescription;
import dev.coffer.TableSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The control plane: CreateTable, DescribeTable, ListTables, DeleteTable, UpdateTable and
 * DescribeTimeToLive. Tables are ACTIVE as soon as CreateTable returns (Coffer creates them
 * synchronously); billing mode and provisioned throughput are accepted, checked as DynamoDB checks
 * them, kept in the table's catalog entry ({@link CapacitySettings}: they survive a restart) and
 * echoed; secondary indexes, streams, TTL changes and other features Coffer lacks are refused with
 * a message that says so. Thread-safe.
 */
final class TableOperations {
  private static final List<String> BILLING = List.of("PROVISIONED", "PAY_PER_REQUEST");

  private final ServiceContext ctx;

  TableOperations(ServiceContext ctx) {
    this.ctx = ctx;
  }

  void register(Map<String, Operation> ops) {
    ops.put("CreateTable", this::createTable);
    ops.put("DescribeTable", this::describeTable);
    ops.put("ListTables", this::listTables);
    ops.put("DeleteTable", this::deleteTable);
    ops.put("UpdateTable", this::updateTable);
    ops.put("DescribeTimeToLive", this::describeTimeToLive);
  }

  private record Throughput(long read, long write) {}

  ObjectNode createTable(DynamoRequest r) {
    String name = r.tableName("TableName");
    JsonNode keySchema = r.array("KeySchema");
    JsonNode definitions = r.array("AttributeDefinitions");
    r.requireNonNull(keySchema, "KeySchema");
    r.requireNonNull(definitions, "AttributeDefinitions");
    String billing = r.enumValue("BillingMode", BILLING);
    Throughput throughput = throughput(r);
    if (keySchema != null && (keySchema.size() < 1 || keySchema.size() > 2)) {
      r.violation(
          keySchema.toString(),
          "KeySchema",
          keySchema.isEmpty()
              ? "Member must have length greater than or equal to 1"
              : "Member must have length less than or equal to 2");
    }
    r.validate();
    if (r.has("LocalSecondaryIndexes") || r.has("GlobalSecondaryIndexes")) {
      throw DynamoError.validation(
          "Coffer does not support secondary indexes: remove LocalSecondaryIndexes and"
              + " GlobalSecondaryIndexes");
    }
    JsonNode stream = r.object("StreamSpecification");
    if (stream != null && stream.path("StreamEnabled").asBoolean(false)) {
      throw DynamoError.validation(
          "Coffer does not support DynamoDB Streams: StreamEnabled must be false");
    }
    if (Boolean.TRUE.equals(r.bool("DeletionProtectionEnabled"))) {
      throw DynamoError.validation(
          "Coffer does not support deletion protection: DeletionProtectionEnabled must be"
              + " false");
    }
    String mode = billing == null ? "PROVISIONED" : billing;
    if (mode.equals("PROVISIONED") && throughput == null) {
      throw DynamoError.validation(
          "One or more parameter values were invalid: ReadCapacityUnits and"
              + " WriteCapacityUnits must both be specified when BillingMode is PROVISIONED");
    }
    if (mode.equals("PAY_PER_REQUEST") && throughput != null) {
      throw DynamoError.validation(
          "One or more parameter values were invalid: Neither ReadCapacityUnits nor"
              + " WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST");
    }
    Map<String, AttributeType> types = definitions(definitions);
    String[] hashRange = keyNames(keySchema);
    checkDefined(hashRange, types);
    TableSpec.Builder spec =
        TableSpec.builder()
            .name(name)
            .partitionKey(hashRange[0], types.get(hashRange[0]))
            .capacitySettings(
                mode.equals("PROVISIONED")
                    ? CapacitySettings.builder()
                        .billingMode(CapacitySettings.BillingMode.PROVISIONED)
                        .readCapacityUnits(throughput.read())
                        .writeCapacityUnits(throughput.write())
                        .build()
                    : CapacitySettings.payPerRequest());
    if (hashRange[1] != null) {
      spec.sortKey(hashRange[1], types.get(hashRange[1]));
    }
    TableDescription d;
    try {
      ctx.coffer().createTable(spec.build());
      d = ctx.describe(name);
    } catch (ResourceInUseException e) {
      throw DynamoError.inUse("Table already exists: " + name);
    }
    ObjectNode out = ServiceContext.NODES.objectNode();
    out.set("TableDescription", ctx.tableDescription(d, "ACTIVE"));
    return out;
  }

  private static Throughput throughput(DynamoRequest r) {
    JsonNode pt = r.object("ProvisionedThroughput");
    if (pt == null) {
      return null;
    }
    DynamoRequest inner = new DynamoRequest(pt);
    Integer read = inner.integer("ReadCapacityUnits", 1, Long.MAX_VALUE);
    Integer write = inner.integer("WriteCapacityUnits", 1, Long.MAX_VALUE);
    if (!pt.has("ReadCapacityUnits") || pt.get("ReadCapacityUnits").isNull()) {
      r.violation(null, "provisionedThroughput.readCapacityUnits", "Member must not be null");
    }
    if (!pt.has("WriteCapacityUnits") || pt.get("WriteCapacityUnits").isNull()) {
      r.violation(null, "provisionedThroughput.writeCapacityUnits", "Member must not be null");
    }
    long rv = pt.path("ReadCapacityUnits").asLong(0);
    long wv = pt.path("WriteCapacityUnits").asLong(0);
    if (read == null && pt.hasNonNull("ReadCapacityUnits")) {
      r.violation(
          Long.toString(rv),
          "provisionedThroughput.readCapacityUnits",
          "Member must have value greater than or equal to 1");
    }
    if (write == null && pt.hasNonNull("WriteCapacityUnits")) {
      r.violation(
          Long.toString(wv),
          "provisionedThroughput.writeCapacityUnits",
          "Member must have value greater than or equal to 1");
    }
    return new Throughput(rv, wv);
  }

  private static Map<String, AttributeType> definitions(JsonNode definitions) {
    Map<String, AttributeType> types = new LinkedHashMap<>();
    for (JsonNode d : definitions) {
      JsonNode o = DynamoRequest.object(d);
      String n = o == null ? null : DynamoRequest.string(o.get("AttributeName"), "AttributeName");
      String t = o == null ? null : DynamoRequest.string(o.get("AttributeType"), "AttributeType");
      if (n == null || t == null) {
        throw DynamoError.validation(
            "1 validation error detected: Value null at 'attributeDefinitions.member."
                + (n == null ? "attributeName" : "attributeType")
                + "' failed to satisfy constraint: Member must not be"
                + " null");
      }
      if (!t.equals("S") && !t.equals("N") && !t.equals("B")) {
        throw DynamoError.validation(
            "1 validation error detected: Value '"
                + t
                + "' at"
                + " 'attributeDefinitions.member.attributeType' failed to satisfy constraint: Member must satisfy enum"
                + " value set: [B, N, S]");
      }
      if (types.put(n, AttributeType.valueOf(t)) != null) {
        throw DynamoError.validation("Cannot have two attributes with the same name");
      }
    }
    return types;
  }

  /** {hash, range-or-null} from a KeySchema list. */
  private static String[] keyNames(JsonNode keySchema) {
    String[] out = new String[2];
    int i = 0;
    for (JsonNode k : keySchema) {
      JsonNode o = DynamoRequest.object(k);
      String n = o == null ? null : DynamoRequest.string(o.get("AttributeName"), "AttributeName");
      String t = o == null ? null : DynamoRequest.string(o.get("KeyType"), "KeyType");
      if (n == null || t == null) {
        throw DynamoError.validation(
            "1 validation error detected: Value null at 'keySchema."
                + (i + 1)
                + ".member."
                + (n == null ? "attributeName" : "keyType")
                + "' failed to satisfy constraint: Member must not be null");
      }
      if (!t.equals("HASH") && !t.equals("RANGE")) {
        throw DynamoError.validation(
            "1 validation error detected: Value '"
                + t
                + "' at 'keySchema."
                + (i + 1)
                + ".member.keyType' failed to satisfy constraint: Member must satisfy enum value set: [HASH, RANGE]");
      }
      if (i == 0 && !t.equals("HASH")) {
        throw DynamoError.validation(
            "Invalid KeySchema: The first KeySchemaElement is not a HASH key type");
      }
      if (i == 1 && !t.equals("RANGE")) {
        throw DynamoError.validation(
            "Invalid KeySchema: The second KeySchemaElement is not a RANGE key type");
      }
      out[i++] = n;
    }
    if (out[1] != null && out[1].equals(out[0])) {
      throw DynamoError.validation(
          "Both the Hash Key and the Range Key element in the KeySchema have the same name");
    }
    return out;
  }

  private static void checkDefined(String[] keys, Map<String, AttributeType> types) {
    List<String> keyList = new ArrayList<>();
    for (String k : keys) {
      if (k != null) {
        keyList.add(k);
      }
    }
    for (String k : keyList) {
      if (!types.containsKey(k)) {
        throw DynamoError.validation(
            "One or more parameter values were invalid: Some index key attributes are not"
                + " defined in AttributeDefinitions. Keys: "
                + keyList
                + ", AttributeDefinitions: "
                + types.keySet());
      }
    }
    if (types.size() != keyList.size()) {
      throw DynamoError.validation(
          "One or more parameter values were invalid: Number of attributes in KeySchema"
              + " does not exactly match number of attributes defined in AttributeDefinitions");
    }
  }

  ObjectNode describeTable(DynamoRequest r) {
    String name = r.tableName("TableName");
    r.validate();
    ObjectNode out = ServiceContext.NODES.objectNode();
    out.set("Table", ctx.tableDescription(ctx.describe(name), "ACTIVE"));
    return out;
  }

  ObjectNode listTables(DynamoRequest r) {
    String start = r.optionalTableName("ExclusiveStartTableName");
    Integer limit = r.integer("Limit", 1, 100);
    r.validate();
    int max = limit == null ? 100 : limit;
    List<String> names = ctx.coffer().listTables();
    ObjectNode out = ServiceContext.NODES.objectNode();
    ArrayNode list = out.putArray("TableNames");
    String last = null;
    int added = 0;
    for (int i = 0; i < names.size(); i++) {
      String n = names.get(i);
      if (start != null && n.compareTo(start) <= 0) {
        continue;
      }
      if (added == max) {
        out.put("LastEvaluatedTableName", last);
        return out;
      }
      list.add(n);
      last = n;
      added++;
    }
    return out;
  }

  ObjectNode deleteTable(DynamoRequest r) {
    String name = r.tableName("TableName");
    r.validate();
    TableDescription d = ctx.describe(name);
    ObjectNode description = ctx.tableDescription(d, "DELETING");
    try {
      ctx.coffer().deleteTable(name);
    } catch (dev.coffer.ResourceNotFoundException e) {
      throw DynamoError.notFound("Requested resource not found: Table: " + name + " not found");
    }
    ObjectNode out = ServiceContext.NODES.objectNode();
    out.set("TableDescription", description);
    return out;
  }

  ObjectNode updateTable(DynamoRequest r) {
    String name = r.tableName("TableName");
    String billing = r.enumValue("BillingMode", BILLING);
    Throughput throughput = throughput(r);
    r.validate();
    for (String unsupported :
        List.of(
            "AttributeDefinitions",
            "GlobalSecondaryIndexUpdates",
            "StreamSpecification",
            "SSESpecification",
            "ReplicaUpdates",
            "TableClass",
            "DeletionProtectionEnabled",
            "OnDemandThroughput",
            "WarmThroughput",
            "MultiRegionConsistency",
            "GlobalTableWitnessUpdates")) {
      if (r.has(unsupported)) {
        throw DynamoError.validation(
            "Coffer's UpdateTable changes only BillingMode and ProvisionedThroughput (which"
                + " are accepted and have no effect: Coffer has no capacity limits); "
                + unsupported
                + " is not supported");
      }
    }
    if (billing == null && throughput == null) {
      throw DynamoError.validation(
          "At least one of ProvisionedThroughput, BillingMode, UpdateStreamEnabled,"
              + " GlobalSecondaryIndexUpdates or SSESpecification or ReplicaUpdates is required");
    }
    TableDescription d = ctx.describe(name);
    CapacitySettings s = d.capacitySettings();
    String current = s.billingMode().name();
    String mode = billing != null ? billing : current;
    if (mode.equals("PAY_PER_REQUEST") && throughput != null) {
      throw DynamoError.validation(
          "One or more parameter values were invalid: Neither ReadCapacityUnits nor"
              + " WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST");
    }
    if (mode.equals("PROVISIONED") && throughput == null && !current.equals("PROVISIONED")) {
      throw DynamoError.validation(
          "One or more parameter values were invalid: ProvisionedThroughput must be"
              + " specified when BillingMode is PROVISIONED");
    }
    Instant now = Instant.now();
    long read = s.readCapacityUnits();
    long write = s.writeCapacityUnits();
    Instant inc = s.lastIncrease().orElse(null);
    Instant dec = s.lastDecrease().orElse(null);
    int decreases = s.decreasesToday();
    if (throughput != null) {
      if (throughput.read() == read && throughput.write() == write && mode.equals(current)) {
        throw DynamoError.validation(
            "The provisioned throughput for the table will not change. The requested value"
                + " equals the current value. Current ReadCapacityUnits provisioned for the table: "
                + read
                + ". Requested ReadCapacityUnits: "
                + throughput.read()
                + ". Current WriteCapacityUnits provisioned for"
                + " the table: "
                + write
                + ". Requested WriteCapacityUnits: "
                + throughput.write()
                + ". Refer to the"
                + " Amazon DynamoDB Developer Guide for current limits and how to request higher limits.");
      }
      if (throughput.read() > read || throughput.write() > write) {
        inc = now;
      }
      if (throughput.read() < read || throughput.write() < write) {
        dec = now;
        decreases++;
      }
      read = throughput.read();
      write = throughput.write();
    } else if (mode.equals("PAY_PER_REQUEST")) {
      read = 0;
      write = 0;
    }
    CapacitySettings updated =
        CapacitySettings.builder()
            .billingMode(CapacitySettings.BillingMode.valueOf(mode))
            .readCapacityUnits(read)
            .writeCapacityUnits(write)
            .lastIncrease(inc)
            .lastDecrease(dec)
            .decreasesToday(decreases)
            .build();
    TableDescription after;
    try {
      after = ctx.coffer().table(name).updateCapacitySettings(updated);
    } catch (dev.coffer.ResourceNotFoundException e) {
      throw DynamoError.notFound("Requested resource not found: Table: " + name + " not found");
    }
    ObjectNode out = ServiceContext.NODES.objectNode();
    out.set("TableDescription", ctx.tableDescription(after, "ACTIVE"));
    return out;
  }

  ObjectNode describeTimeToLive(DynamoRequest r) {
    String name = r.tableName("TableName");
    r.validate();
    ctx.describe(name);
    ObjectNode out = ServiceContext.NODES.objectNode();
    out.putObject("TimeToLiveDescription").put("TimeToLiveStatus", "DISABLED");
    return out;
  }
}
