package dev.coffer.internal.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.coffer.CapacitySettings;
import dev.coffer.CorruptionException;
import dev.coffer.proto.CatalogEntry;
import dev.coffer.proto.KeyAttribute;
import dev.coffer.proto.KeyType;
import dev.coffer.proto.TableOptions;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * Catalog entry formats 1 and 2: an entry without capacity settings is (and stays) format 1 and is
 * described as PAY_PER_REQUEST; one with settings is format 2; format 1 with settings, or another
 * version, is corruption; the settings survive a reopen of the catalog.
 */
class CapacitySettingsFormatTest {
  private static final byte[] TABLE = new byte[16];

  private static final CapacitySettings PROVISIONED =
      CapacitySettings.builder()
          .billingMode(CapacitySettings.BillingMode.PROVISIONED)
          .readCapacityUnits(7)
          .writeCapacityUnits(3)
          .lastIncrease(Instant.ofEpochMilli(1_700_000_000_123L))
          .decreasesToday(2)
          .build();

  private static CatalogEntry.Builder entry(int format) {
    return CatalogEntry.newBuilder()
        .setFormatVersion(format)
        .setTableId(ByteString.copyFrom(TABLE))
        .setPartitionKey(KeyAttribute.newBuilder().setName("pk").setType(KeyType.KEY_TYPE_S));
  }

  @Test
  void aFormatOneEntryWithoutSettingsOpensAsPayPerRequest() {
    CatalogEntry e = CatalogEntries.parse(TABLE, entry(1).build().toByteArray());
    assertThat(TableCapacity.of(e)).isEqualTo(CapacitySettings.payPerRequest());
  }

  @Test
  void aFormatTwoEntryKeepsEverySetting() {
    byte[] stored =
        entry(2)
            .setOptions(TableOptions.newBuilder().setCapacity(TableCapacity.toProto(PROVISIONED)))
            .build()
            .toByteArray();
    assertThat(TableCapacity.of(CatalogEntries.parse(TABLE, stored))).isEqualTo(PROVISIONED);
  }

  @Test
  void settingsInAFormatOneEntryOrAnUnknownFormatAreCorruption() {
    TableOptions with =
        TableOptions.newBuilder().setCapacity(TableCapacity.toProto(PROVISIONED)).build();
    assertThatThrownBy(
            () -> CatalogEntries.parse(TABLE, entry(1).setOptions(with).build().toByteArray()))
        .isInstanceOf(CorruptionException.class)
        .hasMessageStartingWith("A catalog entry has an unknown format");
    assertThatThrownBy(() -> CatalogEntries.parse(TABLE, entry(3).build().toByteArray()))
        .isInstanceOf(CorruptionException.class)
        .hasMessageStartingWith("A catalog entry has an unknown format");
  }

  @Test
  void invalidStoredSettingsAreCorruption() {
    CatalogEntry e =
        entry(2)
            .setOptions(
                TableOptions.newBuilder()
                    .setCapacity(
                        TableCapacity.toProto(PROVISIONED).toBuilder().setReadCapacityUnits(0)))
            .build();
    assertThatThrownBy(() -> TableCapacity.of(e))
        .isInstanceOf(CorruptionException.class)
        .hasMessageStartingWith("A catalog entry has invalid capacity settings");
    CatalogEntry unknownMode =
        entry(2)
            .setOptions(
                TableOptions.newBuilder()
                    .setCapacity(
                        dev.coffer.proto.CapacitySettings.newBuilder().setBillingModeValue(9)))
            .build();
    assertThatThrownBy(() -> TableCapacity.of(unknownMode))
        .isInstanceOf(CorruptionException.class)
        .hasMessageContaining("unknown billing mode 9");
  }

  @Test
  void aTableCreatedWithoutSettingsStaysFormatOneAndAnUpdateMakesItFormatTwoAcrossAReopen() {
    CatalogFixture f = new CatalogFixture();
    CatalogFixture.Open first = f.open();
    TableContext t = CatalogFixture.create(first.catalog(), "events");
    assertThat(t.entry().getFormatVersion()).isEqualTo(1);
    TableCapacity.update(first.catalog(), t, PROVISIONED);
    assertThat(t.entry().getFormatVersion()).isEqualTo(2);
    first.catalog().close();
    CatalogFixture.Open second = f.open();
    TableContext again = second.catalog().get("events");
    assertThat(TableCapacity.of(again.entry())).isEqualTo(PROVISIONED);
    assertThat(TableDescriptions.of(again).capacitySettings()).isEqualTo(PROVISIONED);
    second.catalog().close();
  }
}
