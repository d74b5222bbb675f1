package dev.coffer;

import dev.coffer.internal.catalog.TableCapacity;
import dev.coffer.internal.catalog.TableContext;
import dev.coffer.internal.model.Strings;
import dev.coffer.internal.query.FilterKeys;
import dev.coffer.internal.query.ItemChange;
import dev.coffer.internal.query.PageShape;
import dev.coffer.internal.verify.TableVerifier;
import dev.coffer.kms.KeyProviderException;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A table of an open {@link Coffer} store: DynamoDB's item operations (PutItem, GetItem,
 * UpdateItem, DeleteItem, with conditions and ReturnValues), Query and Scan (with filters,
 * projections and Select). Each operation has a simple form ({@code putItem(Item)}) and a request
 * form shaped like the AWS SDK's ({@code putItem(PutItemRequest)}); multi-table operations (batches
 * and transactions) are on {@link Coffer}.
 *
 * <p><b>Guarantees.</b> Each write is atomic (one RocksDB write batch) and durable once the method
 * returns when the store was opened with {@code syncWrites(true)}. A conditional write evaluates
 * its condition and writes under the item's partition lock, so no other write comes in between
 * (DynamoDB's conditional writes are likewise atomic). A read never sees half of a write. Reads are
 * always strongly consistent ({@code consistentRead} is accepted). Items come back exactly as
 * written or not at all: a page that fails authentication raises {@link CorruptionException}.
 *
 * <p><b>Errors.</b> {@link ValidationException} for an item, key, expression or request that breaks
 * the schema or DynamoDB's rules and limits, with DynamoDB's message (nothing is written), {@link
 * ConditionalCheckFailedException} when a write's condition does not hold (nothing is written),
 * {@link ResourceNotFoundException} once the table was deleted, {@link CorruptionException} for
 * tampered or damaged pages, {@link StorageException} for I/O failures, {@link
 * IllegalStateException} after the store was closed. The key provider's own {@link
 * KeyProviderException} passes through unchanged when the store may no longer use its master key (a
 * refused access check) or a rotation is refused. The store stays usable after any rejected
 * request.
 *
 * <p>Thread-safe: any number of threads may use one {@code Table}.
 */
public final class Table {
  private final Coffer coffer;
  private final TableContext context;

  Table(Coffer coffer, TableContext context) {
    this.coffer = coffer;
    this.context = context;
  }

  /** The table name. */
  public String name() {
    return context.name();
  }

  /** The key schema. */
  public KeySchema keySchema() {
    return context.schema();
  }

  /** PutItem: writes {@code item}, replacing any item with the same primary key. */
  public void putItem(Item item) {
    Objects.requireNonNull(item, "item");
    coffer.onTable(context, true, t -> coffer.items().put(t, item, false));
  }

  /** PutItem with ReturnValues=ALL_OLD: writes {@code item} and returns the item it replaced. */
  public Optional<Item> putItemReturningOld(Item item) {
    Objects.requireNonNull(item, "item");
    return Optional.ofNullable(coffer.onTable(context, true, t -> coffer.items().put(t, item)));
  }

  /** GetItem: the item with {@code key}, if there is one. */
  public Optional<Item> getItem(Key key) {
    Objects.requireNonNull(key, "key");
    return Optional.ofNullable(
        coffer.onTable(context, false, t -> coffer.items().get(t, key, null)));
  }

  /**
   * GetItem with a projection: only the named top-level attributes of the item.
   *
   * @throws ValidationException as DynamoDB refuses a ProjectionExpression: no names, a name given
   *     twice (two paths that overlap), or a name that is not a valid attribute name
   */
  public Optional<Item> getItem(Key key, Collection<String> attributeNames) {
    Objects.requireNonNull(key, "key");
    List<String> names = checkProjection(attributeNames);
    return Optional.ofNullable(
        coffer.onTable(context, false, t -> coffer.items().get(t, key, names)));
  }

  /**
   * DeleteItem: deletes the item with {@code key}; does nothing when there is none. The stored item
   * is not decoded, so even one that cannot be read (a {@link CorruptionException} on get) can be
   * deleted.
   */
  public void deleteItem(Key key) {
    Objects.requireNonNull(key, "key");
    coffer.onTable(context, true, t -> coffer.items().delete(t, key, false));
  }

  /** DeleteItem with ReturnValues=ALL_OLD: deletes and returns the item, if there was one. */
  public Optional<Item> deleteItemReturningOld(Key key) {
    Objects.requireNonNull(key, "key");
    return Optional.ofNullable(coffer.onTable(context, true, t -> coffer.items().delete(t, key)));
  }

  /**
   * PutItem with DynamoDB's options: a condition on the item it would replace (or on "no item"),
   * ReturnValues {@link ReturnValue#ALL_OLD}, and the item on a failed condition.
   *
   * @throws ConditionalCheckFailedException when the condition does not hold; nothing is written
   * @throws ValidationException for an invalid item, or ReturnValues other than NONE and ALL_OLD
   *     ({@code ReturnValues can only be ALL_OLD or NONE})
   */
  public PutItemResponse putItem(PutItemRequest request) {
    Objects.requireNonNull(request, "request");
    DataPlane.checkPutOrDeleteReturnValues(request.returnValues());
    boolean allOld = request.returnValues() == ReturnValue.ALL_OLD;
    if (request.condition() == null) {
      return PutItemResponse.of(
          allOld ? putItemReturningOld(request.item()).orElse(null) : put(request.item()));
    }
    ItemChange change =
        ItemChange.put(
            request.item(),
            context.schema(),
            DataPlane.tree(request.condition()),
            returnOldOnFailure(request.returnValuesOnConditionCheckFailure()));
    return PutItemResponse.of(write(change, request.returnValues()));
  }

  private Item put(Item item) {
    putItem(item);
    return null;
  }

  /**
   * UpdateItem: applies the update to the item with the key, creating it (from its key) when it
   * does not exist, as DynamoDB's upsert, except that an update whose actions are all REMOVE or
   * DELETE creates nothing then (as in DynamoDB); evaluates the condition first, on the current
   * item (or on "no item"). Returns what {@link UpdateItemRequest#returnValues()} asks for: the old
   * or new item, or only the attributes the update wrote, as they were or are.
   *
   * @throws ConditionalCheckFailedException when the condition does not hold; nothing is written
   * @throws ValidationException with DynamoDB's message when the update cannot apply to the item
   *     (an operand of the wrong type, ADD to a list, a missing parent path, a key attribute, a
   *     result over 400 KB or nested too deeply); nothing is written
   */
  public UpdateItemResponse updateItem(UpdateItemRequest request) {
    Objects.requireNonNull(request, "request");
    ItemChange change =
        new ItemChange(
            ItemChange.Kind.UPDATE,
            request.key(),
            null,
            DataPlane.tree(request.condition()),
            DataPlane.tree(request.update()),
            returnOldOnFailure(request.returnValuesOnConditionCheckFailure()));
    return UpdateItemResponse.of(write(change, request.returnValues()));
  }

  /**
   * DeleteItem with DynamoDB's options: a condition on the current item, ReturnValues {@link
   * ReturnValue#ALL_OLD}, and the item on a failed condition.
   *
   * @throws ConditionalCheckFailedException when the condition does not hold; nothing is deleted
   * @throws ValidationException for an invalid key, or ReturnValues other than NONE and ALL_OLD
   */
  public DeleteItemResponse deleteItem(DeleteItemRequest request) {
    Objects.requireNonNull(request, "request");
    DataPlane.checkPutOrDeleteReturnValues(request.returnValues());
    boolean allOld = request.returnValues() == ReturnValue.ALL_OLD;
    if (request.condition() == null) {
      if (allOld) {
        return DeleteItemResponse.of(deleteItemReturningOld(request.key()).orElse(null));
      }
      deleteItem(request.key());
      return DeleteItemResponse.of(null);
    }
    ItemChange change =
        new ItemChange(
            ItemChange.Kind.DELETE,
            request.key(),
            null,
            DataPlane.tree(request.condition()),
            null,
            returnOldOnFailure(request.returnValuesOnConditionCheckFailure()));
    return DeleteItemResponse.of(write(change, request.returnValues()));
  }

  /** GetItem, optionally with a projection (document paths, nested parts included). */
  public GetItemResponse getItem(GetItemRequest request) {
    Objects.requireNonNull(request, "request");
    return GetItemResponse.of(
        coffer.onTable(
            context,
            false,
            t ->
                coffer
                    .items()
                    .getProjected(t, request.key(), DataPlane.projector(request.projection()))));
  }

  private Item write(ItemChange change, ReturnValue returnValues) {
    return coffer.onTable(context, true, t -> coffer.items().write(t, change, returnValues));
  }

  private static boolean returnOldOnFailure(ReturnValuesOnConditionCheckFailure v) {
    return v == ReturnValuesOnConditionCheckFailure.ALL_OLD;
  }

  /**
   * Query with a filter, a projection and Select: one page, Limit counting the items read before
   * the filter (DynamoDB's ScannedCount), {@link Page#count()} the items that passed it.
   *
   * @throws ValidationException as DynamoDB: a filter on a key attribute ({@code Filter Expression
   *     can only contain non-primary key attributes: Primary key attribute: pk}), Select
   *     SPECIFIC_ATTRIBUTES without a projection or another Select with one, and every error of
   *     {@link #query(Query)}
   */
  public Page query(QueryRequest request) {
    Objects.requireNonNull(request, "request");
    PageShape shape = shape(request.filter(), request.projection(), request.select());
    if (request.filter() != null) {
      FilterKeys.checkQueryFilter(request.filter().tree(), context.schema());
    }
    return coffer.onTable(context, false, t -> coffer.queries().query(t, request.query(), shape));
  }

  /**
   * Scan with a filter (on any attribute), a projection and Select; as {@link
   * #query(QueryRequest)}.
   */
  public Page scan(ScanRequest request) {
    Objects.requireNonNull(request, "request");
    PageShape shape = shape(request.filter(), request.projection(), request.select());
    return coffer.onTable(context, false, t -> coffer.scans().scan(t, request.scan(), shape));
  }

  /** Select against the projection, as DynamoDB checks them, and what the page keeps. */
  private static PageShape shape(Condition filter, Projection projection, Select select) {
    if (select == Select.SPECIFIC_ATTRIBUTES && projection == null) {
      throw new ValidationException(
          "Must specify the AttributesToGet or ProjectionExpression when choosing to get"
              + " SPECIFIC_ATTRIBUTES");
    }
    if (projection != null && select != null && select != Select.SPECIFIC_ATTRIBUTES) {
      throw new ValidationException(
          "Cannot specify the AttributesToGet or ProjectionExpression when choosing to get "
              + select);
    }
    return new PageShape(
        DataPlane.tree(filter), DataPlane.projector(projection), select == Select.COUNT);
  }

  /** Query: one page of the items of one partition. */
  public Page query(Query query) {
    Objects.requireNonNull(query, "query");
    return coffer.onTable(context, false, t -> coffer.queries().query(t, query));
  }

  /** Scan: one page of the table's items in partition-token order. */
  public Page scan(Scan scan) {
    Objects.requireNonNull(scan, "scan");
    return coffer.onTable(context, false, t -> coffer.scans().scan(t, scan));
  }

  /**
   * Data-key rotation: a new data-key version (from the provider's {@code GenerateDataKey} with
   * context {@code {store, table, purpose: page, version: n}}) seals every page from now on; the
   * previous versions become RETIRED and still open the pages they sealed until {@link
   * #reencrypt(ReencryptOptions)} moves those pages to the new version. O(1): no page is touched.
   * Audited as {@code coffer:RotateDataKey}.
   *
   * @return the new primary version
   * @throws KeyProviderException when the provider refuses to generate the key
   */
  public int rotateDataKey() {
    coffer.beforeOperation(context);
    return coffer.keyLifecycle().rotateDataKey(context, coffer::run);
  }

  /**
   * The re-encryption job: re-seals every page and delta record sealed by a RETIRED data-key
   * version, or in an older envelope format (format 1: AES-256-GCM under the page key itself, as
   * stores written before XAES-256-GCM hold), under the primary version in the current envelope
   * format, then DESTROYS the retired versions (their wrapped form leaves the catalog, their keys
   * are wiped: nothing they sealed can be opened again).
   *
   * <p>Online (runs on the caller's thread, partition by partition, each under its partition lock:
   * reads and writes go on), throttled ({@link ReencryptOptions#bytesPerSecond()}), resumable (its
   * cursor is persisted in the catalog; after a crash, a close or a failure, the next call — or the
   * next open, in the background — continues where it stopped) and observable ({@link
   * ReencryptionListener}). Returns at once when no version is retired and no record is in an older
   * envelope format (found by a scan of the records' envelope headers). One job per table at a
   * time: a second call waits for the first. Audited as {@code coffer:Reencrypt} and {@code
   * coffer:DestroyDataKeyVersion}.
   */
  public ReencryptResult reencrypt(ReencryptOptions options) {
    Objects.requireNonNull(options, "options");
    coffer.beforeOperation(context);
    return coffer.keyLifecycle().reencrypt(context, options, coffer::run);
  }

  /**
   * Verifies every stored record of the table, as stored (not through the page cache): every node
   * reachable from each partition's root opens (its page and delta records authenticate and parse)
   * and is well-formed, every child a tree points at exists, and no stored node is unreachable. A
   * range of records the storage engine cannot read at all (a damaged block) is reported with the
   * partition tokens it covers. It reads the whole table; reads and writes go on meanwhile (it
   * reads one consistent view of the table).
   *
   * @return what was read and every finding; {@link TableVerification#clean()} when nothing is
   *     wrong
   * @throws StorageException when the files cannot be read for another reason than damage
   */
  public TableVerification verify() {
    return coffer.onTable(context, false, TableVerifier::verify);
  }

  /**
   * UpdateTable's billing mode and provisioned throughput: replaces the settings the table's
   * catalog entry keeps ({@link TableDescription#capacitySettings()}), in a synced catalog write.
   * They have no effect on the table (Coffer has no capacity limits). The caller decides what
   * changed (DynamoDB's last increase and decrease times, decreases today).
   *
   * @return the table's description with the new settings
   * @throws ResourceNotFoundException when the table was deleted
   */
  public TableDescription updateCapacitySettings(CapacitySettings settings) {
    Objects.requireNonNull(settings, "settings");
    coffer.beforeOperation(context);
    coffer.run(() -> TableCapacity.update(coffer.catalog(), context, settings));
    return describe();
  }

  /** The table's description. */
  public TableDescription describe() {
    return coffer.describeTable(context.name());
  }

  /** A projection's names as DynamoDB accepts them: at least one, each a valid name, none twice. */
  static List<String> checkProjection(Collection<String> attributeNames) {
    Objects.requireNonNull(attributeNames, "attributeNames");
    if (attributeNames.isEmpty()) {
      throw new ValidationException(
          "Invalid ProjectionExpression: The expression can not be empty;");
    }
    List<String> names = List.copyOf(attributeNames);
    Set<String> seen = new HashSet<>();
    for (String name : names) {
      Strings.checkAttributeName(name);
      if (!seen.add(name)) {
        throw new ValidationException(
            "Invalid ProjectionExpression: Two document paths overlap with each other;"
                + " must remove or rewrite one of these paths; path one: ["
                + name
                + "], path two: ["
                + name
                + "]");
      }
    }
    return names;
  }

  @Override
  public String toString() {
    return "Table[" + context.name() + "]";
  }
}
