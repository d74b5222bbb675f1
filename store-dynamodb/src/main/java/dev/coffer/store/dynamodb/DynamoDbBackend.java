package dev.coffer.store.dynamodb;

import dev.coffer.StorageException;
import dev.coffer.spi.BackendKey;
import dev.coffer.spi.BackendRecord;
import dev.coffer.spi.ConditionFailedException;
import dev.coffer.spi.RecordBackend;
import dev.coffer.spi.ScanPage;
import dev.coffer.spi.WriteCondition;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.DeleteRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * A Coffer {@link RecordBackend} in one Amazon DynamoDB table: every record of the store is an item
 * with up to four attributes, a binary partition key {@code p}, a binary sort key {@code s}, the
 * record's value {@code r} (binary: Coffer's sealed ciphertext; absent when the value is empty) and
 * its version {@code v} (binary: the 64-bit version, big-endian without leading zero bytes, at
 * least one byte; {@link #versionBytes}). Items written by earlier versions, with {@code v} a
 * number, are read too. Reads are strongly consistent; conditional writes are {@code PutItem} /
 * {@code DeleteItem} with a {@code ConditionExpression} ({@code attribute_not_exists(p)}, {@code
 * attribute_exists(p)}, {@code v = :v}) and {@code ReturnValues ALL_OLD}; {@link #deleteAll} uses
 * {@code BatchWriteItem} (25 deletions per request); {@link #scan} is a parallel {@code Scan}.
 * Nothing else is used, so any implementation of DynamoDB's API serves (dynalite included).
 *
 * <pre>{@code
 * DynamoDbClient client = DynamoDbClient.create();
 * try (Coffer coffer = Coffer.open(CofferOptions.builder()
 *         .backend(DynamoDbBackend.builder().client(client).tableName("orders-store").build())
 *         .keyProviderUri("aws-kms:arn:aws:kms:...").build())) {
 *   ...
 * }
 * }</pre>
 *
 * <p><b>The table.</b> Key schema {@code p} (B, HASH) and {@code s} (B, RANGE); {@link
 * Builder#createTableIfMissing} creates it on demand (on-demand capacity), else it must exist. One
 * table holds one Coffer store; nothing else should write to it.
 *
 * <p><b>Errors.</b> A failed condition throws {@link ConditionFailedException}; every other SDK
 * failure (after the SDK's own retries of throttling and server errors) throws {@link
 * StorageException} naming the operation and the table, with the SDK's exception as cause.
 *
 * <p>Thread-safe (the SDK's client is). {@link #close()} closes the client only when the backend
 * made it ({@link DynamoDbBackendFactory}); a client passed to the builder is the caller's.
 */
public final class DynamoDbBackend implements RecordBackend {
  /**
   * The largest value a record holds: DynamoDB's 400 KB item limit less room for the keys, names
   * and version.
   */
  public static final int MAX_VALUE_BYTES = 400_000;

  static final String P = "p";
  static final String S = "s";
  static final String R = "r";
  static final String V = "v";

  private final DynamoDbClient client;
  private final String table;
  private final boolean ownsClient;
  private final String location;

  private DynamoDbBackend(Builder b) {
    this.client = b.client;
    this.table = b.tableName;
    this.ownsClient = b.ownsClient;
    this.location = "dynamodb:" + table + (b.description == null ? "" : " (" + b.description + ")");
    if (b.createTableIfMissing) {
      new TableSetup(client, table).ensure();
    }
  }

  /** A builder; {@link Builder#client} and {@link Builder#tableName} are required. */
  public static Builder builder() {
    return new Builder();
  }

  /** The DynamoDB table. */
  public String tableName() {
    return table;
  }

  @Override
  public String location() {
    return location;
  }

  @Override
  public int maxValueBytes() {
    return MAX_VALUE_BYTES;
  }

  @Override
  public BackendRecord get(byte[] partitionKey, byte[] sortKey) {
    GetItemResponse r =
        call(
            "GetItem",
            () ->
                client.getItem(
                    g -> g.tableName(table).key(key(partitionKey, sortKey)).consistentRead(true)));
    return r.hasItem() && !r.item().isEmpty() ? record(r.item()) : null;
  }

  @Override
  public List<BackendRecord> query(
      byte[] partitionKey, byte[] startSortKey, boolean inclusive, int limit) {
    Map<String, String> names = new HashMap<>();
    names.put("#p", P);
    Map<String, AttributeValue> values = new HashMap<>();
    values.put(":p", bytes(partitionKey));
    String condition = "#p = :p";
    if (startSortKey != null) {
      names.put("#s", S);
      values.put(":s", bytes(startSortKey));
      condition += inclusive ? " AND #s >= :s" : " AND #s > :s";
    }
    String keyCondition = condition;
    QueryResponse r =
        call(
            "Query",
            () ->
                client.query(
                    q ->
                        q.tableName(table)
                            .keyConditionExpression(keyCondition)
                            .expressionAttributeNames(names)
                            .expressionAttributeValues(values)
                            .consistentRead(true)
                            .limit(limit)));
    List<BackendRecord> out = new ArrayList<>(r.count());
    r.items().forEach(i -> out.add(record(i)));
    return out;
  }

  @Override
  public BackendRecord put(BackendRecord record, WriteCondition condition) {
    Map<String, AttributeValue> item = new HashMap<>();
    item.put(P, bytes(record.partitionKey()));
    item.put(S, bytes(record.sortKey()));
    if (record.value().length > 0) {
      item.put(R, bytes(record.value()));
    }
    item.put(V, bytes(versionBytes(record.version())));
    PutItemRequest.Builder req =
        PutItemRequest.builder().tableName(table).item(item).returnValues(ReturnValue.ALL_OLD);
    conditionOf(
        condition,
        req::conditionExpression,
        req::expressionAttributeNames,
        req::expressionAttributeValues);
    Map<String, AttributeValue> old =
        call("PutItem", () -> client.putItem(req.build())).attributes();
    return old == null || old.isEmpty() ? null : record(old);
  }

  @Override
  public BackendRecord delete(byte[] partitionKey, byte[] sortKey, WriteCondition condition) {
    DeleteItemRequest.Builder req =
        DeleteItemRequest.builder()
            .tableName(table)
            .key(key(partitionKey, sortKey))
            .returnValues(ReturnValue.ALL_OLD);
    conditionOf(
        condition,
        req::conditionExpression,
        req::expressionAttributeNames,
        req::expressionAttributeValues);
    Map<String, AttributeValue> old =
        call("DeleteItem", () -> client.deleteItem(req.build())).attributes();
    return old == null || old.isEmpty() ? null : record(old);
  }

  @Override
  public void deleteAll(List<BackendKey> keys) {
    for (int from = 0; from < keys.size(); from += 25) {
      List<WriteRequest> batch = new ArrayList<>();
      for (BackendKey k : keys.subList(from, Math.min(keys.size(), from + 25))) {
        batch.add(
            WriteRequest.builder()
                .deleteRequest(
                    DeleteRequest.builder().key(key(k.partitionKey(), k.sortKey())).build())
                .build());
      }
      Map<String, List<WriteRequest>> pending = Map.of(table, batch);
      for (int attempt = 0;
          !pending.isEmpty() && !pending.getOrDefault(table, List.of()).isEmpty();
          attempt++) {
        Map<String, List<WriteRequest>> send = pending;
        BatchWriteItemResponse r =
            call("BatchWriteItem", () -> client.batchWriteItem(b -> b.requestItems(send)));
        pending = r.hasUnprocessedItems() ? r.unprocessedItems() : Map.of();
        if (!pending.isEmpty() && !pending.getOrDefault(table, List.of()).isEmpty()) {
          if (attempt == 10) {
            throw new StorageException(
                "BatchWriteItem on DynamoDB table "
                    + table
                    + " left "
                    + pending.get(table).size()
                    + " deletions unprocessed after 10 attempts");
          }
          sleep(Math.min(1000, 20L << attempt));
        }
      }
    }
  }

  @Override
  public ScanPage scan(int segment, int totalSegments, BackendKey exclusiveStartKey, int limit) {
    ScanResponse r =
        call(
            "Scan",
            () ->
                client.scan(
                    s -> {
                      s.tableName(table)
                          .segment(segment)
                          .totalSegments(totalSegments)
                          .limit(limit)
                          .consistentRead(true);
                      if (exclusiveStartKey != null) {
                        s.exclusiveStartKey(
                            key(exclusiveStartKey.partitionKey(), exclusiveStartKey.sortKey()));
                      }
                    }));
    List<BackendRecord> out = new ArrayList<>(r.count());
    r.items().forEach(i -> out.add(record(i)));
    BackendKey last =
        r.hasLastEvaluatedKey() && !r.lastEvaluatedKey().isEmpty()
            ? BackendKey.of(
                r.lastEvaluatedKey().get(P).b().asByteArray(),
                r.lastEvaluatedKey().get(S).b().asByteArray())
            : null;
    return new ScanPage(out, last);
  }

  @Override
  public void close() {
    if (ownsClient) {
      client.close();
    }
  }

  @Override
  public String toString() {
    return "DynamoDbBackend[" + location + "]";
  }

  // ------------------------------------------------------------------------------------ helpers

  private static AttributeValue bytes(byte[] b) {
    return AttributeValue.fromB(SdkBytes.fromByteArrayUnsafe(b));
  }

  private static Map<String, AttributeValue> key(byte[] pk, byte[] sk) {
    return Map.of(P, bytes(pk), S, bytes(sk));
  }

  private static BackendRecord record(Map<String, AttributeValue> item) {
    AttributeValue v = item.get(V);
    AttributeValue r = item.get(R);
    return BackendRecord.of(
        item.get(P).b().asByteArray(),
        item.get(S).b().asByteArray(),
        r == null ? new byte[0] : r.b().asByteArray(),
        v == null ? 0 : v.b() != null ? version(v.b().asByteArray()) : Long.parseLong(v.n()));
  }

  /**
   * A version as stored: big-endian, without leading zero bytes, at least one byte (so one version
   * has one encoding, and {@code v = :v} compares versions). A random 64-bit version takes 8 bytes
   * (a number took up to 11 as DynamoDB sizes it), a counter 1 or 2, a time in milliseconds 6.
   */
  static byte[] versionBytes(long version) {
    int n = Math.max(1, 8 - Long.numberOfLeadingZeros(version) / 8);
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) {
      b[i] = (byte) (version >>> (8 * (n - 1 - i)));
    }
    return b;
  }

  /** The version {@link #versionBytes} encoded. */
  static long version(byte[] b) {
    long v = 0;
    for (byte x : b) {
      v = (v << 8) | (x & 0xFF);
    }
    return v;
  }

  private static void conditionOf(
      WriteCondition c,
      java.util.function.Consumer<String> expression,
      java.util.function.Consumer<Map<String, String>> names,
      java.util.function.Consumer<Map<String, AttributeValue>> values) {
    switch (c.kind()) {
      case NONE -> {}
      case ABSENT -> {
        expression.accept("attribute_not_exists(#p)");
        names.accept(Map.of("#p", P));
      }
      case EXISTS -> {
        expression.accept("attribute_exists(#p)");
        names.accept(Map.of("#p", P));
      }
      case VERSION -> {
        expression.accept("#v = :v");
        names.accept(Map.of("#v", V));
        values.accept(Map.of(":v", bytes(versionBytes(c.version()))));
      }
      default -> throw new AssertionError(c.kind());
    }
  }

  private <T> T call(String operation, java.util.function.Supplier<T> request) {
    try {
      return request.get();
    } catch (software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException e) {
      throw new ConditionFailedException(
          "The conditional request failed (" + operation + " on DynamoDB table " + table + ")", e);
    } catch (software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException e) {
      throw new StorageException(
          "DynamoDB table "
              + table
              + " does not exist ("
              + operation
              + "); create it with"
              + " key schema p (B, HASH), s (B, RANGE), or let Coffer create it",
          e);
    } catch (SdkException e) {
      throw new StorageException(
          operation + " on DynamoDB table " + table + " failed: " + brief(e), e);
    }
  }

  /**
   * The SDK's message up to its first detail list (credential chains list every provider they
   * tried).
   */
  static String brief(SdkException e) {
    String m = String.valueOf(e.getMessage());
    int cut = m.indexOf(" : [");
    m = cut > 0 ? m.substring(0, cut) : m;
    return m.length() > 300 ? m.substring(0, 300) + "..." : m;
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StorageException("Interrupted while retrying a DynamoDB batch", e);
    }
  }

  /** Builds a {@link DynamoDbBackend}. Not thread-safe. */
  public static final class Builder {
    private DynamoDbClient client;
    private String tableName;
    private boolean createTableIfMissing = true;
    private boolean ownsClient;
    private String description;

    private Builder() {}

    /** The client (the caller's: closing the backend does not close it). */
    public Builder client(DynamoDbClient client) {
      this.client = Objects.requireNonNull(client, "client must not be null");
      this.ownsClient = false;
      return this;
    }

    /** The client, closed with the backend (the URI factory's). */
    Builder ownedClient(DynamoDbClient client, String description) {
      this.client = Objects.requireNonNull(client, "client must not be null");
      this.ownsClient = true;
      this.description = description;
      return this;
    }

    /** The DynamoDB table that holds the store (3 to 255 characters of {@code [a-zA-Z0-9_.-]}). */
    public Builder tableName(String tableName) {
      if (tableName == null || !tableName.matches("[a-zA-Z0-9_.-]{3,255}")) {
        throw new IllegalArgumentException(
            "tableName must be 3 to 255 characters of [a-zA-Z0-9_.-], was " + tableName);
      }
      this.tableName = tableName;
      return this;
    }

    /**
     * Whether {@link #build()} creates the table when it does not exist (on-demand capacity, key
     * schema {@code p} B HASH, {@code s} B RANGE) and waits until it is active. On by default.
     */
    public Builder createTableIfMissing(boolean create) {
      this.createTableIfMissing = create;
      return this;
    }

    /**
     * The backend; creates the table first when asked to.
     *
     * @throws IllegalStateException when the client or the table name is missing
     * @throws StorageException when the table cannot be described or created
     */
    public DynamoDbBackend build() {
      if (client == null || tableName == null) {
        throw new IllegalStateException(
            "Set client(...) and tableName(...): a DynamoDB backend needs both");
      }
      return new DynamoDbBackend(this);
    }
  }
}
