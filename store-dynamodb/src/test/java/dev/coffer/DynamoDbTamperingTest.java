package dev.coffer;

/** {@link TamperingTest} over DynamoDB (dynalite): records changed through DynamoDB's own API. */
class DynamoDbTamperingTest extends TamperingTest {
  @Override
  BackendFixture fixture() {
    return DynamoDbFixtures.fixture();
  }
}
