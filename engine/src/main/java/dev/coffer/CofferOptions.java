package dev.coffer;

import dev.coffer.kms.KeyProvider;
import dev.coffer.kms.KeyProviderUnavailableException;
import dev.coffer.kms.audit.AuditSink;
import dev.coffer.spi.RecordBackend;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How {@link Coffer#open} opens a store: the key provider (an instance, or a URI such as {@code
 * local:/path/keystore} or {@code aws-kms:arn:...}), the master key, durability and cache settings,
 * and where the records go: the embedded RocksDB by default, or a shared {@linkplain RecordBackend
 * record backend} (an instance, or a URI such as {@code dynamodb:my-table?region=us-east-1}) that
 * several instances of an application open at once (see {@code docs/scale-out.md}).
 *
 * <pre>{@code
 * CofferOptions.builder().keyProviderUri("local:/etc/coffer/keystore").masterKeyId("alias/coffer").build();
 * }</pre>
 *
 * <p>Immutable and thread-safe. The builder checks each setter at once and throws {@link
 * IllegalArgumentException} or {@link IllegalStateException} with a message naming the setting.
 */
public final class CofferOptions {
  /** The default page target: 4 KiB. */
  public static final int DEFAULT_PAGE_TARGET_BYTES = 4096;

  /** The default page cache: 64 MiB. */
  public static final long DEFAULT_PAGE_CACHE_BYTES = 64L << 20;

  /**
   * The default bound of the partition metadata: 64 MiB, about 85,000 partitions of 100 items of
   * ~256 bytes filled in random order (~790 bytes each), i.e. 8.5 million such items
   * (docs/engine.md, "Partition metadata").
   */
  public static final long DEFAULT_PARTITION_METADATA_BYTES = 64L << 20;

  /** The default interval of the master-key access check: 5 minutes. */
  public static final Duration DEFAULT_ACCESS_CHECK_INTERVAL = Duration.ofMinutes(5);

  /**
   * The least default of {@link #accessCheckMaxStaleness()}: 1 minute (the default is three access
   * check intervals, but at least this).
   */
  public static final Duration MIN_DEFAULT_ACCESS_CHECK_MAX_STALENESS = Duration.ofMinutes(1);

  /** The default deadline of one master-key access check: 1 minute. */
  public static final Duration DEFAULT_ACCESS_CHECK_TIMEOUT = Duration.ofMinutes(1);

  /** The default grace period of unreachable records on a shared backend: 60 seconds. */
  public static final Duration DEFAULT_GARBAGE_GRACE_PERIOD = Duration.ofSeconds(60);

  private final KeyProvider keyProvider;
  private final String keyProviderUri;
  private final String masterKeyId;
  private final boolean syncWrites;
  private final long pageCacheBytes;
  private final long partitionMetadataBytes;
  private final int pageTargetBytes;
  private final boolean createIfMissing;
  private final Duration accessCheckInterval;
  private final Duration accessCheckMaxStaleness;
  private final Duration accessCheckTimeout;
  private final Clock clock;
  private final AuditSink auditSink;
  private final WalRecovery walRecovery;
  private final boolean rollbackAnchor;
  private final Boolean freshness;
  private final Path rollbackAnchorDirectory;
  private final boolean acceptRollback;
  private final boolean moveRollbackAnchor;
  private final RecordBackend backend;
  private final String backendUri;
  private final Duration garbageGracePeriod;

  private CofferOptions(Builder b) {
    this.rollbackAnchor = b.rollbackAnchor;
    this.freshness = b.freshness;
    this.rollbackAnchorDirectory = b.rollbackAnchorDirectory;
    this.acceptRollback = b.acceptRollback;
    this.moveRollbackAnchor = b.moveRollbackAnchor;
    this.backend = b.backend;
    this.backendUri = b.backendUri;
    this.garbageGracePeriod = b.garbageGracePeriod;
    this.walRecovery = b.walRecovery;
    this.accessCheckInterval = b.accessCheckInterval;
    this.accessCheckMaxStaleness =
        b.accessCheckMaxStaleness; // null: the default, from the interval
    this.accessCheckTimeout = b.accessCheckTimeout;
    this.clock = b.clock;
    this.auditSink = b.auditSink;
    this.keyProvider = b.keyProvider;
    this.keyProviderUri = b.keyProviderUri;
    this.masterKeyId = b.masterKeyId;
    this.syncWrites = b.syncWrites;
    this.pageCacheBytes = b.pageCacheBytes;
    this.partitionMetadataBytes = b.partitionMetadataBytes;
    this.pageTargetBytes = b.pageTargetBytes;
    this.createIfMissing = b.createIfMissing;
  }

  private static Duration max(Duration a, Duration b) {
    return a.compareTo(b) >= 0 ? a : b;
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    return new Builder(this);
  }

  /** The provider instance, or null when a URI is set. The store does not close it. */
  public KeyProvider keyProvider() {
    return keyProvider;
  }

  /** The provider URI, or null when an instance is set. The store closes what it opens. */
  public String keyProviderUri() {
    return keyProviderUri;
  }

  /** The master key (id, ARN or alias), or null to use the provider's default key. */
  public String masterKeyId() {
    return masterKeyId;
  }

  /** Whether each write waits for the write-ahead log to reach the disk (fsync). Off by default. */
  public boolean syncWrites() {
    return syncWrites;
  }

  /** The capacity of the cache of decrypted pages; 0 turns it off. */
  public long pageCacheBytes() {
    return pageCacheBytes;
  }

  /**
   * The bound of the partition metadata (what a put needs to write without reading, per partition
   * of a table with a sort key); 0 turns it off.
   */
  public long partitionMetadataBytes() {
    return partitionMetadataBytes;
  }

  /** The page target size of new tables that do not set their own. */
  public int pageTargetBytes() {
    return pageTargetBytes;
  }

  /** Whether {@link Coffer#open} creates a store that does not exist. On by default. */
  public boolean createIfMissing() {
    return createIfMissing;
  }

  /**
   * How often the store re-checks its right to use the master key (by a real {@code Decrypt}); a
   * key that was disabled, scheduled for deletion or whose {@code kms:Decrypt} was revoked stops
   * the tables it protects within this interval. The first check is due one interval after the open
   * (or after a master-key rotation), at the first operation from then on. Five minutes by default.
   */
  public Duration accessCheckInterval() {
    return accessCheckInterval;
  }

  /**
   * How long the store goes on using its master key while the provider cannot answer the access
   * check (unavailable, throttled: retryable errors; or no answer yet, a check still waiting for
   * the provider on another thread): once the last successful check (or the open) is older than
   * this and a check is due that has not succeeded, every table refuses reads and writes with
   * {@link KeyProviderUnavailableException} (naming the key and the last error) until a check
   * succeeds. By default three {@linkplain #accessCheckInterval() intervals}, at least one minute.
   */
  public Duration accessCheckMaxStaleness() {
    return accessCheckMaxStaleness != null
        ? accessCheckMaxStaleness
        : max(accessCheckInterval.multipliedBy(3), MIN_DEFAULT_ACCESS_CHECK_MAX_STALENESS);
  }

  /**
   * How long the operation that runs an access check waits for the key provider's answer (real
   * time, not {@link #clock()}): past it the check counts as failed, that operation is refused with
   * {@link KeyProviderUnavailableException} ("did not answer the access check within ..."), and the
   * store goes by the last verdict only up to {@link #accessCheckMaxStaleness()}, as for an
   * unreachable provider. The provider's call goes on in the background and no other check starts
   * until it returns; its answer, when it comes, counts. Zero waits as long as the provider does.
   * One minute by default.
   */
  public Duration accessCheckTimeout() {
    return accessCheckTimeout;
  }

  /**
   * The clock for access checks, rotation policies and key dates (the system UTC clock by default).
   */
  public Clock clock() {
    return clock;
  }

  /** Where the engine's audit records go (rotations, destructions, access checks, deletions). */
  public AuditSink auditSink() {
    return auditSink;
  }

  /**
   * What the open does with a damaged write-ahead log: {@link WalRecovery#TORN_TAIL_ONLY} (the
   * default) drops only a last record torn by a crash and refuses any other damage.
   */
  public WalRecovery walRecovery() {
    return walRecovery;
  }

  /**
   * Whether the store keeps a rollback anchor outside its directory, so that a store directory
   * rolled back to an older copy is refused at open (docs/threat-model.md, "Rollback"). On by
   * default; it takes effect where there is a place for the anchor: {@link
   * #rollbackAnchorDirectory()}, or by default for a {@code local:} key provider the directory
   * {@code <keystore>.anchors} beside the keystore file. Other providers keep no anchor unless a
   * directory is set. A store in a shared record backend ({@link #usesBackend()}) keeps no anchor
   * (docs/scale-out.md).
   */
  public boolean rollbackAnchor() {
    return rollbackAnchor;
  }

  /**
   * Whether the store keeps a freshness map of every table: a digest of every stored record, in a
   * Merkle tree whose roots the store's sealed state holds, written in the same batch as the
   * records, so that a single item, partition or delta record put back from an older copy of the
   * store directory, or removed, fails the next read of it with {@link CorruptionException} instead
   * of returning the older state (docs/threat-model.md, "Freshness"). It costs several extra small
   * records per write (docs/performance.md, "Freshness").
   *
   * <p>Empty (the default): as the store has it, i.e. on for a store whose sealed state says
   * freshness is on (once turned on, later opens keep it on, the command line's included, even with
   * no table), off for the others. {@code true} turns it on: tables written without it are mapped,
   * as found, at the first open with it on (never later: once on, a table with records and no map
   * fails the open). {@code false} turns it off: the maps are removed at this open. A session that
   * only looks ({@link #moveRollbackAnchor()} false) turns it neither on nor off: it checks the
   * maps the store keeps and builds, marks and removes nothing (a WARN line says when that differs
   * from what it asked). With freshness on, {@code verify} also compares every record with the
   * table's map. Not available on a shared record backend ({@link #usesBackend()}), where it is
   * ignored.
   *
   * <p>Freshness needs a rollback anchor ({@link #rollbackAnchor()}, with a directory: by default
   * only a {@code local:} key provider has one): without one the sealed state that holds the maps'
   * roots could itself be put back from an older copy, which would hide any rollback of the
   * records. {@link Coffer#open} throws {@link IllegalArgumentException} for {@code true} without
   * an anchor, and {@link IllegalStateException} for a store that keeps freshness opened without
   * one (give it its anchor directory, or open it with {@code false}).
   */
  public Optional<Boolean> freshness() {
    return Optional.ofNullable(freshness);
  }

  /**
   * The directory of the store's rollback anchor file, when set (see {@link #rollbackAnchor()}).
   */
  public Optional<Path> rollbackAnchorDirectory() {
    return Optional.ofNullable(rollbackAnchorDirectory);
  }

  /**
   * Whether this open accepts a store that its rollback anchor would refuse (older than its anchor,
   * its anchor missing or damaged, or its sealed state record missing while it has an anchor) and
   * anchors it anew as it is: for a deliberate restore from a backup. One open at a time: the
   * option applies to the open it is given to. An accepted rollback is logged (WARN, naming the
   * store, the anchored epoch and the epoch found) and recorded in the store's sealed state, where
   * {@link Coffer#lastAcceptedRollback()} reads it. Off by default.
   */
  public boolean acceptRollback() {
    return acceptRollback;
  }

  /**
   * Whether the open moves the store and its rollback anchor to a new epoch (and the access checks
   * and the close move them on), as every open by default does. False only checks the store against
   * its anchor and moves neither, for the whole session: for looking at a copy of the store (a
   * backup, a copy being verified) without making the store itself look rolled back, since copies
   * of a store share its anchor (docs/threat-model.md, "Copies of a store"). What such a session
   * writes is not anchored, so it starts no write of its own: it does not resume an interrupted
   * re-encryption in the background, its item operations do not run the tables' automatic rotation
   * policies (no data-key rotation, no background re-encryption), a close after reads only persists
   * no seal counts, and a store whose sealed state record was deleted, accepted with {@link
   * #acceptRollback()}, is not bound anew (the next session that moves the anchor does each of
   * these; an explicit {@link Table#reencrypt} or rotation still runs, and the caller's own writes
   * are written, unanchored), and it does not turn {@link #freshness()} on or off. What it may
   * still write of itself: a newer key-provider state generation seen by the open or an access
   * check, a store format upgrade, and {@code walRecovery}'s recovery. The command line opens every
   * command that only reads this way. True by default.
   */
  public boolean moveRollbackAnchor() {
    return moveRollbackAnchor;
  }

  /**
   * The shared record backend the store lives in, or null (the embedded RocksDB, or a {@link
   * #backendUri()}). The store does not close it.
   */
  public RecordBackend backend() {
    return backend;
  }

  /**
   * The URI of the shared record backend the store lives in, or null. The store closes what it
   * opens.
   */
  public String backendUri() {
    return backendUri;
  }

  /** Whether the store lives in a shared record backend rather than the embedded RocksDB. */
  public boolean usesBackend() {
    return backend != null || backendUri != null;
  }

  /**
   * On a shared backend: how long a node that a change replaced stays readable before it is
   * deleted, for readers (in any instance) that read the partition's root before the change. It
   * must be longer than any single read operation (one Query or Scan page), and, in the instance
   * that runs {@link Coffer#collectGarbage()}, at least the longest pause a writer can have between
   * two requests (a sweep deletes index entries older than it that it found without a partition).
   * 60 seconds by default.
   */
  public Duration garbageGracePeriod() {
    return garbageGracePeriod;
  }

  @Override
  public String toString() {
    return "CofferOptions[provider="
        + (keyProvider != null ? keyProvider.scheme() + " instance" : keyProviderUri)
        + ", masterKeyId="
        + masterKeyId
        + ", syncWrites="
        + syncWrites
        + ", freshness="
        + freshness
        + ", pageCacheBytes="
        + pageCacheBytes
        + ", partitionMetadataBytes="
        + partitionMetadataBytes
        + ", pageTargetBytes="
        + pageTargetBytes
        + ", createIfMissing="
        + createIfMissing
        + ", accessCheckInterval="
        + accessCheckInterval
        + ", accessCheckMaxStaleness="
        + accessCheckMaxStaleness()
        + ", accessCheckTimeout="
        + accessCheckTimeout
        + ", clock="
        + clock
        + ", auditSink="
        + auditSink
        + ", walRecovery="
        + walRecovery
        + ", rollbackAnchor="
        + rollbackAnchor
        + ", rollbackAnchorDirectory="
        + rollbackAnchorDirectory
        + ", acceptRollback="
        + acceptRollback
        + ", moveRollbackAnchor="
        + moveRollbackAnchor
        + ", backend="
        + (backend != null ? backend.location() : backendUri)
        + "]";
  }

  /** Builds {@link CofferOptions}. Not thread-safe. */
  public static final class Builder {
    private KeyProvider keyProvider;
    private String keyProviderUri;
    private String masterKeyId;
    private boolean syncWrites;
    private long pageCacheBytes = DEFAULT_PAGE_CACHE_BYTES;
    private long partitionMetadataBytes = DEFAULT_PARTITION_METADATA_BYTES;
    private int pageTargetBytes = DEFAULT_PAGE_TARGET_BYTES;
    private boolean createIfMissing = true;
    private Duration accessCheckInterval = DEFAULT_ACCESS_CHECK_INTERVAL;
    private Duration accessCheckMaxStaleness;
    private Duration accessCheckTimeout = DEFAULT_ACCESS_CHECK_TIMEOUT;
    private Clock clock = Clock.systemUTC();
    private AuditSink auditSink = AuditSink.slf4j();
    private WalRecovery walRecovery = WalRecovery.TORN_TAIL_ONLY;
    private boolean rollbackAnchor = true;
    private Boolean freshness;
    private Path rollbackAnchorDirectory;
    private boolean acceptRollback;
    private boolean moveRollbackAnchor = true;
    private RecordBackend backend;
    private String backendUri;
    private Duration garbageGracePeriod = DEFAULT_GARBAGE_GRACE_PERIOD;

    private Builder() {}

    private Builder(CofferOptions o) {
      keyProvider = o.keyProvider;
      keyProviderUri = o.keyProviderUri;
      masterKeyId = o.masterKeyId;
      syncWrites = o.syncWrites;
      pageCacheBytes = o.pageCacheBytes;
      partitionMetadataBytes = o.partitionMetadataBytes;
      pageTargetBytes = o.pageTargetBytes;
      createIfMissing = o.createIfMissing;
      accessCheckInterval = o.accessCheckInterval;
      accessCheckMaxStaleness = o.accessCheckMaxStaleness;
      accessCheckTimeout = o.accessCheckTimeout;
      clock = o.clock;
      auditSink = o.auditSink;
      walRecovery = o.walRecovery;
      rollbackAnchor = o.rollbackAnchor;
      freshness = o.freshness;
      rollbackAnchorDirectory = o.rollbackAnchorDirectory;
      acceptRollback = o.acceptRollback;
      moveRollbackAnchor = o.moveRollbackAnchor;
      backend = o.backend;
      backendUri = o.backendUri;
      garbageGracePeriod = o.garbageGracePeriod;
    }

    /**
     * Whether to keep a rollback anchor (on by default); see {@link
     * CofferOptions#rollbackAnchor()}.
     */
    public Builder rollbackAnchor(boolean anchor) {
      this.rollbackAnchor = anchor;
      return this;
    }

    /**
     * Turns the freshness maps on or off (by default a store keeps what it has); see {@link
     * CofferOptions#freshness()}.
     */
    public Builder freshness(boolean freshness) {
      this.freshness = freshness;
      return this;
    }

    /**
     * Keeps the store's records in {@code backend} (shared by every instance that opens it) rather
     * than in an embedded RocksDB; open it with {@link Coffer#open(CofferOptions)}. Mutually
     * exclusive with {@link #backendUri(String)}. The caller closes the backend after the store.
     */
    public Builder backend(RecordBackend backend) {
      if (backendUri != null) {
        throw new IllegalStateException("backendUri was already set to " + backendUri);
      }
      this.backend = Objects.requireNonNull(backend, "backend must not be null");
      return this;
    }

    /**
     * The directory for the store's rollback anchor file ({@code <store id>.anchor}): outside the
     * store directory, where whoever can write the store directory cannot write (beside the
     * keystore, for example). Created {@code 0700} when missing.
     */
    public Builder rollbackAnchorDirectory(Path directory) {
      this.rollbackAnchorDirectory =
          Objects.requireNonNull(directory, "rollbackAnchorDirectory must not be null");
      return this;
    }

    /**
     * Whether to accept a store older than its rollback anchor; see {@link
     * CofferOptions#acceptRollback()}.
     */
    public Builder acceptRollback(boolean accept) {
      this.acceptRollback = accept;
      return this;
    }

    /**
     * Whether the open moves the store and its rollback anchor on (true by default); see {@link
     * CofferOptions#moveRollbackAnchor()}.
     */
    public Builder moveRollbackAnchor(boolean move) {
      this.moveRollbackAnchor = move;
      return this;
    }

    /**
     * Keeps the store's records in the shared backend {@code uri} names, opened through {@link
     * dev.coffer.spi.RecordBackends} (e.g. {@code dynamodb:my-table?region=us-east-1}, with {@code
     * coffer-store-dynamodb} on the class path); open it with {@link Coffer#open(CofferOptions)}.
     */
    public Builder backendUri(String uri) {
      if (backend != null) {
        throw new IllegalStateException("backend was already set to " + backend.location());
      }
      if (uri == null || uri.isBlank()) {
        throw new IllegalArgumentException(
            "backendUri must not be blank, e.g. dynamodb:my-table?region=us-east-1");
      }
      this.backendUri = uri;
      return this;
    }

    /**
     * The grace period of unreachable records on a shared backend (see {@link
     * #garbageGracePeriod()}), 0 to 1 day.
     */
    public Builder garbageGracePeriod(Duration grace) {
      Objects.requireNonNull(grace, "garbageGracePeriod must not be null");
      if (grace.isNegative() || grace.compareTo(Duration.ofDays(1)) > 0) {
        throw new IllegalArgumentException("garbageGracePeriod must be 0 to 1 day, was " + grace);
      }
      this.garbageGracePeriod = grace;
      return this;
    }

    /**
     * What the open does with a damaged write-ahead log; {@link WalRecovery#TORN_TAIL_ONLY} by
     * default. {@link WalRecovery#POINT_IN_TIME} is for opening a store whose log is damaged,
     * accepting the loss of the writes from the damage on.
     */
    public Builder walRecovery(WalRecovery recovery) {
      this.walRecovery = Objects.requireNonNull(recovery, "walRecovery must not be null");
      return this;
    }

    /** The master-key access check interval: zero (every operation) up to one day. */
    public Builder accessCheckInterval(Duration interval) {
      Objects.requireNonNull(interval, "accessCheckInterval must not be null");
      if (interval.isNegative() || interval.compareTo(Duration.ofDays(1)) > 0) {
        throw new IllegalArgumentException(
            "accessCheckInterval must be 0 to 1 day, was " + interval);
      }
      this.accessCheckInterval = interval;
      return this;
    }

    /**
     * How long the store may go on using its master key while access checks fail with retryable
     * errors or hang: zero (refuse at the first unanswered check) up to 7 days. Unset: three
     * access-check intervals, at least one minute.
     */
    public Builder accessCheckMaxStaleness(Duration staleness) {
      Objects.requireNonNull(staleness, "accessCheckMaxStaleness must not be null");
      if (staleness.isNegative() || staleness.compareTo(Duration.ofDays(7)) > 0) {
        throw new IllegalArgumentException(
            "accessCheckMaxStaleness must be 0 to 7 days, was " + staleness);
      }
      this.accessCheckMaxStaleness = staleness;
      return this;
    }

    /**
     * How long an access check waits for the key provider: zero (as long as the provider takes) up
     * to one hour; see {@link CofferOptions#accessCheckTimeout()}. One minute by default.
     */
    public Builder accessCheckTimeout(Duration timeout) {
      Objects.requireNonNull(timeout, "accessCheckTimeout must not be null");
      if (timeout.isNegative() || timeout.compareTo(Duration.ofHours(1)) > 0) {
        throw new IllegalArgumentException(
            "accessCheckTimeout must be 0 to 1 hour, was " + timeout);
      }
      this.accessCheckTimeout = timeout;
      return this;
    }

    /** The clock (inject one to test access checks and rotation policies). */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock must not be null");
      return this;
    }

    /** The sink of the engine's audit records; SLF4J ({@code dev.coffer.audit}) by default. */
    public Builder auditSink(AuditSink sink) {
      this.auditSink = Objects.requireNonNull(sink, "auditSink must not be null");
      return this;
    }

    /** The key provider to use; mutually exclusive with {@link #keyProviderUri(String)}. */
    public Builder keyProvider(KeyProvider provider) {
      if (keyProviderUri != null) {
        throw new IllegalStateException("keyProviderUri was already set to " + keyProviderUri);
      }
      this.keyProvider = Objects.requireNonNull(provider, "keyProvider must not be null");
      return this;
    }

    /** The key provider's URI, opened through {@link dev.coffer.kms.KeyProviders}. */
    public Builder keyProviderUri(String uri) {
      if (keyProvider != null) {
        throw new IllegalStateException(
            "keyProvider was already set to a " + keyProvider.scheme() + " provider");
      }
      if (uri == null || uri.isBlank()) {
        throw new IllegalArgumentException(
            "keyProviderUri must not be blank, e.g. local:/path/keystore or memory:");
      }
      this.keyProviderUri = uri;
      return this;
    }

    /** The master key: key id, key ARN, alias name ({@code alias/NAME}) or alias ARN. */
    public Builder masterKeyId(String keyId) {
      if (keyId == null || keyId.isBlank()) {
        throw new IllegalArgumentException("masterKeyId must not be blank");
      }
      this.masterKeyId = keyId;
      return this;
    }

    public Builder syncWrites(boolean sync) {
      this.syncWrites = sync;
      return this;
    }

    /** Capacity in bytes of the decrypted-page cache, 0 (off) or more. */
    public Builder pageCacheBytes(long bytes) {
      if (bytes < 0) {
        throw new IllegalArgumentException("pageCacheBytes must be 0 (off) or more, was " + bytes);
      }
      this.pageCacheBytes = bytes;
      return this;
    }

    /**
     * Bound in bytes of the partition metadata, 0 (off) or more: for each partition of a table with
     * a sort key that was used lately, its tree's inner nodes (compact copies: separators, which
     * are sort-key values, and child ids) and per leaf its next delta number and size, so that a
     * put appends its delta record without reading anything and a get reads only its leaf. The
     * coldest partitions are evicted first and read again when needed. Strictly bounded, beside the
     * page cache ({@link Coffer#partitionMetadataStats()}). With 0, every put reads its partition's
     * path first, and no sort-key value stays in memory after an operation when the page cache is
     * off too.
     */
    public Builder partitionMetadataBytes(long bytes) {
      if (bytes < 0) {
        throw new IllegalArgumentException(
            "partitionMetadataBytes must be 0 (off) or more, was " + bytes);
      }
      this.partitionMetadataBytes = bytes;
      return this;
    }

    /** Default page target size of new tables, 128 B to 4 MiB. */
    public Builder pageTargetBytes(int bytes) {
      if (bytes < TableSpec.MIN_PAGE_TARGET_BYTES || bytes > TableSpec.MAX_PAGE_TARGET_BYTES) {
        throw new IllegalArgumentException(
            "pageTargetBytes must be "
                + TableSpec.MIN_PAGE_TARGET_BYTES
                + " to "
                + TableSpec.MAX_PAGE_TARGET_BYTES
                + ", was "
                + bytes);
      }
      this.pageTargetBytes = bytes;
      return this;
    }

    public Builder createIfMissing(boolean create) {
      this.createIfMissing = create;
      return this;
    }

    /**
     * @throws IllegalStateException when neither a provider nor a provider URI is set
     */
    public CofferOptions build() {
      if (keyProvider == null && keyProviderUri == null) {
        throw new IllegalStateException(
            "Set keyProvider(...) or keyProviderUri(...): a store needs a key provider");
      }
      return new CofferOptions(this);
    }
  }
}
