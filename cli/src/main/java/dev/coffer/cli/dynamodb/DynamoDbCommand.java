package dev.coffer.cli.dynamodb;

import picocli.CommandLine.Command;

/**
 * {@code coffer dynamodb}: the DynamoDB operations Coffer implements, with {@code aws dynamodb}'s
 * argument names and output shapes, against the store named by {@code --store}, opened with the key
 * provider and master key of the run as {@code --principal}.
 */
@Command(
    name = "dynamodb",
    description =
        "Create tables and read and write items, as 'aws dynamodb' does, in an encrypted store (a"
            + " local directory, or a shared record backend with --backend).",
    subcommands = {
      CreateTableCommand.class,
      DescribeTableCommand.class,
      ListTablesCommand.class,
      DeleteTableCommand.class,
      PutItemCommand.class,
      GetItemCommand.class,
      DeleteItemCommand.class,
      UpdateItemCommand.class,
      QueryCommand.class,
      ScanCommand.class,
      BatchGetItemCommand.class,
      BatchWriteItemCommand.class,
      TransactWriteItemsCommand.class,
      TransactGetItemsCommand.class
    },
    footer = {
      "",
      "Examples:",
      "  export COFFER_STORE=$HOME/.coffer/store COFFER_MASTER_KEY=alias/coffer",
      "  coffer dynamodb create-table --table-name Music \\",
      "      --attribute-definitions AttributeName=Artist,AttributeType=S \\",
      "      --key-schema AttributeName=Artist,KeyType=HASH",
      "  coffer dynamodb put-item --table-name Music \\",
      "      --item '{\"Artist\": {\"S\": \"Acme Band\"}}'",
      "  coffer dynamodb scan --table-name Music"
    })
public final class DynamoDbCommand {}
