package dev.coffer.internal.txn;

import com.google.protobuf.ByteString;
import dev.coffer.CancellationReason;
import dev.coffer.ConditionalCheckFailedException;
import dev.coffer.Item;
import dev.coffer.TransactionCanceledException;
import dev.coffer.ValidationException;
import dev.coffer.internal.catalog.TableContext;
import dev.coffer.internal.model.ItemSizes;
import dev.coffer.internal.partition.PartitionLocks;
import dev.coffer.internal.partition.PartitionStage;
import dev.coffer.internal.partition.Partitions;
import dev.coffer.internal.partition.SharedRetry;
import dev.coffer.internal.query.ItemChange;
import dev.coffer.internal.query.ItemOperations;
import dev.coffer.internal.record.Entry;
import dev.coffer.internal.record.RecordBatch;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.Lock;
import java.util.function.Consumer;

/**
 * Writes several items, of one table or several, ALL OR NOTHING: TransactWriteItems, and
 * BatchWriteItem (which DynamoDB does not make atomic; Coffer does, at no extra cost).
 *
 * <ol>
 *   <li><b>Lock</b> the write locks of every partition the actions touch, in the one global order
 *       of {@link PartitionLocks#writeLocks} (ascending stripe), so two transactions, or a
 *       transaction and the re-encryption job, never wait for each other in a cycle; single writes
 *       hold one lock at a time and so cannot close a cycle either.
 *   <li><b>Read and decide</b>, under the locks: each action's current item (through a {@link
 *       PartitionStage}, one per partition), its condition evaluated on it, its new item computed.
 *       No action depends on another's result: the caller guarantees one action per item. Any
 *       failure cancels the whole transaction ({@link TransactionCanceledException}, one {@link
 *       CancellationReason} per action) before anything is staged.
 *   <li><b>Stage</b> every change into ONE {@link RecordBatch} (each partition's stage reads its
 *       own earlier changes, so two items of one partition build on each other) and <b>commit</b>
 *       it atomically: a crash leaves all of it or none.
 *   <li><b>Cache</b>: after the commit each stage puts the nodes it wrote into the page cache (or,
 *       on failure, drops every node it touched); then the locks are released.
 * </ol>
 *
 * On a shared backend (other instances write without these locks) a transaction's actions must be
 * in one partition; its stage commits by one conditional root swap, and a swap lost to another
 * instance runs steps 2 to 4 again from a fresh read ({@link SharedRetry}). BatchWriteItem there
 * commits partition by partition ({@link #writeBatch}).
 *
 * <p>Readers take the partitions' read locks, so no reader sees part of a transaction; a
 * TransactGetItems ({@link TransactionReader}) holds the read locks of all its partitions at once
 * and so sees all of a transaction or none of it. Thread-safe.
 */
public final class TransactionWriter {
  /** DynamoDB's limit on the aggregate size of the items of a transaction. */
  public static final long MAX_AGGREGATE_BYTES = 4L << 20;

  private final Partitions partitions;

  public TransactionWriter(Partitions partitions) {
    this.partitions = partitions;
  }

  /** One action of a transaction: a validated change to one item of {@code table}. */
  public record Action(TableContext table, ItemChange change) {}

  /** Where an item lives: table and partition. */
  private record Where(int table, ByteBuffer token) {}

  /**
   * Applies every action or none. The caller validated each action ({@link ItemChange#validate})
   * and made sure no item appears twice.
   *
   * @throws TransactionCanceledException when a condition fails or a change cannot apply to its
   *     item; nothing was written
   * @throws ValidationException when the items of the transaction exceed 4 MB together
   */
  public void write(List<Action> actions) {
    write(actions, null);
  }

  /**
   * As {@link #write(List)}, and {@code alsoWrite} (when not null, on a store this process owns
   * alone) adds its records to the transaction's batch once every action is known to apply: they
   * commit with the items, all or nothing (a transaction of ConditionChecks alone commits them
   * alone). Used for the record of the transaction's ClientRequestToken ({@link
   * IdempotencyTokens#recordOf}).
   */
  public void write(List<Action> actions, Consumer<RecordBatch> alsoWrite) {
    if (actions.isEmpty()) {
      return;
    }
    int n = actions.size();
    List<byte[]> tokens = new ArrayList<>(n);
    List<ByteString> sortKeys = new ArrayList<>(n);
    for (Action a : actions) {
      tokens.add(ItemOperations.token(a.table(), a.change().key().partition()));
      sortKeys.add(ItemOperations.sortKey(a.table().schema(), a.change().key().sort()));
    }
    List<Lock> held = partitions.locks().writeLocks(tokens);
    try {
      TableContext first = actions.get(0).table();
      if (first.records().shared() == null) {
        attempt(actions, tokens, sortKeys, alsoWrite);
      } else {
        requireOnePartition(actions, tokens);
        SharedRetry.run(
            first,
            () -> {
              attempt(actions, tokens, sortKeys, null);
              return null;
            });
      }
    } finally {
      PartitionLocks.unlock(held);
    }
  }

  /**
   * Writes the items of a BatchWriteItem: all or nothing on a store this process owns alone (as
   * {@link #write}); on a shared backend, where Coffer has no atomic commit across partitions, one
   * partition after another (each partition's items all or nothing), as DynamoDB, which does not
   * make a batch atomic either.
   */
  public void writeBatch(List<Action> actions) {
    if (actions.isEmpty() || actions.get(0).table().records().shared() == null) {
      write(actions);
      return;
    }
    Map<Where, List<Action>> byPartition = new LinkedHashMap<>();
    for (Action a : actions) {
      byte[] token = ItemOperations.token(a.table(), a.change().key().partition());
      byPartition
          .computeIfAbsent(
              new Where(a.table().serial(), ByteBuffer.wrap(token)), w -> new ArrayList<>())
          .add(a);
    }
    for (List<Action> group : byPartition.values()) {
      write(group);
    }
  }

  /**
   * On a shared backend a transaction commits by one conditional root swap, so its actions must be
   * in one partition (see {@code docs/scale-out.md}: a commit across partitions needs the backend's
   * transactions, which Coffer does not use yet).
   */
  private static void requireOnePartition(List<Action> actions, List<byte[]> tokens) {
    Where one = null;
    for (int i = 0; i < actions.size(); i++) {
      Where w = new Where(actions.get(i).table().serial(), ByteBuffer.wrap(tokens.get(i)));
      if (one != null && !one.equals(w)) {
        throw new ValidationException(
            "Transaction request cannot be processed: on a shared record backend"
                + " the actions of a transaction must all be in one"
                + " partition (one table, one partition key value); see docs/scale-out.md");
      }
      one = w;
    }
  }

  /**
   * Reads, decides, stages and commits, under the locks. On a shared backend it throws {@link
   * dev.coffer.internal.record.RecordConflictException} when another instance wrote the partition
   * first; nothing was written then.
   */
  private void attempt(
      List<Action> actions,
      List<byte[]> tokens,
      List<ByteString> sortKeys,
      Consumer<RecordBatch> alsoWrite) {
    int n = actions.size();
    RecordBatch batch = RecordBatch.create();
    Map<Where, PartitionStage> stages = new LinkedHashMap<>();
    boolean committed = false;
    try {
      // Read and decide: nothing is staged until every action is known to apply.
      List<Item> results = new ArrayList<>(n);
      List<CancellationReason> reasons = new ArrayList<>(n);
      boolean cancelled = false;
      // items are at most 400 KB: only a transaction of more than 10 items can pass 4 MB
      boolean sized = (long) n * ItemSizes.MAX_ITEM_BYTES > MAX_AGGREGATE_BYTES;
      long aggregate = 0;
      for (int i = 0; i < n; i++) {
        Action a = actions.get(i);
        TableContext t = a.table();
        byte[] token = tokens.get(i);
        PartitionStage stage =
            stages.computeIfAbsent(
                new Where(t.serial(), ByteBuffer.wrap(token)),
                w -> partitions.writer().stage(t, token, batch));
        // only a condition or an update needs the current item: other writes do not read it
        Entry oldEntry = a.change().readsOld() ? stage.get(sortKeys.get(i)) : null;
        ItemChange.Checked checked =
            a.change()
                .check(
                    t,
                    token,
                    oldEntry,
                    a.change().kind() == ItemChange.Kind.UPDATE || (sized && oldEntry != null));
        Item old = checked.old();
        if (old != null && sized) {
          aggregate += ItemSizes.sizeOf(old);
        }
        CancellationReason reason = CancellationReason.none();
        Item result = null;
        if (!checked.holds()) {
          reason =
              CancellationReason.of(
                  CancellationReason.CONDITIONAL_CHECK_FAILED,
                  ConditionalCheckFailedException.MESSAGE,
                  a.change().returnOldOnFailure() ? old : null);
        } else {
          try {
            result = a.change().apply(old, t.schema()).item();
          } catch (ValidationException e) {
            reason =
                CancellationReason.of(CancellationReason.VALIDATION_ERROR, e.getMessage(), null);
          }
        }
        if (reason != CancellationReason.none()) {
          cancelled = true;
        } else if (sized
            && result != null
            && a.change().kind() != ItemChange.Kind.CONDITION_CHECK) {
          aggregate += ItemSizes.sizeOf(result);
        }
        reasons.add(reason);
        results.add(result);
      }
      if (cancelled) {
        throw new TransactionCanceledException(reasons);
      }
      if (aggregate > MAX_AGGREGATE_BYTES) {
        throw new ValidationException(
            "Transaction request cannot be processed: the aggregate size of the items in"
                + " the transaction ("
                + aggregate
                + " bytes) exceeds the limit of 4 MB");
      }
      // Stage every change into the one batch, then commit it.
      for (int i = 0; i < n; i++) {
        Action a = actions.get(i);
        PartitionStage stage =
            stages.get(new Where(a.table().serial(), ByteBuffer.wrap(tokens.get(i))));
        switch (a.change().kind()) {
          case PUT:
            stage.put(ItemOperations.entry(a.table().schema(), results.get(i)));
            break;
          case UPDATE:
            if (results.get(i) != null) { // null: it only removed, from an item that did not exist
              stage.put(ItemOperations.entry(a.table().schema(), results.get(i)));
            }
            break;
          case DELETE:
            stage.delete(sortKeys.get(i)); // nothing when there is no such item
            break;
          default:
            break; // a ConditionCheck changes nothing
        }
      }
      if (actions.get(0).table().records().shared() != null) {
        for (PartitionStage stage : stages.values()) {
          stage.commitShared(); // one partition (requireOnePartition)
        }
      } else {
        boolean changed = stages.values().stream().anyMatch(PartitionStage::changed);
        if (alsoWrite != null) {
          alsoWrite.accept(batch);
        }
        if (changed || alsoWrite != null) {
          actions.get(0).table().records().commit(batch);
        }
      }
      committed = true;
    } finally {
      for (PartitionStage stage : stages.values()) {
        stage.afterCommit(committed);
      }
    }
  }
}
