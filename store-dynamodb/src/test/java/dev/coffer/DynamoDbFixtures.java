package dev.coffer;

import dev.coffer.store.dynamodb.DynamoDbBackend;
import dev.coffer.store.dynamodb.LocalDynamo;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** The DynamoDB (dynalite) fixture of the engine's backend-parameterised suites. */
final class DynamoDbFixtures {
  private static DynamoDbClient client;

  private DynamoDbFixtures() {}

  /** Whether the long runs were asked for ({@code -Dcoffer.dynamodb.long=true}). */
  static boolean longRuns() {
    return Boolean.getBoolean("coffer.dynamodb.long");
  }

  static synchronized DynamoDbClient client() {
    if (client == null) {
      client = LocalDynamo.client(null);
    }
    return client;
  }

  /** Each store in a DynamoDB table of its own on this JVM's dynalite. */
  static BackendFixture fixture() {
    return BackendFixture.shared(
        "dynamodb",
        () ->
            DynamoDbBackend.builder()
                .client(client())
                .tableName(LocalDynamo.freshTable("suite"))
                .build());
  }
}
