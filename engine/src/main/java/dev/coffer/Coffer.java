package dev.coffer;

import dev.coffer.internal.catalog.AnchorCheck;
import dev.coffer.internal.catalog.Catalog;
import dev.coffer.internal.catalog.OpenFreshness;
import dev.coffer.internal.catalog.StoreBootstrap;
import dev.coffer.internal.catalog.TableCapacity;
import dev.coffer.internal.catalog.TableContext;
import dev.coffer.internal.catalog.TableDescriptions;
import dev.coffer.internal.keys.DataKeys;
import dev.coffer.internal.keys.EngineAudit;
import dev.coffer.internal.keys.StoreKeys;
import dev.coffer.internal.lifecycle.KeyLifecycle;
import dev.coffer.internal.partition.Partitions;
import dev.coffer.internal.query.ItemOperations;
import dev.coffer.internal.query.QueryExecutor;
import dev.coffer.internal.query.ScanExecutor;
import dev.coffer.internal.record.FreshStore;
import dev.coffer.internal.record.RecordStore;
import dev.coffer.internal.txn.IdempotencyTokens;
import dev.coffer.internal.txn.TransactionReader;
import dev.coffer.internal.txn.TransactionWriter;
import dev.coffer.kms.KeyProvider;
import dev.coffer.kms.KeyProviderException;
import dev.coffer.kms.KeyProviders;
import dev.coffer.kms.local.LocalKeyProvider;
import dev.coffer.proto.StoreHeader;
import dev.coffer.proto.TableOptions;
import dev.coffer.spi.RecordBackend;
import dev.coffer.spi.RecordBackends;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * An open Coffer store: encrypted DynamoDB-style tables in one directory, or in a shared record
 * backend (DynamoDB, with {@code coffer-store-dynamodb}) that several instances open at once.
 *
 * <pre>{@code
 * try (Coffer coffer = Coffer.open(dir, CofferOptions.builder()
 *     .keyProviderUri("local:/etc/coffer/keystore").masterKeyId("alias/coffer").build())) {
 *   Table users = coffer.createTable(TableSpec.builder().name("users").partitionKey("email", AttributeType.S).build());
 *   users.putItem(Item.builder().string("email", "a@example.com").number("age", 42).build());
 * }
 * }</pre>
 *
 * <p><b>Security guarantees.</b> Every item, attribute name, key and table name reaches the disk
 * only inside pages sealed with AES-256-GCM under per-table keys that the key provider wraps;
 * someone with the files but not the master key learns only sizes, counts and which pages belong to
 * one partition. A page that was modified, moved or swapped fails with {@link CorruptionException}.
 * Key material is wiped on {@link #close()}.
 *
 * <p><b>Errors.</b> Opening fails with the key provider's own exception ({@link
 * KeyProviderException}, naming the key and the action) when the master key is wrong, disabled,
 * missing or may not be used, and leaves nothing open. See {@link Table} for the errors of item
 * operations.
 *
 * <p>Thread-safe. {@link #close()} waits for running operations; later calls throw {@link
 * IllegalStateException}.
 *
 * <p>(Over 400 lines: the store's whole public surface with its documentation; the work is done in
 * {@code dev.coffer.internal}.)
 */
public final class Coffer implements AutoCloseable {
  /** Bytes of freshness-map nodes a store keeps in memory ({@link CofferOptions#freshness()}). */
  static final long FRESHNESS_CACHE_BYTES = 32L << 20;

  private final Path dir;
  private final KeyProvider ownedProvider;
  private final RecordStore records;
  private final StoreKeys storeKeys;
  private final Catalog catalog;
  private final Partitions partitions;
  private final ItemOperations items;
  private final QueryExecutor queries;
  private final ScanExecutor scans;
  private final DataPlane dataPlane;
  private final int defaultPageTargetBytes;
  private final ReentrantReadWriteLock lifecycle = new ReentrantReadWriteLock();
  private final KeyLifecycle keyLifecycle;
  private final Consumer<Runnable> underStore = this::run;

  /** Runs a step under the store's exclusive lifecycle lock (no operation runs meanwhile). */
  private final Consumer<Runnable> exclusive =
      op ->
          admin(
              () -> {
                op.run();
                return null;
              });

  private volatile boolean closed;

  private Coffer(
      Path dir,
      KeyProvider ownedProvider,
      RecordStore records,
      StoreKeys storeKeys,
      DataKeys dataKeys,
      Catalog catalog,
      CofferOptions options,
      EngineAudit audit) {
    this.dir = dir;
    this.ownedProvider = ownedProvider;
    this.records = records;
    this.storeKeys = storeKeys;
    this.catalog = catalog;
    this.partitions =
        new Partitions(options.pageCacheBytes(), options.partitionMetadataBytes(), underStore);
    this.items = new ItemOperations(partitions);
    this.queries = new QueryExecutor(partitions);
    this.scans = new ScanExecutor(partitions);
    this.dataPlane =
        new DataPlane(
            this,
            new TransactionWriter(partitions),
            new TransactionReader(partitions),
            new IdempotencyTokens(options.clock(), catalog.tokenRecords()));
    this.defaultPageTargetBytes = options.pageTargetBytes();
    this.keyLifecycle =
        new KeyLifecycle(
            catalog,
            storeKeys,
            dataKeys,
            partitions.locks(),
            options.clock(),
            options.accessCheckInterval(),
            options.accessCheckMaxStaleness(),
            options.accessCheckTimeout(),
            audit,
            options.moveRollbackAnchor());
  }

  /**
   * Opens the store that lives in the shared record backend {@link CofferOptions#backend()} or
   * {@link CofferOptions#backendUri()} names (creating it when it is empty), which other instances
   * (other JVMs, other hosts) may have open at the same time: each writes copy-on-write with
   * conditional swaps of the partition roots, and sees the others' key rotations and DDL within
   * {@link CofferOptions#accessCheckInterval()} (see {@code docs/scale-out.md}).
   *
   * @throws IllegalArgumentException when the options name no backend
   * @throws ValidationException when the backend URI is malformed or its scheme unknown
   * @throws KeyProviderException when the master key cannot unwrap the store's keys
   * @throws CorruptionException when the header or the catalog fails authentication
   * @throws StorageException when the backend cannot be reached
   */
  public static Coffer open(CofferOptions options) {
    Objects.requireNonNull(options, "options");
    if (!options.usesBackend()) {
      throw new IllegalArgumentException(
          "Coffer.open(options) opens a store in a record backend: set"
              + " CofferOptions.backend(...) or backendUri(...), or use Coffer.open(dir, options) for an embedded store");
    }
    return open(null, options, UnaryOperator.identity());
  }

  /**
   * Opens the store in {@code dir}, creating it when it does not exist and {@link
   * CofferOptions#createIfMissing()} is on.
   *
   * @throws ValidationException when no master key is named and the provider has no default
   * @throws KeyProviderException when the master key cannot unwrap the store's keys (wrong,
   *     disabled or missing key, denied {@code kms:Decrypt}); passed through unchanged
   * @throws CorruptionException when the header or the catalog fails authentication, or the
   *     write-ahead log is damaged other than by a crash (see {@link WalRecovery})
   * @throws StoreLockedException when the store is open, in another process or in this one
   * @throws StorageException when RocksDB cannot open the directory
   */
  public static Coffer open(Path dir, CofferOptions options) {
    Objects.requireNonNull(dir, "dir");
    Objects.requireNonNull(options, "options");
    if (options.usesBackend()) {
      throw new IllegalArgumentException(
          "The options name a record backend, which has no directory: open the"
              + " store with Coffer.open(options)");
    }
    return open(dir, options, UnaryOperator.identity());
  }

  /**
   * {@link #open(Path, CofferOptions)} over the RocksDB backend as {@code backend} returns it: the
   * seam through which tests in this package count, delay or fail the backend's operations.
   */
  static Coffer open(Path dir, CofferOptions options, UnaryOperator<RecordStore> backend) {
    Objects.requireNonNull(options, "options");
    if (!options.usesBackend()) {
      Objects.requireNonNull(dir, "dir");
    }
    boolean owns = options.keyProvider() == null;
    KeyProvider provider =
        owns ? KeyProviders.open(options.keyProviderUri()) : options.keyProvider();
    RecordStore store = null;
    try {
      String masterKeyId =
          options.masterKeyId() != null
              ? options.masterKeyId()
              : provider
                  .defaultKeyId()
                  .orElseThrow(
                      () ->
                          new ValidationException(
                              "No master key: set CofferOptions.masterKeyId(...) or use a key provider URI that names a key"
                                  + " (the "
                                  + provider.scheme()
                                  + " provider has no default key)"));
      store =
          options.usesBackend()
              ? openShared(options)
              : RecordStore.openRocksDb(
                  dir, options.createIfMissing(), options.syncWrites(), options.walRecovery());
      store = backend.apply(store);
      FreshStore fresh = null;
      if (store.shared() == null) {
        fresh = new FreshStore(store, FRESHNESS_CACHE_BYTES); // passes through until bound
        store = fresh;
      }
      StoreBootstrap boot =
          StoreBootstrap.openOrCreate(
              store, provider, masterKeyId, anchorCheck(dir, options, provider));
      OpenFreshness freshness =
          fresh == null
              ? null
              : OpenFreshness.decide(
                  boot.state(), options.freshness(), options.moveRollbackAnchor());
      if (freshness != null
          && freshness.wanted()
          && rollbackAnchorDirectory(dir, options, provider) == null) {
        String why =
            "Freshness (CofferOptions.freshness) needs a rollback anchor: without one the store"
                + " state that holds the freshness roots can itself be put back from an older copy,"
                + " which would hide any rollback of the records. Set"
                + " CofferOptions.rollbackAnchorDirectory(...) (a local: key provider has one by"
                + " default), or open with freshness(false)";
        if (options.freshness().isPresent()) {
          throw new IllegalArgumentException(why);
        }
        throw new IllegalStateException("The store keeps freshness maps. " + why);
      }
      if (freshness != null) {
        freshness.bind(fresh, boot.state(), store.location());
      }
      StoreKeys keys = boot.keys();
      EngineAudit audit = new EngineAudit(options.auditSink(), options.clock(), keys::principal);
      DataKeys dataKeys = new DataKeys(keys);
      Catalog catalog;
      try {
        catalog = Catalog.load(store, boot, dataKeys, options.clock(), audit);
      } catch (RuntimeException e) {
        boot.records().destroy();
        throw e;
      }
      try {
        if (freshness != null) {
          freshness.finish(fresh, store, boot.state());
        }
      } catch (RuntimeException e) {
        catalog.close(); // the table keys and the store key wiped
        throw e;
      }
      Coffer coffer =
          new Coffer(dir, owns ? provider : null, store, keys, dataKeys, catalog, options, audit);
      if (options.moveRollbackAnchor()) {
        // re-encryption a crash or close interrupted; a session that only looks (its writes are
        // not anchored) leaves it to the next session that moves the anchor
        coffer.keyLifecycle.resumeInterruptedJobs(coffer.underStore);
      }
      return coffer;
    } catch (RuntimeException e) {
      if (store != null) {
        try {
          store.close();
        } catch (RuntimeException suppressed) {
          e.addSuppressed(suppressed);
        }
      }
      if (owns) {
        provider.close();
      }
      throw e;
    }
  }

  /**
   * Where the store's rollback anchor goes, or null for none ({@link
   * CofferOptions#rollbackAnchor()}).
   */
  private static Path rollbackAnchorDirectory(
      Path dir, CofferOptions options, KeyProvider provider) {
    if (!options.rollbackAnchor() || options.usesBackend()) {
      return null; // a shared backend: several instances on several hosts, no one place for an
      // anchor
    }
    Path anchors = options.rollbackAnchorDirectory().orElse(null);
    if (anchors == null && provider instanceof LocalKeyProvider local) {
      Path keystore = local.keystore().toAbsolutePath();
      anchors = keystore.resolveSibling(keystore.getFileName() + ".anchors");
    }
    if (anchors != null
        && anchors.toAbsolutePath().normalize().startsWith(dir.toAbsolutePath().normalize())) {
      throw new ValidationException(
          "The rollback anchor directory "
              + anchors
              + " is inside the store directory "
              + dir
              + ": it must be outside it, or it rolls back with the store");
    }
    return anchors;
  }

  /**
   * How the open checks the store against its rollback anchor (without one, a directory of null:
   * only that the state record is there when the store key says the store keeps one); null for a
   * store in a shared record backend, which keeps neither.
   */
  private static AnchorCheck anchorCheck(Path dir, CofferOptions options, KeyProvider provider) {
    if (options.usesBackend()) {
      return null;
    }
    Path anchors = rollbackAnchorDirectory(dir, options, provider);
    return new AnchorCheck(
        anchors,
        options.acceptRollback(),
        options.moveRollbackAnchor(),
        dir.toAbsolutePath().normalize().toString(),
        options.clock());
  }

  private static RecordStore openShared(CofferOptions options) {
    RecordBackend b =
        options.backend() != null ? options.backend() : RecordBackends.open(options.backendUri());
    RecordStore store = RecordStore.openShared(b, options.backend() == null);
    store.shared().garbageGraceMillis(options.garbageGracePeriod().toMillis());
    return store;
  }

  /** The store directory; null for a store in a record backend (see {@link #location()}). */
  public Path path() {
    return dir;
  }

  /**
   * Where the store is: its directory, or its record backend (e.g. {@code dynamodb:orders
   * (us-east-1)}).
   */
  public String location() {
    return dir != null ? dir.toString() : records.location();
  }

  /**
   * On a shared record backend: deletes what no partition's tree reaches any more and no reader can
   * still need (older than the grace period, and still unreachable after waiting one), which the
   * regular deletion after each change leaves behind when an instance closed or died first; the
   * records of deleted tables that an instance wrote before it saw the deletion; and stale entries
   * of the partition index. It also indexes any partition a crash left out of the index. It reads
   * every record of the backend once (segment by segment) and waits one grace period; run it now
   * and then (daily, or after a crash), from one instance. On an embedded store there is nothing to
   * collect (changes are written in place) and it returns at once.
   *
   * @throws StorageException when the backend fails
   */
  public CollectedGarbage collectGarbage() {
    checkOpen();
    if (records.shared() == null) {
      return new CollectedGarbage(0, 0, 0, 0, 0);
    }
    call(
        () -> catalog.shared().refresh()); // tables created elsewhere meanwhile are live, not stray
    return sweep();
  }

  private CollectedGarbage sweep() {
    dev.coffer.internal.record.SharedSweep.Report r =
        dev.coffer.internal.record.SharedSweep.run(
            records.shared(),
            () ->
                call(
                    () -> {
                      List<dev.coffer.internal.record.TableRecords> live = new ArrayList<>();
                      catalog.tables().forEach(t -> live.add(t.records()));
                      return live;
                    }));
    return new CollectedGarbage(
        r.partitions(),
        r.nodesDeleted(),
        r.strayRecordsDeleted(),
        r.indexEntriesAdded(),
        r.indexEntriesDeleted());
  }

  /**
   * BatchGetItem: up to 100 items by key, from one or more tables, each read on its own (not one
   * snapshot; use {@link #transactGetItems} for that). Keys without an item are left out. Once the
   * items read reach 16 MB, the remaining keys come back as {@link
   * BatchGetItemResponse#unprocessedKeys()}, as DynamoDB's.
   *
   * @throws ValidationException (DynamoDB's messages) for no tables, an empty key list, more than
   *     100 keys ({@code Too many items requested for the BatchGetItem call}), a key given twice
   *     ({@code Provided list of item keys contains duplicates}) or a key that does not match its
   *     table's schema; nothing is read
   * @throws ResourceNotFoundException when a table does not exist
   */
  public BatchGetItemResponse batchGetItem(BatchGetItemRequest request) {
    Objects.requireNonNull(request, "request");
    checkOpen();
    return dataPlane.batchGetItem(request);
  }

  /**
   * BatchWriteItem: up to 25 puts and deletes over one or more tables, without conditions, in ONE
   * atomic write (DynamoDB does not promise atomicity here; Coffer gives it). The whole batch is
   * validated before anything is written. {@link BatchWriteItemResponse#unprocessedItems()} is
   * always empty.
   *
   * @throws ValidationException (DynamoDB's messages) for no tables, an empty list, more than 25
   *     requests ({@code Too many items requested for the BatchWriteItem call}), a key given twice
   *     in one table ({@code Provided list of item keys contains duplicates}), an item or key that
   *     breaks its table's schema or DynamoDB's limits; nothing is written
   * @throws ResourceNotFoundException when a table does not exist
   */
  public BatchWriteItemResponse batchWriteItem(BatchWriteItemRequest request) {
    Objects.requireNonNull(request, "request");
    checkOpen();
    return dataPlane.batchWriteItem(request);
  }

  /**
   * TransactWriteItems: 1 to 100 actions (Put, Update, Delete, ConditionCheck) on distinct items of
   * one or more tables, ALL OR NOTHING. Serializable: the write locks of every partition involved
   * are taken in one global order (so transactions never deadlock), the conditions are evaluated
   * under them, and every change is committed in one atomic batch; readers never see part of a
   * transaction. With a {@code ClientRequestToken}, a repeat of an applied request within 10
   * minutes is answered without applying it again (see {@link
   * IdempotentParameterMismatchException}, {@link TransactionInProgressException}); tokens are kept
   * in memory, not across a close.
   *
   * @throws TransactionCanceledException when a condition fails or an update cannot apply to its
   *     item: nothing was written; one {@link CancellationReason} per action
   * @throws ValidationException (DynamoDB's messages) for no action, more than 100, two actions on
   *     one item ({@code Transaction request cannot include multiple operations on one item}), an
   *     item or key that breaks its table's schema, an update of a key attribute, a token longer
   *     than 36 characters, or items over 4 MB together; nothing is written
   * @throws ResourceNotFoundException when a table does not exist
   */
  public TransactWriteItemsResponse transactWriteItems(TransactWriteItemsRequest request) {
    Objects.requireNonNull(request, "request");
    checkOpen();
    return dataPlane.transactWriteItems(request);
  }

  /**
   * TransactGetItems: 1 to 100 items by key, of one or more tables, read from ONE consistent
   * snapshot: the read locks of every partition involved are held together (taken in the same
   * global order as a transaction's write locks) while the items are read, so a transaction is seen
   * entirely or not at all.
   *
   * @throws ValidationException (DynamoDB's messages) for no Get, more than 100, an item asked for
   *     twice, or a key that does not match its table's schema
   * @throws ResourceNotFoundException when a table does not exist
   */
  public TransactGetItemsResponse transactGetItems(TransactGetItemsRequest request) {
    Objects.requireNonNull(request, "request");
    checkOpen();
    return dataPlane.transactGetItems(request);
  }

  /**
   * CreateTable: a new, empty table with its own data key and index key.
   *
   * @throws ResourceInUseException when a table of that name exists
   * @throws KeyProviderException when the provider refuses to generate the keys
   */
  public Table createTable(TableSpec spec) {
    Objects.requireNonNull(spec, "spec");
    int target = spec.pageTargetBytes() > 0 ? spec.pageTargetBytes() : defaultPageTargetBytes;
    TableOptions.Builder options =
        TableOptions.newBuilder()
            .setPageTargetBytes(target)
            .setRotateAfterDays(spec.rotateAfterDays())
            .setRotateAfterPages(spec.rotateAfterPages())
            .setAutoReencrypt(spec.autoReencrypt())
            .setUncompressedPages(!spec.compressPages());
    spec.capacitySettings().ifPresent(c -> options.setCapacity(TableCapacity.toProto(c)));
    checkOpen(); // the keys are generated with no lock held; the catalog commits them under the
    // shared lock
    return new Table(
        this, catalog.create(spec.name(), spec.keySchema(), options.build(), underStore));
  }

  /**
   * The table named {@code name}.
   *
   * @throws ResourceNotFoundException when there is none
   */
  public Table table(String name) {
    return new Table(this, lookUp(name));
  }

  /**
   * The open table named {@code name}; on a shared backend, a name this instance does not know yet
   * makes it read the catalog again first (another instance may have just created the table).
   */
  private TableContext lookUp(String name) {
    try {
      return call(() -> catalog.get(name));
    } catch (ResourceNotFoundException e) {
      if (catalog.shared() == null) {
        throw e;
      }
      refreshShared(true);
      return call(() -> catalog.get(name));
    }
  }

  /** DescribeTable. @throws ResourceNotFoundException when there is no such table */
  public TableDescription describeTable(String name) {
    TableContext t = lookUp(name);
    return call(() -> TableDescriptions.of(catalog.get(t.name())));
  }

  /**
   * Verifies every table ({@link Table#verify()}), in name order; then, with freshness on ({@link
   * CofferOptions#freshness()}), compares the store's ClientRequestToken records with their
   * freshness map, holding the map's lock (transactions with a token wait meanwhile): a token
   * record removed, put back, or added from outside Coffer, or a node of the map missing or put
   * back, is a {@link VerifyFinding.Kind#FRESHNESS_MISMATCH} among {@link
   * StoreVerification#storeFindings()}. Not compared in a session that only looks at a store whose
   * state names no map of them (a state an earlier build marked: the open's WARN line says so).
   *
   * @return one verification per table, and the store's findings; {@link StoreVerification#clean()}
   *     when nothing is wrong
   */
  public StoreVerification verify() {
    List<TableVerification> tables = new ArrayList<>();
    for (String name : listTables()) {
      try {
        tables.add(table(name).verify());
      } catch (ResourceNotFoundException deletedMeanwhile) {
        // nothing left to verify
      }
    }
    List<VerifyFinding> store =
        call(
            () ->
                records instanceof FreshStore f
                    ? f.verifyTokens().stream()
                        .map(
                            m ->
                                VerifyFinding.ofStoreRecord(
                                    VerifyFinding.Kind.FRESHNESS_MISMATCH,
                                    m.location(),
                                    m.message()))
                        .toList()
                    : List.of());
    return new StoreVerification(tables, store);
  }

  /** ListTables: every table name, sorted. */
  public List<String> listTables() {
    checkOpen();
    refreshShared(false);
    return call(catalog::names);
  }

  /**
   * DeleteTable by crypto-shredding: first, in one synced write, the table's catalog entry is
   * marked DELETING and loses every wrapped key (its data-key versions and index key), and the
   * unwrapped keys are wiped, so nothing of the table can be decrypted any more; then its column
   * family is dropped, the entry removed and the catalog compacted. Both steps are audited ({@code
   * coffer:DeleteTable}); a deletion a crash interrupted is finished at the next open. Table
   * handles of it fail with {@link ResourceNotFoundException} from then on. See {@code
   * docs/key-lifecycle.md} for what backups taken earlier still hold.
   *
   * @throws ResourceNotFoundException when there is no such table
   */
  public void deleteTable(String name) {
    admin(
        () -> {
          TableContext t = catalog.get(name);
          catalog.drop(name);
          partitions.invalidateTable(t.serial());
          return null;
        });
    catalog.compact(); // with no lock held: operations and DDL go on; a close cancels it
  }

  /**
   * Master-key rotation by rewrap, to the current version of the current master key (after the
   * provider rotated its key material, e.g. {@code RotateKeyOnDemand}). See {@link
   * #rotateMasterKey(KeyProvider, String)}.
   */
  public MasterKeyRotation rotateMasterKey() {
    checkOpen();
    return keyLifecycle.rotateMasterKey(null, null, underStore, exclusive);
  }

  /**
   * Master-key rotation by rewrap to another master key of the same provider ({@code ReEncrypt}:
   * the plaintext keys never reach Coffer). From now on the store must be opened with {@code
   * newMasterKeyId} (or any name of that key). See {@link #rotateMasterKey(KeyProvider, String)}.
   */
  public MasterKeyRotation rotateMasterKey(String newMasterKeyId) {
    Objects.requireNonNull(newMasterKeyId, "newMasterKeyId");
    checkOpen();
    return keyLifecycle.rotateMasterKey(null, newMasterKeyId, underStore, exclusive);
  }

  /**
   * Master-key rotation by rewrap: every wrapped key of the store (the store key, every live
   * data-key version of every table, every index key) is re-wrapped under {@code newMasterKeyId} of
   * {@code newProvider}, and the header and every catalog entry are replaced in ONE atomic, synced
   * RocksDB write batch. No page is read or written: the cost is one provider call per wrapped key,
   * whatever the size of the data. The store stays open for reads and writes.
   *
   * <p>With another provider (e.g. local to aws-kms) each key is decrypted with the old provider
   * and encrypted with the new one ({@code Encrypt}); the header records the new provider's scheme
   * and the store must be opened with that provider and key from then on. The caller keeps {@code
   * newProvider} open until the store is closed. A crash at any point leaves either the old or the
   * new keys, both complete. Audited as {@code coffer:RotateMasterKey}.
   *
   * <p>Once, for an embedded store created before its store key's context said that it keeps a
   * sealed state: the store key is renewed instead of re-wrapped (a new one, generated under {@code
   * newMasterKeyId}), and the store's own records (header, catalog entries, ClientRequestToken
   * records, the sealed state) are re-sealed with it in the same batch, while item operations wait;
   * the rollback anchor is rewritten under it (docs/key-lifecycle.md). A header from before that
   * rotation then opens nothing. The result ({@link MasterKeyRotation#storeKeyRenewed()}) and the
   * audit record say so.
   *
   * @throws KeyProviderException when a provider refuses (nothing is changed)
   * @throws ValidationException when that renewal is due and the store was opened with {@link
   *     CofferOptions#moveRollbackAnchor()} false and has an anchor (nothing is changed)
   */
  public MasterKeyRotation rotateMasterKey(KeyProvider newProvider, String newMasterKeyId) {
    Objects.requireNonNull(newProvider, "newProvider");
    Objects.requireNonNull(newMasterKeyId, "newMasterKeyId");
    checkOpen();
    return keyLifecycle.rotateMasterKey(newProvider, newMasterKeyId, underStore, exclusive);
  }

  /**
   * The last rollback accepted at an open of this store ({@link CofferOptions#acceptRollback()}):
   * when, the anchored epoch, the epoch found and why, as the store's sealed state records it;
   * empty when none was ever accepted (and always on a shared record backend, which keeps no
   * anchor).
   */
  public Optional<AcceptedRollback> lastAcceptedRollback() {
    return call(
        () ->
            catalog
                .sealedState()
                .lastAcceptedRollback()
                .map(
                    r ->
                        new AcceptedRollback(
                            Instant.ofEpochMilli(r.getAcceptedMillis()),
                            r.getAnchoredEpoch() < 0
                                ? OptionalLong.empty()
                                : OptionalLong.of(r.getAnchoredEpoch()),
                            r.getFoundEpoch(),
                            reason(r.getReason()))));
  }

  private static AcceptedRollback.Reason reason(String name) {
    try {
      return AcceptedRollback.Reason.valueOf(name);
    } catch (IllegalArgumentException e) {
      return AcceptedRollback.Reason.UNKNOWN;
    }
  }

  /** The store's master key, its provider scheme and the last master-key rotation. */
  public StoreKeyInfo keyInfo() {
    return call(
        () -> {
          StoreHeader h = storeKeys.header();
          return new StoreKeyInfo(
              h.getStoreKey().getMasterKeyId(),
              h.getKeyProviderScheme(),
              h.getLastMasterRotationMillis() == 0
                  ? null
                  : Instant.ofEpochMilli(h.getLastMasterRotationMillis()),
              keyLifecycle.accessCheckInterval());
        });
  }

  /**
   * The freshness maps' counters ({@link CofferOptions#freshness()}): reads checked, checks failed,
   * the map nodes cached. All zero, and not enabled, for a store without freshness (a shared
   * backend has none).
   */
  public FreshnessStats freshnessStats() {
    if (records instanceof FreshStore f && f.enabled()) {
      long[] checks = f.checkCounts();
      long[] cache = f.cacheCounts();
      return new FreshnessStats(true, checks[0], checks[1], cache[1], cache[0], cache[2], cache[3]);
    }
    return new FreshnessStats(false, 0, 0, 0, 0, 0, 0);
  }

  /**
   * The decrypted-page cache's counters: its bound, the bytes it holds now and at most since the
   * store was opened, hits, misses and evictions. Works on a closed store too (the last values).
   */
  public PageCacheStats pageCacheStats() {
    return partitions.cache().stats();
  }

  /**
   * The partition metadata's counters: its bound ({@link CofferOptions#partitionMetadataBytes()}),
   * the bytes it holds now and at most since the store was opened, partitions held, hits, misses
   * and evictions. The metadata is memory beside the page cache, bounded on its own. Works on a
   * closed store too (the last values).
   */
  public PartitionMetadataStats partitionMetadataStats() {
    return partitions.metadata().stats();
  }

  /** Flushes RocksDB's memtables to SST files (the write-ahead log already holds every write). */
  public void flush() {
    call(
        () -> {
          records.flush();
          return null;
        });
  }

  /**
   * Closes the store: waits for running operations, persists the seal counters, wipes every key
   * (page keys, index keys, the catalog key), empties the page cache and closes RocksDB.
   * Idempotent; throws nothing checked.
   */
  @Override
  public void close() {
    keyLifecycle.close(); // stops background re-encryption before the store goes
    partitions
        .stopFolding(); // and background folds (they take the lifecycle lock this close waits for)
    Lock lock = lifecycle.writeLock();
    lock.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      RuntimeException failure = null;
      try {
        keyLifecycle.flushAllSeals();
      } catch (RuntimeException e) {
        failure = e;
      }
      keyLifecycle.recordKeyState(); // best effort: logs a failure
      try {
        catalog.sealedState().advanceAnchor(); // a copy taken while the store was open is now older
      } catch (RuntimeException e) {
        if (failure == null) {
          failure = e;
        }
      }
      try {
        catalog.close();
      } finally {
        partitions.clear();
        try {
          records.close();
        } finally {
          if (ownedProvider != null) {
            ownedProvider.close();
          }
        }
      }
      if (failure != null) {
        throw failure;
      }
    } finally {
      lock.unlock();
    }
  }

  KeyLifecycle keyLifecycle() {
    return keyLifecycle;
  }

  /** The catalog (tests in this package read entries through it). */
  Catalog catalog() {
    return catalog;
  }

  /**
   * Runs an operation on table {@code t}: outside every lock, the access check and the table's
   * rotation policy (both may call the key provider); then {@code op} under the shared lifecycle
   * lock; after a write, with no partition lock held, the commit point that persists due seal
   * counts.
   */
  <T> T onTable(TableContext t, boolean write, Function<TableContext, T> op) {
    beforeOperation(t);
    return call(
        () -> {
          t.checkLive();
          T result = op.apply(t);
          if (write) {
            keyLifecycle.afterWrite(t);
          }
          return result;
        });
  }

  /**
   * {@link #onTable} for an operation on several tables: the access checks and rotation policies of
   * each first, then {@code op} under the shared lifecycle lock with every table checked live, then
   * (after a write, with no partition lock held) each table's commit point.
   */
  <T> T onTables(Collection<TableContext> tables, boolean write, Supplier<T> op) {
    for (TableContext t : tables) {
      beforeOperation(t);
    }
    return call(
        () -> {
          for (TableContext t : tables) {
            t.checkLive();
          }
          T result = op.get();
          if (write) {
            for (TableContext t : tables) {
              keyLifecycle.afterWrite(t);
            }
          }
          return result;
        });
  }

  /** The open table named {@code name}. @throws ResourceNotFoundException when there is none */
  TableContext context(String name) {
    return call(() -> catalog.get(name));
  }

  /**
   * Before an operation on {@code t}, with no lock held: the access check and the rotation policy.
   */
  void beforeOperation(TableContext t) {
    checkOpen();
    t.checkLive();
    refreshShared(false);
    keyLifecycle.beforeOperation(t, underStore);
  }

  /**
   * On a shared backend, at most once per access re-check interval: reads the catalog again, so
   * that other instances' rotations, new tables and deletions take effect here; the keys of tables
   * deleted elsewhere are wiped once no operation runs.
   */
  private void refreshShared(boolean now) {
    dev.coffer.internal.catalog.SharedCatalog shared = catalog.shared();
    if (shared == null) {
      return;
    }
    if (call(() -> shared.refreshIfDue(now ? 0 : keyLifecycle.accessCheckInterval().toMillis()))) {
      List<TableContext> gone = shared.drainForgotten();
      if (!gone.isEmpty()) {
        admin(
            () -> {
              for (TableContext t : gone) {
                t.keys().destroy();
                partitions.cache().invalidateTable(t.serial());
              }
              return null;
            });
      }
    }
  }

  ItemOperations items() {
    return items;
  }

  QueryExecutor queries() {
    return queries;
  }

  ScanExecutor scans() {
    return scans;
  }

  /** Runs an operation under the shared lifecycle lock. */
  <T> T call(Supplier<T> op) {
    return locked(lifecycle.readLock(), op);
  }

  void run(Runnable op) {
    call(
        () -> {
          op.run();
          return null;
        });
  }

  private <T> T admin(Supplier<T> op) {
    return locked(lifecycle.writeLock(), op);
  }

  private <T> T locked(Lock lock, Supplier<T> op) {
    lock.lock();
    try {
      checkOpen();
      return op.get();
    } finally {
      lock.unlock();
    }
  }

  void checkOpen() {
    if (closed) {
      throw new IllegalStateException("The Coffer store in " + location() + " is closed");
    }
  }

  @Override
  public String toString() {
    return "Coffer[" + location() + "]";
  }
}
