package dev.coffer.store.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coffer.StorageException;
import dev.coffer.ValidationException;
import dev.coffer.spi.RecordBackend;
import dev.coffer.spi.RecordBackendContract;
import dev.coffer.spi.RecordBackends;
import org.junit.jupiter.api.Test;

/**
 * The SPI contract held by {@link DynamoDbBackend} against dynalite, and its URI and table checks.
 */
class DynamoDbBackendContractTest extends RecordBackendContract {
  @Override
  protected RecordBackend newBackend() {
    return DynamoDbBackend.builder()
        .client(LocalDynamo.client(null))
        .tableName(LocalDynamo.freshTable("contract"))
        .build();
  }

  @Test
  void theUriOpensABackendThatCreatesItsTable() {
    String table = LocalDynamo.freshTable("uri");
    try (RecordBackend b =
        RecordBackends.open(
            "dynamodb:"
                + table
                + "?region=us-east-1&endpoint="
                + LocalDynamo.dynalite().endpoint())) {
      assertThat(b.location())
          .isEqualTo(
              "dynamodb:" + table + " (us-east-1, " + LocalDynamo.dynalite().endpoint() + ")");
      assertThat(b.get(new byte[] {1}, new byte[] {1})).isNull();
    }
  }

  @Test
  void badUrisAndMissingTablesAreRefusedWithTheirReason() {
    assertThatThrownBy(() -> RecordBackends.open("dynamodb:x"))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("table name");
    assertThatThrownBy(() -> RecordBackends.open("dynamodb:good-name?colour=blue"))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("unknown parameter 'colour'");
    assertThatThrownBy(() -> RecordBackends.open("dynamodb:good-name?endpoint=ftp://x"))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("endpoint");
    assertThatThrownBy(() -> RecordBackends.open("nosuch:thing"))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("dynamodb:<table>");
    String table = LocalDynamo.freshTable("absent");
    assertThatThrownBy(
            () ->
                RecordBackends.open(
                        "dynamodb:"
                            + table
                            + "?create=false&region=us-east-1&endpoint="
                            + LocalDynamo.dynalite().endpoint())
                    .get(new byte[] {1}, new byte[] {1}))
        .isInstanceOf(StorageException.class)
        .hasMessageContaining("does not exist");
  }

  @Test
  void aTableWithAnotherKeySchemaIsNotTakenForAStore() {
    String table = LocalDynamo.freshTable("foreign");
    try (var client = LocalDynamo.client(null)) {
      client.createTable(
          c ->
              c.tableName(table)
                  .billingMode("PAY_PER_REQUEST")
                  .attributeDefinitions(
                      software.amazon.awssdk.services.dynamodb.model.AttributeDefinition.builder()
                          .attributeName("id")
                          .attributeType("S")
                          .build())
                  .keySchema(
                      software.amazon.awssdk.services.dynamodb.model.KeySchemaElement.builder()
                          .attributeName("id")
                          .keyType("HASH")
                          .build()));
      assertThatThrownBy(() -> DynamoDbBackend.builder().client(client).tableName(table).build())
          .isInstanceOf(StorageException.class)
          .hasMessageContaining("key schema");
    }
  }
}
