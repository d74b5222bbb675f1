package dev.coffer.cli;

/**
 * A command that performs one AWS-shaped operation, e.g. {@code coffer kms decrypt} performs {@code
 * Decrypt}. Error lines name it: {@code An error occurred (X) when calling the Decrypt operation:
 * ...}.
 */
public interface AwsOperation {

  /** The operation name in the AWS API, e.g. {@code GenerateDataKey}. */
  String operationName();

  /** {@code generate-data-key} becomes {@code GenerateDataKey}. */
  static String fromCommandName(String commandName) {
    StringBuilder out = new StringBuilder();
    for (String part : commandName.split("-")) {
      if (!part.isEmpty()) {
        out.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
      }
    }
    return out.toString();
  }
}
