package dev.coffer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coffer.kms.local.LocalKeyProvider;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Capacity settings given to CreateTable and UpdateTable are kept in the catalog across reopens.
 */
class CapacitySettingsTest {
  @TempDir Path tmp;

  private static CapacitySettings provisioned(long read, long write) {
    return CapacitySettings.builder()
        .billingMode(CapacitySettings.BillingMode.PROVISIONED)
        .readCapacityUnits(read)
        .writeCapacityUnits(write)
        .build();
  }

  @Test
  void settingsGivenAtCreationAndUpdatedAreDescribedAfterAReopen() {
    ChildJvm jvm = new ChildJvm(tmp);
    CapacitySettings updated =
        provisioned(9, 4).toBuilder()
            .lastIncrease(Instant.parse("2026-01-02T03:04:05.678Z"))
            .lastDecrease(Instant.parse("2026-01-02T03:04:05.678Z"))
            .decreasesToday(1)
            .build();
    try (LocalKeyProvider p = jvm.provider()) {
      try (Coffer c = Coffer.open(jvm.dir(), jvm.options(p).build())) {
        Table t =
            c.createTable(
                TableSpec.builder()
                    .name("provisioned")
                    .partitionKey("id", AttributeType.S)
                    .capacitySettings(provisioned(5, 5))
                    .build());
        c.createTable(
            TableSpec.builder().name("plain").partitionKey("id", AttributeType.S).build());
        assertThat(t.describe().capacitySettings()).isEqualTo(provisioned(5, 5));
        assertThat(t.updateCapacitySettings(updated).capacitySettings()).isEqualTo(updated);
        t.putItem(Item.builder().string("id", "a").build());
      }
      try (Coffer c = Coffer.open(jvm.dir(), jvm.options(p).build())) {
        assertThat(c.describeTable("provisioned").capacitySettings()).isEqualTo(updated);
        assertThat(c.describeTable("plain").capacitySettings())
            .isEqualTo(CapacitySettings.payPerRequest());
        assertThat(c.table("provisioned").getItem(Key.of("a"))).isPresent();
        assertThat(c.verify().clean()).isTrue();
      }
    }
  }

  @Test
  void theBuilderChecksDynamoDbsRules() {
    assertThatThrownBy(() -> CapacitySettings.builder().build())
        .isInstanceOf(ValidationException.class);
    assertThatThrownBy(() -> provisioned(0, 1))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("must both be specified when BillingMode is PROVISIONED");
    assertThatThrownBy(
            () ->
                CapacitySettings.builder()
                    .billingMode(CapacitySettings.BillingMode.PAY_PER_REQUEST)
                    .readCapacityUnits(1)
                    .build())
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("can be specified when BillingMode is PAY_PER_REQUEST");
    assertThat(provisioned(1, 2).toBuilder().build()).isEqualTo(provisioned(1, 2));
  }
}
