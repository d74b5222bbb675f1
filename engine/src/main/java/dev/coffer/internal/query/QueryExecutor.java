package dev.coffer.internal.query;

import com.google.protobuf.ByteString;
import dev.coffer.AttributeType;
import dev.coffer.AttributeValue;
import dev.coffer.KeySchema;
import dev.coffer.Page;
import dev.coffer.Query;
import dev.coffer.ValidationException;
import dev.coffer.internal.catalog.TableContext;
import dev.coffer.internal.model.ItemSizes;
import dev.coffer.internal.model.KeyCodec;
import dev.coffer.internal.partition.Node;
import dev.coffer.internal.partition.PartitionCursor;
import dev.coffer.internal.partition.Partitions;
import dev.coffer.internal.partition.SortRange;
import dev.coffer.internal.record.Entry;
import java.util.List;
import java.util.concurrent.locks.Lock;

/**
 * Runs a {@link Query}: checks it against the key schema as DynamoDB does (operand types, empty or
 * too long key values, a starting key outside the key condition), turns the sort-key condition into
 * a range of encoded keys, and reads one page under the partition's read lock. Thread-safe.
 */
public final class QueryExecutor {
  private final Partitions partitions;

  public QueryExecutor(Partitions partitions) {
    this.partitions = partitions;
  }

  /** One page of whole items. */
  public Page query(TableContext t, Query q) {
    return query(t, q, PageShape.WHOLE);
  }

  /** One page, filtered and projected as {@code shape} says (Limit counts the items read). */
  public Page query(TableContext t, Query q, PageShape shape) {
    KeySchema schema = t.schema();
    AttributeValue pk = q.partitionKey();
    checkType(pk, schema.partitionKeyType());
    ItemSizes.validateKeyOperand(pk, schema.partitionKeyName(), schema.partitionKeyType(), true);
    SortRange range = range(schema, q);
    if (q.exclusiveStartKey() != null) {
      dev.coffer.Key start = q.exclusiveStartKey();
      try {
        ItemSizes.validateKey(start, schema);
      } catch (ValidationException e) {
        throw new ValidationException("The provided starting key is invalid: " + e.getMessage());
      }
      if (!start.partition().equals(pk)) {
        throw new ValidationException(
            "The provided starting key is outside query boundaries based on provided conditions");
      }
      if (!schema.hasSortKey()) {
        return new Page(List.of(), 0, 0, null); // the partition's only item was already returned
      }
      ByteString sk = ByteString.copyFrom(KeyCodec.encodeSortKey(start.sort()));
      if (range.belowLow(sk) || range.aboveHigh(sk)) {
        // DynamoDB refuses to continue from a key the query could not have returned
        throw new ValidationException(
            "The provided starting key does not match the range key predicate");
      }
      range = q.isAscending() ? range.after(sk) : range.before(sk);
    }
    byte[] token = ItemOperations.token(t, pk);
    PageCollector collector = new PageCollector(t, q.limit(), shape);
    Lock lock = partitions.locks().forToken(token).readLock();
    lock.lock();
    try {
      PartitionCursor cursor =
          new PartitionCursor(partitions.reader(), t, token, range, q.isAscending());
      for (Entry e = cursor.next(); e != null; e = cursor.next()) {
        collector.add(token, e);
        if (collector.full()) {
          break;
        }
      }
      return collector.page();
    } finally {
      lock.unlock();
    }
  }

  private static SortRange range(KeySchema schema, Query q) {
    if (q.sortCondition() == null) {
      return SortRange.all();
    }
    if (!schema.hasSortKey()) {
      throw new ValidationException("Query key condition not supported: the table has no sort key");
    }
    for (AttributeValue v : q.sortValues()) {
      checkType(v, schema.sortKeyType());
      ItemSizes.validateKeyOperand(v, schema.sortKeyName(), schema.sortKeyType(), false);
    }
    ByteString a = ByteString.copyFrom(KeyCodec.encodeSortKey(q.sortValues().get(0)));
    switch (q.sortCondition()) {
      case EQUALS:
        return SortRange.of(a, true, a, true);
      case LESS_THAN:
        return SortRange.of(null, true, a, false);
      case LESS_THAN_OR_EQUAL:
        return SortRange.of(null, true, a, true);
      case GREATER_THAN:
        return SortRange.of(a, false, null, true);
      case GREATER_THAN_OR_EQUAL:
        return SortRange.of(a, true, null, true);
      case BETWEEN:
        ByteString b = ByteString.copyFrom(KeyCodec.encodeSortKey(q.sortValues().get(1)));
        if (Node.ORDER.compare(a, b) > 0) {
          throw new ValidationException(
              "Invalid KeyConditionExpression: The BETWEEN operator requires upper bound to"
                  + " be greater than or equal to lower bound; lower bound operand: AttributeValue: "
                  + q.sortValues().get(0)
                  + ", upper bound operand: AttributeValue: "
                  + q.sortValues().get(1));
        }
        return SortRange.of(a, true, b, true);
      case BEGINS_WITH:
        if (schema.sortKeyType() == AttributeType.N) {
          throw new ValidationException(
              "Invalid KeyConditionExpression: Incorrect operand type for operator or"
                  + " function; operator or function: begins_with, operand type: N");
        }
        // S and B sort keys are encoded as their bytes, so the prefix's range is [prefix,
        // successor).
        return SortRange.of(a, true, successor(a), false);
      default:
        throw new AssertionError(q.sortCondition());
    }
  }

  /** The smallest byte string above every string starting with {@code prefix}, or null. */
  static ByteString successor(ByteString prefix) {
    byte[] b = prefix.toByteArray();
    for (int i = b.length - 1; i >= 0; i--) {
      if ((b[i] & 0xFF) != 0xFF) {
        b[i]++;
        return ByteString.copyFrom(b, 0, i + 1);
      }
    }
    return null;
  }

  private static void checkType(AttributeValue v, AttributeType type) {
    if (v.type() != type) {
      throw new ValidationException(
          "One or more parameter values were invalid: Condition parameter type does not"
              + " match schema type (expected "
              + type
              + ", got "
              + v.type()
              + ")");
    }
  }
}
