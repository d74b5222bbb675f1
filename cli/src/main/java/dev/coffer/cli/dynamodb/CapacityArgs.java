package dev.coffer.cli.dynamodb;

import com.fasterxml.jackson.databind.JsonNode;
import dev.coffer.CapacitySettings;
import dev.coffer.ValidationException;
import dev.coffer.cli.CliInputException;
import dev.coffer.cli.input.Excerpt;
import dev.coffer.cli.input.ParamFiles;
import dev.coffer.cli.input.UserJson;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code create-table}'s capacity settings, checked as DynamoDB and the AWS CLI check them, so a
 * typo is never silently taken: an unknown {@code --billing-mode} or {@code --table-class} is
 * DynamoDB's {@link ValidationException}; a {@code --provisioned-throughput} that is not two whole
 * numbers of at least 1 is refused by the AWS CLI before any request ("Parameter validation
 * failed", bad usage); {@code PROVISIONED} without throughput and {@code PAY_PER_REQUEST} with it
 * are DynamoDB's ValidationExceptions. The billing mode and throughput are kept in the table's
 * catalog entry ({@link CapacitySettings}) and described back; Coffer enforces no capacity limits.
 * The table class is checked only. One departure: with neither {@code --billing-mode} nor {@code
 * --provisioned-throughput} the table is {@code PAY_PER_REQUEST} (DynamoDB would ask for
 * throughput, its default mode being {@code PROVISIONED}), so the short commands of the tutorials
 * work. Stateless.
 */
final class CapacityArgs {
  private static final List<String> BILLING_MODES = List.of("PROVISIONED", "PAY_PER_REQUEST");
  private static final List<String> TABLE_CLASSES =
      List.of("STANDARD", "STANDARD_INFREQUENT_ACCESS");
  private static final List<String> UNITS = List.of("ReadCapacityUnits", "WriteCapacityUnits");

  private CapacityArgs() {}

  /**
   * Checks the three settings (null means not given) and returns the capacity settings the table
   * keeps.
   *
   * @throws CliInputException when {@code --provisioned-throughput} is malformed
   * @throws ValidationException when the billing mode or table class is not one DynamoDB knows, or
   *     the billing mode and the throughput do not go together
   */
  static CapacitySettings settings(
      String billingMode, String provisionedThroughput, String tableClass) {
    Map<String, Long> units =
        provisionedThroughput == null ? null : throughput(provisionedThroughput);
    oneOf(billingMode, "billingMode", BILLING_MODES);
    oneOf(tableClass, "tableClass", TABLE_CLASSES);
    String mode =
        billingMode != null ? billingMode : units != null ? "PROVISIONED" : "PAY_PER_REQUEST";
    if (mode.equals("PROVISIONED") && units == null) {
      throw new ValidationException(
          "One or more parameter values were invalid: ReadCapacityUnits and"
              + " WriteCapacityUnits must both be specified when BillingMode is PROVISIONED");
    }
    if (mode.equals("PAY_PER_REQUEST")) {
      if (units != null) {
        throw new ValidationException(
            "One or more parameter values were invalid: Neither ReadCapacityUnits nor"
                + " WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST");
      }
      return CapacitySettings.payPerRequest();
    }
    return CapacitySettings.builder()
        .billingMode(CapacitySettings.BillingMode.PROVISIONED)
        .readCapacityUnits(units.get("ReadCapacityUnits"))
        .writeCapacityUnits(units.get("WriteCapacityUnits"))
        .build();
  }

  private static void oneOf(String value, String member, List<String> allowed) {
    if (value != null && !allowed.contains(value)) {
      throw new ValidationException(
          "1 validation error detected: Value '"
              + Excerpt.of(value)
              + "' at '"
              + member
              + "' failed to satisfy constraint: Member must satisfy enum value set: "
              + allowed);
    }
  }

  /**
   * The two capacity units, from shorthand {@code ReadCapacityUnits=5,WriteCapacityUnits=5} or
   * JSON.
   */
  static Map<String, Long> throughput(String value) {
    String option = "--provisioned-throughput";
    String text = ParamFiles.text(option, value).strip();
    Map<String, String> raw = new LinkedHashMap<>();
    if (text.startsWith("{")) {
      JsonNode node = UserJson.parameter(option, value, text);
      for (Map.Entry<String, JsonNode> e : node.properties()) {
        raw.put(
            e.getKey(),
            e.getValue().isIntegralNumber() ? e.getValue().asText() : e.getValue().toString());
      }
    } else {
      for (String pair : text.split(",")) {
        int eq = pair.indexOf('=');
        if (eq < 1) {
          throw CliInputException.parameter(
              option,
              "Expected: 'ReadCapacityUnits=N,WriteCapacityUnits=N', received: '"
                  + Excerpt.of(pair)
                  + "'");
        }
        if (raw.put(pair.substring(0, eq).strip(), pair.substring(eq + 1).strip()) != null) {
          throw CliInputException.parameter(
              option, "the key '" + Excerpt.of(pair.substring(0, eq).strip()) + "' is given twice");
        }
      }
    }
    Map<String, Long> units = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : raw.entrySet()) {
      if (!UNITS.contains(e.getKey())) {
        throw invalid(
            "Unknown parameter in ProvisionedThroughput: \""
                + Excerpt.of(e.getKey())
                + "\", must be one of: ReadCapacityUnits, WriteCapacityUnits");
      }
      String at = "ProvisionedThroughput." + e.getKey();
      long n;
      try {
        n = Long.parseLong(e.getValue());
      } catch (NumberFormatException notInt) {
        throw invalid(
            "Invalid type for parameter "
                + at
                + ", value: "
                + Excerpt.of(e.getValue())
                + ", valid types: <class 'int'>");
      }
      if (n < 1) {
        throw invalid(
            "Invalid value for parameter " + at + ", value: " + n + ", valid min value: 1");
      }
      units.put(e.getKey(), n);
    }
    for (String unit : UNITS) {
      if (!units.containsKey(unit)) {
        throw invalid("Missing required parameter in ProvisionedThroughput: \"" + unit + "\"");
      }
    }
    return units;
  }

  private static CliInputException invalid(String reason) {
    return new CliInputException("Parameter validation failed: " + reason);
  }
}
