package dev.coffer.store.dynamodb;

import dev.coffer.spi.BackendKey;
import dev.coffer.spi.BackendRecord;
import dev.coffer.spi.RecordBackend;
import dev.coffer.spi.ScanPage;
import dev.coffer.spi.WriteCondition;
import java.util.List;

/**
 * A {@link RecordBackend} that passes every call to another: the base of the tests' seams, which
 * override the calls they stop, fail or count.
 */
abstract class ForwardingBackend implements RecordBackend {
  final RecordBackend delegate;

  ForwardingBackend(RecordBackend delegate) {
    this.delegate = delegate;
  }

  @Override
  public String location() {
    return delegate.location();
  }

  @Override
  public int maxValueBytes() {
    return delegate.maxValueBytes();
  }

  @Override
  public BackendRecord get(byte[] partitionKey, byte[] sortKey) {
    return delegate.get(partitionKey, sortKey);
  }

  @Override
  public List<BackendRecord> query(
      byte[] partitionKey, byte[] startSortKey, boolean inclusive, int limit) {
    return delegate.query(partitionKey, startSortKey, inclusive, limit);
  }

  @Override
  public BackendRecord put(BackendRecord record, WriteCondition condition) {
    return delegate.put(record, condition);
  }

  @Override
  public BackendRecord delete(byte[] partitionKey, byte[] sortKey, WriteCondition condition) {
    return delegate.delete(partitionKey, sortKey, condition);
  }

  @Override
  public void deleteAll(List<BackendKey> keys) {
    delegate.deleteAll(keys);
  }

  @Override
  public ScanPage scan(int segment, int totalSegments, BackendKey exclusiveStartKey, int limit) {
    return delegate.scan(segment, totalSegments, exclusiveStartKey, limit);
  }

  @Override
  public void close() {
    delegate.close();
  }
}
