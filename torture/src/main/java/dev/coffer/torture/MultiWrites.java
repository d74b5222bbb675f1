package dev.coffer.torture;

import dev.coffer.BatchWriteItemRequest;
import dev.coffer.Condition;
import dev.coffer.TransactWriteItem;
import dev.coffer.TransactWriteItemsRequest;
import dev.coffer.WriteRequest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * The operations that write several items in one call: {@code TransactWriteItems} ({@link #TXN}: 2
 * to 10 actions mostly, up to 60 sometimes, across the live tables, some puts conditional on a
 * condition that always holds, so conditions are evaluated under the locks on every cycle) and
 * {@code BatchWriteItem} ({@link #BATCH}: 2 to 25 writes). Both are all-or-nothing in Coffer (a
 * batch too, which DynamoDB does not promise), and the checker holds them to it.
 */
public final class MultiWrites {
  /**
   * The journal line of an operation must stay within the pipe's atomic-write size (4096 bytes on
   * Linux, POSIX's PIPE_BUF): a plan is cut down until its begin line is below this.
   */
  static final int MAX_BEGIN_LINE_BYTES = 3500;

  private MultiWrites() {}

  /** One {@code TransactWriteItems} call. */
  public static final ItemOperation TXN =
      new ItemOperation() {
        @Override
        public String kind() {
          return "TXN";
        }

        @Override
        public boolean atomic() {
          return true;
        }

        @Override
        public List<Write> plan(WorkloadContext ctx, SplittableRandom rnd) {
          int n = rnd.nextInt(100) < 85 ? rnd.nextInt(2, 11) : rnd.nextInt(11, 61);
          return distinctWrites(ctx, rnd, n);
        }

        @Override
        public void execute(WorkloadContext ctx, String opId, List<Write> writes) {
          List<TransactWriteItem> items = new ArrayList<>();
          for (int i = 0; i < writes.size(); i++) {
            Write w = writes.get(i);
            if (w.isDelete()) {
              items.add(
                  TransactWriteItem.delete(w.table(), ctx.shape(w.table()).key(w.keyIndex())));
            } else {
              // about half the puts carry a condition that always holds: evaluated under the locks,
              // never failing
              Condition always =
                  w.keyIndex() % 2 == 0 ? Condition.attributeNotExists("never_written") : null;
              items.add(TransactWriteItem.put(w.table(), ctx.item(w, opId, i), always));
            }
          }
          ctx.coffer()
              .transactWriteItems(TransactWriteItemsRequest.builder().transactItems(items).build());
        }
      };

  /** One {@code BatchWriteItem} call. */
  public static final ItemOperation BATCH =
      new ItemOperation() {
        @Override
        public String kind() {
          return "BATCH";
        }

        @Override
        public boolean atomic() {
          return true; // Coffer writes a batch in one atomic commit
        }

        @Override
        public List<Write> plan(WorkloadContext ctx, SplittableRandom rnd) {
          return distinctWrites(ctx, rnd, rnd.nextInt(2, 26));
        }

        @Override
        public void execute(WorkloadContext ctx, String opId, List<Write> writes) {
          Map<String, List<WriteRequest>> requests = new LinkedHashMap<>();
          for (int i = 0; i < writes.size(); i++) {
            Write w = writes.get(i);
            requests
                .computeIfAbsent(w.table(), t -> new ArrayList<>())
                .add(
                    w.isDelete()
                        ? WriteRequest.delete(ctx.shape(w.table()).key(w.keyIndex()))
                        : WriteRequest.put(ctx.item(w, opId, i)));
          }
          ctx.coffer()
              .batchWriteItem(BatchWriteItemRequest.builder().requestItems(requests).build());
        }
      };

  /**
   * Up to {@code n} writes (60 % puts) to distinct keys of the live tables, as the single writes
   * pick them, cut down so that the journal line stays well within the pipe's atomic-write size.
   */
  static List<Write> distinctWrites(WorkloadContext ctx, SplittableRandom rnd, int n) {
    List<Write> writes = new ArrayList<>();
    Set<String> keys = new HashSet<>();
    int bytes = 60;
    for (int attempt = 0; attempt < n * 3 && writes.size() < n; attempt++) {
      TableShape t = ctx.pickTable(rnd);
      if (t == null) {
        break;
      }
      boolean put = rnd.nextInt(100) < 60;
      int key = ctx.pickKey(t, put, rnd);
      if (!keys.add(t.name() + "/" + key)) {
        continue;
      }
      Write w = put ? Write.put(t.name(), key, ctx.pickSize(rnd)) : Write.delete(t.name(), key);
      bytes += w.encode().length() + 1;
      if (bytes > MAX_BEGIN_LINE_BYTES) {
        break;
      }
      writes.add(w);
    }
    return writes;
  }
}
