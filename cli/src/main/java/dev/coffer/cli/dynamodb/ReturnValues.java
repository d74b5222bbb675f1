package dev.coffer.cli.dynamodb;

import dev.coffer.ValidationException;
import dev.coffer.cli.input.Excerpt;

/** The {@code --return-values} of PutItem and DeleteItem: {@code NONE} or {@code ALL_OLD}. */
final class ReturnValues {
  private ReturnValues() {}

  /**
   * Whether the old item is asked for.
   *
   * @throws ValidationException for any value other than NONE and ALL_OLD
   */
  static boolean allOld(String value, String operation) {
    if (value == null || value.equals("NONE")) {
      return false;
    }
    if (value.equals("ALL_OLD")) {
      return true;
    }
    throw new ValidationException("Return values set to invalid value: " + Excerpt.of(value) + " (" + operation
        + " takes NONE or ALL_OLD)");
  }
}
