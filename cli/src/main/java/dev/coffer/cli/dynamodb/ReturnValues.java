package dev.coffer.cli.dynamodb;

import dev.coffer.ReturnValue;
import dev.coffer.ReturnValuesOnConditionCheckFailure;
import dev.coffer.Select;
import dev.coffer.ValidationException;
import dev.coffer.cli.input.Excerpt;

/**
 * The enumerated request options of the item commands, checked as DynamoDB checks them (its {@code
 * 1 validation error detected: ... Member must satisfy enum value set: [...]}); which values an
 * operation accepts beyond that (PutItem's ReturnValues NONE or ALL_OLD) is the engine's check.
 * Stateless.
 */
final class ReturnValues {
  private ReturnValues() {}

  /** {@code --return-values}, or NONE when not given. */
  static ReturnValue returnValues(String value) {
    if (value == null) {
      return ReturnValue.NONE;
    }
    for (ReturnValue r : ReturnValue.values()) {
      if (r.name().equals(value)) {
        return r;
      }
    }
    throw enumValue(value, "returnValues", "[ALL_NEW, UPDATED_OLD, ALL_OLD, NONE, UPDATED_NEW]");
  }

  /** {@code --return-values-on-condition-check-failure}, or NONE when not given. */
  static ReturnValuesOnConditionCheckFailure onConditionCheckFailure(String value) {
    if (value == null || value.equals("NONE")) {
      return ReturnValuesOnConditionCheckFailure.NONE;
    }
    if (value.equals("ALL_OLD")) {
      return ReturnValuesOnConditionCheckFailure.ALL_OLD;
    }
    throw enumValue(value, "returnValuesOnConditionCheckFailure", "[ALL_OLD, NONE]");
  }

  /**
   * {@code --select} of Query and Scan, or null when not given. ALL_PROJECTED_ATTRIBUTES is for
   * secondary indexes, which Coffer has none of.
   */
  static Select select(String value, String operation) {
    if (value == null) {
      return null;
    }
    switch (value) {
      case "ALL_ATTRIBUTES":
        return Select.ALL_ATTRIBUTES;
      case "SPECIFIC_ATTRIBUTES":
        return Select.SPECIFIC_ATTRIBUTES;
      case "COUNT":
        return Select.COUNT;
      case "ALL_PROJECTED_ATTRIBUTES":
        throw new ValidationException(
            "ALL_PROJECTED_ATTRIBUTES can be used only when " + operation + " using an IndexName");
      default:
        throw enumValue(
            value,
            "select",
            "[SPECIFIC_ATTRIBUTES, COUNT, ALL_ATTRIBUTES, ALL_PROJECTED_ATTRIBUTES]");
    }
  }

  static ValidationException enumValue(String value, String member, String set) {
    return new ValidationException(
        "1 validation error detected: Value '"
            + Excerpt.of(value)
            + "' at '"
            + member
            + "' failed to satisfy constraint: Member must satisfy enum value set: "
            + set);
  }
}
