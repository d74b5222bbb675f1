package dev.coffer.spi;

import dev.coffer.StorageException;
import java.util.List;

/**
 * A store of {@link BackendRecord}s that several Coffer instances may share: the service-provider
 * interface of Coffer's record backends other than its embedded RocksDB (see the {@linkplain
 * dev.coffer.spi package documentation}). Coffer opens one through {@code
 * CofferOptions.backend(...)} or {@code CofferOptions.backendUri(...)}; {@code
 * coffer-store-dynamodb} implements it over Amazon DynamoDB.
 *
 * <p><b>Guarantees a backend gives.</b> Every operation is on one record and atomic; reads are
 * strongly consistent (a read after a write, by any client, sees it); a conditional write or delete
 * checks its condition and applies atomically; {@link #query} returns one partition's records in
 * ascending unsigned byte order of their sort keys. Records hold values of up to {@link
 * #maxValueBytes()} bytes. Nothing else: no transactions, no order across partitions.
 *
 * <p><b>Errors.</b> A failed condition throws {@link ConditionFailedException}; every other failure
 * (network, throttling after the backend's own retries, a missing table) throws {@link
 * StorageException} with a message that says what failed and where, never the backend library's own
 * exception. When a write fails with {@link StorageException} its effect is unknown (it may have
 * been applied); Coffer is built to survive both outcomes.
 *
 * <p>Implementations are thread-safe. {@link #close()} releases what the backend opened (a client
 * it built), not what it was given.
 */
public interface RecordBackend extends AutoCloseable {
  /** Where the records are, for messages: e.g. {@code dynamodb:coffer-prod (us-east-1)}. */
  String location();

  /** The largest value one record may hold; Coffer splits larger values over several records. */
  int maxValueBytes();

  /** The record under the key, or null. Strongly consistent. */
  BackendRecord get(byte[] partitionKey, byte[] sortKey);

  /**
   * Up to {@code limit} records of partition {@code partitionKey} whose sort keys are at or after
   * {@code startSortKey} (after it when {@code inclusive} is false; from the first when it is
   * null), in ascending unsigned byte order of their sort keys (a shorter key that is a prefix of a
   * longer one comes first). Strongly consistent. Fewer than {@code limit} records does not mean
   * the end: call again after the last one until an empty list comes back.
   */
  List<BackendRecord> query(byte[] partitionKey, byte[] startSortKey, boolean inclusive, int limit);

  /**
   * Writes {@code record} (replacing a record with its key) when {@code condition} holds.
   *
   * @return the record it replaced, or null when there was none
   * @throws ConditionFailedException when the condition does not hold (nothing changed)
   */
  BackendRecord put(BackendRecord record, WriteCondition condition);

  /**
   * Deletes the record under the key when {@code condition} holds; nothing when it is absent (and
   * the condition allows that).
   *
   * @return the record deleted, or null when there was none
   * @throws ConditionFailedException when the condition does not hold (nothing changed)
   */
  BackendRecord delete(byte[] partitionKey, byte[] sortKey, WriteCondition condition);

  /**
   * Deletes every record of {@code keys}, unconditionally and not atomically (a backend may batch
   * them: DynamoDB's {@code BatchWriteItem}). The default deletes them one by one.
   */
  default void deleteAll(List<BackendKey> keys) {
    for (BackendKey k : keys) {
      delete(k.partitionKey(), k.sortKey(), WriteCondition.none());
    }
  }

  /**
   * One page of an unordered pass over every record of the backend, split into {@code
   * totalSegments} disjoint segments that together cover every record (DynamoDB's parallel Scan).
   *
   * @param exclusiveStartKey where the previous page of this segment stopped, or null to start
   * @param limit the most records to return (a page may hold fewer and still not be the last)
   */
  ScanPage scan(int segment, int totalSegments, BackendKey exclusiveStartKey, int limit);

  /** Releases what the backend opened; idempotent. */
  @Override
  void close();
}
