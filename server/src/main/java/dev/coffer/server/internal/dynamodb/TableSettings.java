package dev.coffer.server.internal.dynamodb;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What a table's CreateTable and UpdateTable said about capacity (billing mode and provisioned
 * throughput), kept only to echo it back: Coffer has no capacity limits, and the engine does not
 * store these settings, so they last as long as the server runs. A table the server did not create
 * (or created before a restart) reports {@code PAY_PER_REQUEST}. Thread-safe.
 */
final class TableSettings {
  /** One table's settings; {@code createdAt} ties them to one incarnation of the name. */
  record Settings(
      Instant createdAt,
      String billingMode,
      long readCapacityUnits,
      long writeCapacityUnits,
      Instant lastIncrease,
      Instant lastDecrease,
      int decreasesToday) {}

  private final Map<String, Settings> settings = new ConcurrentHashMap<>();

  void put(String table, Settings s) {
    settings.put(table, s);
  }

  void remove(String table) {
    settings.remove(table);
  }

  /** The settings of the table created at {@code createdAt}, or the default. */
  Settings of(String table, Instant createdAt) {
    Settings s = settings.get(table);
    if (s != null && s.createdAt().equals(createdAt)) {
      return s;
    }
    return new Settings(createdAt, "PAY_PER_REQUEST", 0, 0, null, null, 0);
  }
}
