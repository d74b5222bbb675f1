package dev.coffer.store.dynamodb;

import dev.coffer.StorageException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.dynamodb.model.TableStatus;

/**
 * Makes sure the store's DynamoDB table exists with Coffer's key schema: describes it, creates it
 * when missing (on-demand capacity), waits until it is active, and refuses a table whose key schema
 * is another. Not thread-safe (one per backend, at build time).
 */
final class TableSetup {
  private static final long WAIT_MILLIS = 120_000;

  private final DynamoDbClient client;
  private final String table;

  TableSetup(DynamoDbClient client, String table) {
    this.client = client;
    this.table = table;
  }

  void ensure() {
    try {
      TableDescription d = describe();
      if (d == null) {
        try {
          client.createTable(
              c ->
                  c.tableName(table)
                      .billingMode(BillingMode.PAY_PER_REQUEST)
                      .attributeDefinitions(
                          AttributeDefinition.builder()
                              .attributeName(DynamoDbBackend.P)
                              .attributeType(ScalarAttributeType.B)
                              .build(),
                          AttributeDefinition.builder()
                              .attributeName(DynamoDbBackend.S)
                              .attributeType(ScalarAttributeType.B)
                              .build())
                      .keySchema(
                          KeySchemaElement.builder()
                              .attributeName(DynamoDbBackend.P)
                              .keyType(KeyType.HASH)
                              .build(),
                          KeySchemaElement.builder()
                              .attributeName(DynamoDbBackend.S)
                              .keyType(KeyType.RANGE)
                              .build()));
        } catch (ResourceInUseException createdMeanwhile) {
          // another instance created it first
        }
        d = describe();
      }
      long deadline = System.currentTimeMillis() + WAIT_MILLIS;
      while (d == null || d.tableStatus() != TableStatus.ACTIVE) {
        if (System.currentTimeMillis() > deadline) {
          throw new StorageException(
              "DynamoDB table "
                  + table
                  + " did not become ACTIVE within "
                  + WAIT_MILLIS / 1000
                  + " s");
        }
        Thread.sleep(250);
        d = describe();
      }
      check(d);
    } catch (SdkException e) {
      throw new StorageException(
          "Preparing DynamoDB table " + table + " failed: " + DynamoDbBackend.brief(e), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StorageException("Interrupted while waiting for DynamoDB table " + table, e);
    }
  }

  private TableDescription describe() {
    try {
      return client.describeTable(r -> r.tableName(table)).table();
    } catch (ResourceNotFoundException e) {
      return null;
    }
  }

  private void check(TableDescription d) {
    boolean hash = false;
    boolean range = false;
    for (KeySchemaElement k : d.keySchema()) {
      hash |= k.keyType() == KeyType.HASH && k.attributeName().equals(DynamoDbBackend.P);
      range |= k.keyType() == KeyType.RANGE && k.attributeName().equals(DynamoDbBackend.S);
    }
    boolean binary =
        d.attributeDefinitions().stream()
            .filter(
                a ->
                    a.attributeName().equals(DynamoDbBackend.P)
                        || a.attributeName().equals(DynamoDbBackend.S))
            .allMatch(a -> a.attributeType() == ScalarAttributeType.B);
    if (!hash || !range || !binary || d.keySchema().size() != 2) {
      throw new StorageException(
          "DynamoDB table "
              + table
              + " does not have Coffer's key schema (p: B HASH, s: B"
              + " RANGE); it is not a Coffer store");
    }
  }
}
