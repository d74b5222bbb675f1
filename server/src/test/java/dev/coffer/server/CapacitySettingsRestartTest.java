package dev.coffer.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coffer.kms.SecretBytes;
import dev.coffer.kms.local.LocalKeyProvider;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughput;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughputDescription;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;

/**
 * BillingMode and ProvisionedThroughput given to CreateTable and UpdateTable are kept in the
 * table's catalog entry: DescribeTable echoes them after the server and the store restart on the
 * same directory (they were lost before: the server kept them in memory).
 */
class CapacitySettingsRestartTest {
  private static final byte[] RAW_KEY = new byte[32];

  @TempDir Path dir;

  private LocalKeyProvider keystore() {
    return LocalKeyProvider.builder()
        .keystore(dir.resolve("keystore"))
        .rawKey(SecretBytes.copyOf(RAW_KEY))
        .build();
  }

  private ServeFixture serve() {
    return ServeFixture.start(dir.resolve("store"), this::keystore, b -> {});
  }

  private static TableDescription describe(DynamoDbClient ddb, String name) {
    return ddb.describeTable(b -> b.tableName(name)).table();
  }

  @Test
  void provisionedThroughputUpdatedBeforeARestartIsDescribedAfterIt() {
    ProvisionedThroughputDescription before;
    try (ServeFixture serve = serve();
        DynamoDbClient ddb = serve.dynamo()) {
      ddb.createTable(
          b ->
              b.tableName("Orders")
                  .attributeDefinitions(
                      AttributeDefinition.builder()
                          .attributeName("id")
                          .attributeType(ScalarAttributeType.S)
                          .build())
                  .keySchema(
                      KeySchemaElement.builder().attributeName("id").keyType(KeyType.HASH).build())
                  .provisionedThroughput(
                      ProvisionedThroughput.builder()
                          .readCapacityUnits(5L)
                          .writeCapacityUnits(5L)
                          .build()));
      ddb.createTable(
          b ->
              b.tableName("OnDemand")
                  .attributeDefinitions(
                      AttributeDefinition.builder()
                          .attributeName("id")
                          .attributeType(ScalarAttributeType.S)
                          .build())
                  .keySchema(
                      KeySchemaElement.builder().attributeName("id").keyType(KeyType.HASH).build())
                  .billingMode(BillingMode.PAY_PER_REQUEST));
      ddb.updateTable(
          b ->
              b.tableName("Orders")
                  .provisionedThroughput(
                      ProvisionedThroughput.builder()
                          .readCapacityUnits(10L)
                          .writeCapacityUnits(3L)
                          .build()));
      before = describe(ddb, "Orders").provisionedThroughput();
      assertThat(before.readCapacityUnits()).isEqualTo(10L);
      assertThat(before.writeCapacityUnits()).isEqualTo(3L);
      assertThat(before.lastIncreaseDateTime()).isNotNull();
      assertThat(before.lastDecreaseDateTime()).isNotNull();
      assertThat(before.numberOfDecreasesToday()).isEqualTo(1L);
    }
    try (ServeFixture serve = serve();
        DynamoDbClient ddb = serve.dynamo()) {
      TableDescription orders = describe(ddb, "Orders");
      assertThat(orders.provisionedThroughput()).isEqualTo(before);
      assertThat(orders.billingModeSummary()).isNull();
      TableDescription onDemand = describe(ddb, "OnDemand");
      assertThat(onDemand.billingModeSummary().billingMode())
          .isEqualTo(BillingMode.PAY_PER_REQUEST);
      assertThat(onDemand.provisionedThroughput().readCapacityUnits()).isZero();
      // a change after the restart builds on the settings kept
      ddb.updateTable(b -> b.tableName("Orders").billingMode(BillingMode.PAY_PER_REQUEST));
    }
    try (ServeFixture serve = serve();
        DynamoDbClient ddb = serve.dynamo()) {
      TableDescription orders = describe(ddb, "Orders");
      assertThat(orders.billingModeSummary().billingMode()).isEqualTo(BillingMode.PAY_PER_REQUEST);
      assertThat(orders.provisionedThroughput().readCapacityUnits()).isZero();
      assertThat(orders.provisionedThroughput().lastIncreaseDateTime())
          .isEqualTo(before.lastIncreaseDateTime());
    }
  }
}
