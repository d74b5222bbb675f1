package dev.coffer.cli.dynamodb;

import picocli.CommandLine.Option;

/**
 * The options of a conditional write (PutItem, DeleteItem; UpdateItem adds its own), with the AWS
 * CLI's names: {@code --condition-expression}, {@code --expression-attribute-names}, {@code
 * --expression-attribute-values}, {@code --return-values-on-condition-check-failure}. A picocli
 * mixin; its fields are read by the command.
 */
final class ConditionOptions {
  @Option(
      names = "--condition-expression",
      description =
          "A condition the current item (or no item) must meet, e.g. 'attribute_not_exists(pk)'.")
  String conditionExpression;

  @Option(
      names = "--expression-attribute-names",
      paramLabel = "JSON|file://PATH",
      description = "Attribute names of the #placeholders: {\"#n\": \"name\"}.")
  String expressionAttributeNames;

  @Option(
      names = "--expression-attribute-values",
      paramLabel = "JSON|file://PATH",
      description = "Values of the :placeholders in DynamoDB JSON: {\":v\": {\"N\": \"1\"}}.")
  String expressionAttributeValues;

  @Option(
      names = "--return-values-on-condition-check-failure",
      paramLabel = "ALL_OLD|NONE",
      description =
          "ALL_OLD: a failed condition reports the item it was evaluated on (the AWS CLI prints only"
              + " the error).")
  String returnValuesOnConditionCheckFailure;
}
