package dev.coffer.torture;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The weighted item operations of the writer threads. Immutable and thread-safe.
 *
 * <p>To add an operation kind (transactions, batches, conditional writes, UpdateItem), implement
 * {@link ItemOperation} and add it to {@link #standard()} with a weight; see {@link ItemOperation}.
 */
public final class OperationMix {
  private final List<ItemOperation> operations;
  private final int[] cumulative;

  private OperationMix(List<ItemOperation> operations, List<Integer> weights) {
    this.operations = List.copyOf(operations);
    this.cumulative = new int[weights.size()];
    int sum = 0;
    for (int i = 0; i < weights.size(); i++) {
      if (weights.get(i) <= 0) {
        throw new IllegalArgumentException("weights must be positive");
      }
      sum += weights.get(i);
      cumulative[i] = sum;
    }
  }

  /**
   * Today's mix: 40 % PutItem, 27 % DeleteItem, 8 % UpdateItem, 5 % conditional PutItem, 15 %
   * TransactWriteItems, 5 % BatchWriteItem (with the partition phases of {@link
   * WorkloadContext#pickKey}, partitions grow and shrink; about 60 % of all writes are puts).
   */
  public static OperationMix standard() {
    return builder()
        .add(SingleWrites.PUT, 40)
        .add(SingleWrites.DELETE, 27)
        .add(SingleWrites.UPDATE, 8)
        .add(SingleWrites.CONDITIONAL_PUT, 5)
        .add(MultiWrites.TXN, 15)
        .add(MultiWrites.BATCH, 5)
        .build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A random operation kind, by weight. */
  public ItemOperation pick(SplittableRandom rnd) {
    int r = rnd.nextInt(cumulative[cumulative.length - 1]);
    for (int i = 0; i < cumulative.length; i++) {
      if (r < cumulative[i]) {
        return operations.get(i);
      }
    }
    throw new AssertionError();
  }

  /** The operation kinds. */
  public List<ItemOperation> operations() {
    return operations;
  }

  /** Builds an {@link OperationMix}. */
  public static final class Builder {
    private final List<ItemOperation> operations = new ArrayList<>();
    private final List<Integer> weights = new ArrayList<>();

    private Builder() {}

    /** Adds {@code op} with a positive weight. */
    public Builder add(ItemOperation op, int weight) {
      operations.add(op);
      weights.add(weight);
      return this;
    }

    public OperationMix build() {
      if (operations.isEmpty()) {
        throw new IllegalStateException("an operation mix needs at least one operation");
      }
      return new OperationMix(operations, weights);
    }
  }
}
