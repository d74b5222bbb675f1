package dev.coffer;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@link Coffer#describeTable(String)} tells about a table: name, key schema, creation time,
 * page target size and its data-key versions (the primary one seals new pages). The item count is
 * not kept (counting would read every page). Immutable and thread-safe.
 */
public final class TableDescription {
  private final String name;
  private final String tableId;
  private final KeySchema keySchema;
  private final Instant creationTime;
  private final int pageTargetBytes;
  private final List<Integer> dataKeyVersions;
  private final int primaryDataKeyVersion;
  private final List<DataKeyVersionInfo> dataKeys;
  private final ReencryptionProgress reencryption;
  private final Instant lastDataKeyRotation;
  private final int rotateAfterDays;
  private final long rotateAfterPages;
  private final boolean autoReencrypt;
  private final CapacitySettings capacitySettings;

  /** For the engine; users get descriptions from {@link Coffer#describeTable(String)}. */
  public TableDescription(
      String name,
      String tableId,
      KeySchema keySchema,
      Instant creationTime,
      int pageTargetBytes,
      List<Integer> dataKeyVersions,
      int primaryDataKeyVersion) {
    this(
        name,
        tableId,
        keySchema,
        creationTime,
        pageTargetBytes,
        dataKeyVersions,
        primaryDataKeyVersion,
        List.of(),
        null,
        null,
        0,
        0,
        false,
        CapacitySettings.payPerRequest());
  }

  /**
   * For the engine, with the key lifecycle (every data-key version, the running re-encryption job
   * or null, the last data-key rotation or null, the rotation policy) and the capacity settings
   * CreateTable and UpdateTable gave.
   */
  public TableDescription(
      String name,
      String tableId,
      KeySchema keySchema,
      Instant creationTime,
      int pageTargetBytes,
      List<Integer> dataKeyVersions,
      int primaryDataKeyVersion,
      List<DataKeyVersionInfo> dataKeys,
      ReencryptionProgress reencryption,
      Instant lastDataKeyRotation,
      int rotateAfterDays,
      long rotateAfterPages,
      boolean autoReencrypt,
      CapacitySettings capacitySettings) {
    this.capacitySettings = Objects.requireNonNull(capacitySettings, "capacitySettings");
    this.dataKeys = List.copyOf(dataKeys);
    this.reencryption = reencryption;
    this.lastDataKeyRotation = lastDataKeyRotation;
    this.rotateAfterDays = rotateAfterDays;
    this.rotateAfterPages = rotateAfterPages;
    this.autoReencrypt = autoReencrypt;
    this.name = name;
    this.tableId = tableId;
    this.keySchema = keySchema;
    this.creationTime = creationTime;
    this.pageTargetBytes = pageTargetBytes;
    this.dataKeyVersions = List.copyOf(dataKeyVersions);
    this.primaryDataKeyVersion = primaryDataKeyVersion;
  }

  public String name() {
    return name;
  }

  /** The table's random id in hex: it names the column family and is bound into every page. */
  public String tableId() {
    return tableId;
  }

  public KeySchema keySchema() {
    return keySchema;
  }

  public Instant creationTime() {
    return creationTime;
  }

  public int pageTargetBytes() {
    return pageTargetBytes;
  }

  /** The live data-key versions, ascending. */
  public List<Integer> dataKeyVersions() {
    return dataKeyVersions;
  }

  /** The version that seals new pages. */
  public int primaryDataKeyVersion() {
    return primaryDataKeyVersion;
  }

  /** Every data-key version ever created, destroyed ones included, ascending. */
  public List<DataKeyVersionInfo> dataKeys() {
    return dataKeys;
  }

  /** The progress of an unfinished re-encryption job (interrupted or running), if any. */
  public Optional<ReencryptionProgress> reencryption() {
    return Optional.ofNullable(reencryption);
  }

  /** When the data key was last rotated, if ever. */
  public Optional<Instant> lastDataKeyRotation() {
    return Optional.ofNullable(lastDataKeyRotation);
  }

  /** The automatic rotation policy: days (0 = never). */
  public int rotateAfterDays() {
    return rotateAfterDays;
  }

  /** The automatic rotation policy: seals per version (0 = never). */
  public long rotateAfterPages() {
    return rotateAfterPages;
  }

  /** Whether an automatic rotation starts re-encryption in the background. */
  public boolean autoReencrypt() {
    return autoReencrypt;
  }

  /**
   * The billing mode and provisioned throughput CreateTable and UpdateTable gave (kept in the
   * catalog; {@link CapacitySettings#payPerRequest()} for a table created without them). They have
   * no effect on the table.
   */
  public CapacitySettings capacitySettings() {
    return capacitySettings;
  }

  @Override
  public String toString() {
    return "TableDescription["
        + name
        + ", "
        + keySchema
        + ", created "
        + creationTime
        + ", data keys "
        + dataKeyVersions
        + " (primary "
        + primaryDataKeyVersion
        + ")]";
  }
}
