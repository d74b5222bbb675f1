package dev.coffer.torture;

import dev.coffer.AttributeValue;
import dev.coffer.Condition;
import dev.coffer.Item;
import dev.coffer.PutItemRequest;
import dev.coffer.Update;
import dev.coffer.UpdateItemRequest;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The single-item operations: PutItem, DeleteItem, a PutItem with a condition that always holds,
 * and an UpdateItem that makes the item exactly what a put of the same write would (so the model
 * treats it as a put).
 */
public final class SingleWrites {
  private SingleWrites() {}

  /** {@code Table.putItem}: a generated item of a random size, into a growing partition mostly. */
  public static final ItemOperation PUT =
      new ItemOperation() {
        @Override
        public String kind() {
          return "PUT";
        }

        @Override
        public boolean atomic() {
          return false;
        }

        @Override
        public List<Write> plan(WorkloadContext ctx, SplittableRandom rnd) {
          TableShape t = ctx.pickTable(rnd);
          return t == null
              ? List.of()
              : List.of(Write.put(t.name(), ctx.pickKey(t, true, rnd), ctx.pickSize(rnd)));
        }

        @Override
        public void execute(WorkloadContext ctx, String opId, List<Write> writes) {
          Write w = writes.get(0);
          ctx.table(w.table()).putItem(ctx.item(w, opId, 0));
        }
      };

  /** {@code Table.deleteItem}, in a shrinking partition mostly. */
  public static final ItemOperation DELETE =
      new ItemOperation() {
        @Override
        public String kind() {
          return "DEL";
        }

        @Override
        public boolean atomic() {
          return false;
        }

        @Override
        public List<Write> plan(WorkloadContext ctx, SplittableRandom rnd) {
          TableShape t = ctx.pickTable(rnd);
          return t == null
              ? List.of()
              : List.of(Write.delete(t.name(), ctx.pickKey(t, false, rnd)));
        }

        @Override
        public void execute(WorkloadContext ctx, String opId, List<Write> writes) {
          Write w = writes.get(0);
          ctx.table(w.table()).deleteItem(ctx.shape(w.table()).key(w.keyIndex()));
        }
      };

  /**
   * {@code Table.putItem} with a condition that always holds (evaluated under the lock, never
   * failing).
   */
  public static final ItemOperation CONDITIONAL_PUT =
      new ItemOperation() {
        @Override
        public String kind() {
          return "CPUT";
        }

        @Override
        public boolean atomic() {
          return false;
        }

        @Override
        public List<Write> plan(WorkloadContext ctx, SplittableRandom rnd) {
          return PUT.plan(ctx, rnd);
        }

        @Override
        public void execute(WorkloadContext ctx, String opId, List<Write> writes) {
          Write w = writes.get(0);
          ctx.table(w.table())
              .putItem(
                  PutItemRequest.builder()
                      .item(ctx.item(w, opId, 0))
                      .condition(
                          Condition.attributeNotExists("never_written")
                              .or(Condition.attributeExists("never_written")))
                      .build());
        }
      };

  /** The attributes {@link ItemFactory} may give an item besides its key. */
  private static final List<String> ATTRIBUTES = List.of(ItemFactory.OP, "v", "n", "tags", "doc");

  /**
   * {@code Table.updateItem}: SET every attribute the generated item has and REMOVE every other one
   * an item may have, so the item becomes exactly the item a put of this write writes, whether it
   * existed or not (UpdateItem creates it from its key).
   */
  public static final ItemOperation UPDATE =
      new ItemOperation() {
        @Override
        public String kind() {
          return "UPD";
        }

        @Override
        public boolean atomic() {
          return false;
        }

        @Override
        public List<Write> plan(WorkloadContext ctx, SplittableRandom rnd) {
          return PUT.plan(ctx, rnd);
        }

        @Override
        public void execute(WorkloadContext ctx, String opId, List<Write> writes) {
          Write w = writes.get(0);
          Item item = ctx.item(w, opId, 0);
          Update.Builder u = Update.builder();
          for (String a : ATTRIBUTES) {
            AttributeValue v = item.get(a);
            if (v != null) {
              u.set(a, v);
            } else {
              u.remove(a);
            }
          }
          ctx.table(w.table())
              .updateItem(
                  UpdateItemRequest.builder()
                      .key(ctx.shape(w.table()).key(w.keyIndex()))
                      .update(u.build())
                      .build());
        }
      };
}
