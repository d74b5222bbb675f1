package dev.coffer;

import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What {@link Coffer#createTable(TableSpec)} needs: the table name, its key schema and options.
 *
 * <pre>{@code
 * TableSpec.builder().name("orders")
 *     .partitionKey("customer", AttributeType.S).sortKey("orderedAt", AttributeType.N)
 *     .build();
 * }</pre>
 *
 * <p>Immutable and thread-safe. The builder checks each value at once and throws {@link
 * ValidationException} with DynamoDB's wording for a bad name or key, {@link
 * IllegalArgumentException} for a bad option.
 */
public final class TableSpec {
  /** Table names as DynamoDB allows them. */
  static final Pattern NAME = Pattern.compile("[a-zA-Z0-9_.-]{3,255}");

  /** Smallest page target. */
  public static final int MIN_PAGE_TARGET_BYTES = 128;

  /** Largest page target. */
  public static final int MAX_PAGE_TARGET_BYTES = 4 << 20;

  private final String name;
  private final KeySchema keySchema;
  private final int pageTargetBytes;
  private final int rotateAfterDays;
  private final long rotateAfterPages;
  private final boolean autoReencrypt;
  private final boolean compressPages;
  private final CapacitySettings capacitySettings;

  /**
   * The default of {@link #rotateAfterPages()}: 2^30 seals. It was a quarter of the 2^32
   * random-nonce limit of NIST SP 800-38D when records were sealed under the data key itself; since
   * records are sealed with XAES-256-GCM (a key derived per nonce) no seal count is a limit, and
   * the default stays as a key-hygiene policy (it bounds how many records one data-key version
   * protects, and so what a leaked version exposes and what a re-encryption rewrites).
   */
  public static final long DEFAULT_ROTATE_AFTER_PAGES = 1L << 30;

  private TableSpec(Builder b) {
    this.rotateAfterDays = b.rotateAfterDays;
    this.rotateAfterPages = b.rotateAfterPages;
    this.autoReencrypt = b.autoReencrypt;
    this.compressPages = b.compressPages;
    this.capacitySettings = b.capacitySettings;
    this.name = b.name;
    this.keySchema =
        b.sortKeyName == null
            ? KeySchema.of(b.partitionKeyName, b.partitionKeyType)
            : KeySchema.of(b.partitionKeyName, b.partitionKeyType, b.sortKeyName, b.sortKeyType);
    this.pageTargetBytes = b.pageTargetBytes;
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * The billing mode and provisioned throughput to keep for the table ({@link
   * TableDescription#capacitySettings()}), if given; they have no effect on the table.
   */
  public Optional<CapacitySettings> capacitySettings() {
    return Optional.ofNullable(capacitySettings);
  }

  public String name() {
    return name;
  }

  public KeySchema keySchema() {
    return keySchema;
  }

  /**
   * The page target size, or 0 for the store's default ({@link CofferOptions#pageTargetBytes()}).
   */
  public int pageTargetBytes() {
    return pageTargetBytes;
  }

  /**
   * Rotate the data key when its primary version is this many days old; 0 = never (the default).
   */
  public int rotateAfterDays() {
    return rotateAfterDays;
  }

  /** Rotate the data key after this many seals under one version; 0 = never. */
  public long rotateAfterPages() {
    return rotateAfterPages;
  }

  /** Whether an automatic rotation starts the re-encryption job in the background. */
  public boolean autoReencrypt() {
    return autoReencrypt;
  }

  /**
   * Whether page bodies are compressed (LZ4) before they are sealed, when that saves space. On by
   * default. Compression makes a page's size depend on how well its content compresses: a table
   * whose partitions hold values an attacker chooses beside secrets, and whose files the attacker
   * can watch after each write, should turn it off (docs/threat-model.md, "Compression").
   */
  public boolean compressPages() {
    return compressPages;
  }

  /** Checks a table name as DynamoDB does. */
  static String checkName(String name) {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new ValidationException(
          "1 validation error detected: Value '"
              + name
              + "' at 'tableName' failed to satisfy constraint: Member must satisfy regular expression pattern:"
              + " [a-zA-Z0-9_.-]+ and have length between 3 and 255");
    }
    return name;
  }

  @Override
  public String toString() {
    return "TableSpec["
        + name
        + ", "
        + keySchema
        + (pageTargetBytes > 0 ? ", pageTargetBytes=" + pageTargetBytes : "")
        + "]";
  }

  /** Builds a {@link TableSpec}. Not thread-safe. */
  public static final class Builder {
    private String name;
    private String partitionKeyName;
    private AttributeType partitionKeyType;
    private String sortKeyName;
    private AttributeType sortKeyType;
    private int pageTargetBytes;
    private int rotateAfterDays;
    private long rotateAfterPages = DEFAULT_ROTATE_AFTER_PAGES;
    private boolean autoReencrypt;
    private boolean compressPages = true;
    private CapacitySettings capacitySettings;

    private Builder() {}

    /**
     * Automatic data-key rotation when the primary version is {@code days} old (0 = never, up to
     * 36500).
     */
    public Builder rotateAfterDays(int days) {
      if (days < 0 || days > 36500) {
        throw new IllegalArgumentException(
            "rotateAfterDays must be 0 (never) to 36500, was " + days);
      }
      this.rotateAfterDays = days;
      return this;
    }

    /**
     * Automatic data-key rotation after {@code pages} seals under one version (0 = never; at most
     * 2^32 - 2^18, a bound kept from when seals were limited; no seal count stops sealing now).
     * Default {@link #DEFAULT_ROTATE_AFTER_PAGES}.
     */
    public Builder rotateAfterPages(long pages) {
      if (pages < 0 || pages > (1L << 32) - (1L << 18)) {
        throw new IllegalArgumentException(
            "rotateAfterPages must be 0 (never) to 2^32 - 2^18, was " + pages);
      }
      this.rotateAfterPages = pages;
      return this;
    }

    /**
     * Start the re-encryption job in the background after an automatic rotation. Off by default.
     */
    public Builder autoReencrypt(boolean on) {
      this.autoReencrypt = on;
      return this;
    }

    /**
     * Whether page bodies are compressed before sealing; on by default ({@link
     * TableSpec#compressPages()}).
     */
    public Builder compressPages(boolean on) {
      this.compressPages = on;
      return this;
    }

    /**
     * The billing mode and provisioned throughput CreateTable was given, kept in the table's
     * catalog entry to be described back (null: none, described as PAY_PER_REQUEST).
     */
    public Builder capacitySettings(CapacitySettings settings) {
      this.capacitySettings = settings;
      return this;
    }

    /** The table name: 3 to 255 characters of {@code [a-zA-Z0-9_.-]}. */
    public Builder name(String name) {
      this.name = checkName(name);
      return this;
    }

    /** The partition key attribute and its type (S, N or B). */
    public Builder partitionKey(String name, AttributeType type) {
      KeySchema.of(name, type); // validates
      this.partitionKeyName = name;
      this.partitionKeyType = type;
      return this;
    }

    /**
     * The sort key attribute and its type (S, N or B); tables without one have one item per key.
     */
    public Builder sortKey(String name, AttributeType type) {
      KeySchema.of(
          "_", AttributeType.S, Objects.requireNonNull(name, "sort key name"), type); // validates
      this.sortKeyName = name;
      this.sortKeyType = type;
      return this;
    }

    /** Pages split above this size (128 B to 4 MiB); the store's default when not set. */
    public Builder pageTargetBytes(int bytes) {
      if (bytes < MIN_PAGE_TARGET_BYTES || bytes > MAX_PAGE_TARGET_BYTES) {
        throw new IllegalArgumentException(
            "pageTargetBytes must be "
                + MIN_PAGE_TARGET_BYTES
                + " to "
                + MAX_PAGE_TARGET_BYTES
                + ", was "
                + bytes);
      }
      this.pageTargetBytes = bytes;
      return this;
    }

    /**
     * @throws ValidationException when the name or the partition key is missing, or both keys have
     *     the same name
     */
    public TableSpec build() {
      if (name == null) {
        throw new ValidationException(
            "1 validation error detected: Value null at 'tableName' failed to satisfy"
                + " constraint: Member must not be null");
      }
      if (partitionKeyName == null) {
        throw new ValidationException(
            "1 validation error detected: Value null at 'keySchema' failed to satisfy"
                + " constraint: Member must not be null (set partitionKey(name, type))");
      }
      return new TableSpec(this);
    }
  }
}
