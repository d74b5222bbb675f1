package dev.coffer.cli.dynamodb;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.coffer.ValidationException;
import dev.coffer.server.CapacityUnits;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * {@code --return-consumed-capacity INDEXES|TOTAL|NONE} of the item commands, as the AWS CLI has
 * it: the {@code ConsumedCapacity} of the request in DynamoDB's shape, by the capacity arithmetic
 * {@code coffer serve} answers with ({@link CapacityUnits}, the one place it is computed). Coffer
 * has no capacity limits: the figures say what the request would consume in DynamoDB. Not
 * thread-safe (one per command invocation).
 */
final class CapacityOption {
  @Option(
      names = "--return-consumed-capacity",
      paramLabel = "INDEXES|TOTAL|NONE",
      description =
          "Print ConsumedCapacity: the capacity units the request would consume in DynamoDB"
              + " (Coffer has no capacity limits).")
  String returnConsumedCapacity;

  /**
   * The mode, checked as DynamoDB checks it (call before the request runs); null when not given.
   *
   * @throws ValidationException for another value
   */
  String mode() {
    if (returnConsumedCapacity != null && !CapacityUnits.MODES.contains(returnConsumedCapacity)) {
      throw ReturnValues.enumValue(
          returnConsumedCapacity, "returnConsumedCapacity", "[INDEXES, TOTAL, NONE]");
    }
    return returnConsumedCapacity;
  }

  /** Whether consumed capacity is asked for. */
  boolean wanted() {
    return CapacityUnits.wanted(mode());
  }

  /** Sets {@code ConsumedCapacity} (one table) on {@code out} when asked for. */
  void put(ObjectNode out, String table, double units) {
    ObjectNode c = CapacityUnits.json(mode(), table, units);
    if (c != null) {
      out.set("ConsumedCapacity", c);
    }
  }

  /**
   * Sets {@code ConsumedCapacity} (a list, one per table, in order) on {@code out} when asked for.
   */
  void putAll(ObjectNode out, Map<String, Double> units) {
    if (wanted()) {
      ArrayNode list = out.putArray("ConsumedCapacity");
      units.forEach((t, u) -> list.add(CapacityUnits.json(mode(), t, u)));
    }
  }
}
