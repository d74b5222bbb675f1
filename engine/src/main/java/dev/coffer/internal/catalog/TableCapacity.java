package dev.coffer.internal.catalog;

import dev.coffer.CapacitySettings;
import dev.coffer.CorruptionException;
import dev.coffer.proto.CatalogEntry;
import dev.coffer.proto.TableOptions;
import java.time.Instant;
import java.util.HexFormat;

/**
 * A table's capacity settings (billing mode, provisioned throughput) in its catalog entry: {@code
 * TableOptions.capacity}, present only in entries of format {@value CatalogEntries#FORMAT_CAPACITY}
 * (an entry without settings stays format {@value CatalogEntries#FORMAT}, which older builds read).
 * They are kept to be described back and change nothing else. Stateless.
 */
public final class TableCapacity {
  private TableCapacity() {}

  /** {@code settings} as the catalog keeps them. */
  public static dev.coffer.proto.CapacitySettings toProto(CapacitySettings settings) {
    return dev.coffer.proto.CapacitySettings.newBuilder()
        .setBillingMode(
            settings.billingMode() == CapacitySettings.BillingMode.PROVISIONED
                ? dev.coffer.proto.CapacitySettings.BillingMode.BILLING_MODE_PROVISIONED
                : dev.coffer.proto.CapacitySettings.BillingMode.BILLING_MODE_PAY_PER_REQUEST)
        .setReadCapacityUnits(settings.readCapacityUnits())
        .setWriteCapacityUnits(settings.writeCapacityUnits())
        .setLastIncreaseMillis(settings.lastIncrease().map(Instant::toEpochMilli).orElse(0L))
        .setLastDecreaseMillis(settings.lastDecrease().map(Instant::toEpochMilli).orElse(0L))
        .setDecreasesToday(settings.decreasesToday())
        .build();
  }

  /**
   * The settings {@code entry} keeps; {@link CapacitySettings#payPerRequest()} for an entry without
   * (format 1).
   *
   * @throws CorruptionException when the stored settings are not valid
   */
  public static CapacitySettings of(CatalogEntry entry) {
    if (!entry.getOptions().hasCapacity()) {
      return CapacitySettings.payPerRequest();
    }
    dev.coffer.proto.CapacitySettings c = entry.getOptions().getCapacity();
    try {
      CapacitySettings.BillingMode mode =
          switch (c.getBillingMode()) {
            case BILLING_MODE_PROVISIONED -> CapacitySettings.BillingMode.PROVISIONED;
            case BILLING_MODE_PAY_PER_REQUEST -> CapacitySettings.BillingMode.PAY_PER_REQUEST;
            default ->
                throw new IllegalArgumentException(
                    "unknown billing mode " + c.getBillingModeValue());
          };
      if (c.getReadCapacityUnits() < 0 || c.getWriteCapacityUnits() < 0) {
        throw new IllegalArgumentException("capacity units above 2^63");
      }
      return CapacitySettings.builder()
          .billingMode(mode)
          .readCapacityUnits(c.getReadCapacityUnits())
          .writeCapacityUnits(c.getWriteCapacityUnits())
          .lastIncrease(
              c.getLastIncreaseMillis() == 0
                  ? null
                  : Instant.ofEpochMilli(c.getLastIncreaseMillis()))
          .lastDecrease(
              c.getLastDecreaseMillis() == 0
                  ? null
                  : Instant.ofEpochMilli(c.getLastDecreaseMillis()))
          .decreasesToday(c.getDecreasesToday())
          .build();
    } catch (RuntimeException e) {
      String where = "catalog entry " + HexFormat.of().formatHex(entry.getTableId().toByteArray());
      throw new CorruptionException(
          "A catalog entry has invalid capacity settings (" + where + "): " + e.getMessage(),
          null,
          where,
          e);
    }
  }

  /** {@code options} with {@code settings} (null: none). */
  static TableOptions with(TableOptions options, CapacitySettings settings) {
    return settings == null
        ? options.toBuilder().clearCapacity().build()
        : options.toBuilder().setCapacity(toProto(settings)).build();
  }

  /**
   * Replaces table {@code t}'s capacity settings in its catalog entry (a synced catalog write; the
   * entry becomes format {@value CatalogEntries#FORMAT_CAPACITY}).
   */
  public static void update(Catalog catalog, TableContext t, CapacitySettings settings) {
    catalog.updateEntry(
        t,
        () -> {
          t.checkLive();
          CatalogEntry e = t.entry();
          catalog.write(
              t,
              e.toBuilder()
                  .setFormatVersion(CatalogEntries.FORMAT_CAPACITY)
                  .setOptions(with(e.getOptions(), settings))
                  .build(),
              true);
          return null;
        });
  }
}
