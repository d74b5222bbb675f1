package dev.coffer;

/**
 * {@link ModelBasedPropertiesTest} over DynamoDB (dynalite): each property's store in a DynamoDB
 * table. The default build runs a tenth of the operations of each try (dynalite serves a few
 * hundred requests a second); {@code -Dcoffer.dynamodb.long=true} runs them all.
 */
class DynamoDbModelBasedPropertiesTest extends ModelBasedPropertiesTest {
  @Override
  BackendFixture fixture() {
    return DynamoDbFixtures.fixture();
  }

  @Override
  double opsScale() {
    return DynamoDbFixtures.longRuns() ? 1 : 0.1;
  }
}
