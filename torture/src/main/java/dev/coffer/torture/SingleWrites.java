package dev.coffer.torture;

import java.util.List;
import java.util.SplittableRandom;

/** The single-item operations of today's engine: PutItem and DeleteItem. */
public final class SingleWrites {
  private SingleWrites() {}

  /** {@code Table.putItem}: a generated item of a random size, into a growing partition mostly. */
  public static final ItemOperation PUT = new ItemOperation() {
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
      return t == null ? List.of() : List.of(Write.put(t.name(), ctx.pickKey(t, true, rnd), ctx.pickSize(rnd)));
    }

    @Override
    public void execute(WorkloadContext ctx, String opId, List<Write> writes) {
      Write w = writes.get(0);
      ctx.table(w.table()).putItem(ctx.item(w, opId, 0));
    }
  };

  /** {@code Table.deleteItem}, in a shrinking partition mostly. */
  public static final ItemOperation DELETE = new ItemOperation() {
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
      return t == null ? List.of() : List.of(Write.delete(t.name(), ctx.pickKey(t, false, rnd)));
    }

    @Override
    public void execute(WorkloadContext ctx, String opId, List<Write> writes) {
      Write w = writes.get(0);
      ctx.table(w.table()).deleteItem(ctx.shape(w.table()).key(w.keyIndex()));
    }
  };
}
