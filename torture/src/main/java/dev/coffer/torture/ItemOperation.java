package dev.coffer.torture;

import java.util.List;
import java.util.SplittableRandom;

/**
 * One kind of item operation the writer threads of the child perform. The harness journals the
 * operation's writes before {@link #execute} and its acknowledgement after it returned; the
 * checker knows nothing about the kind beyond {@link #atomic()} and the writes, so a new kind
 * needs no change in the checker. Implementations are stateless and thread-safe.
 *
 * <p><b>Adding transactions</b> (issue 11, {@code TransactWriteItems}): implement this interface
 * with {@code kind() = "TXN"}, {@code atomic() = true}; {@link #plan} picks 2 to 10 distinct keys
 * across the live tables ({@link WorkloadContext#pickTable}, {@link WorkloadContext#pickKey}),
 * each a put or a delete; {@link #execute} sends them as ONE {@code TransactWriteItems} call, with
 * the i-th put's item from {@link WorkloadContext#item(Write, String, int) ctx.item(w, opId, i)}.
 * Register it in {@link OperationMix#standard()} with a weight. The checker then verifies every
 * in-flight transaction is visible on all of its keys or on none ({@link ItemModel}); add {@code
 * TransactionCanceledException} to {@link Outcomes#ofItemOperation} as REJECTED. A {@code
 * BatchWriteItem} kind is the same with {@code atomic() = false}. Conditional writes journal the
 * unconditional effect and are REJECTED on {@code ConditionalCheckFailedException}.
 */
public interface ItemOperation {
  /** The journal name of this kind (no spaces). */
  String kind();

  /** Whether the writes are all-or-nothing. */
  boolean atomic();

  /** Chooses the writes of one operation (at least one; distinct keys). */
  List<Write> plan(WorkloadContext ctx, SplittableRandom rnd);

  /**
   * Performs the writes through the public API; returns normally only when the engine
   * acknowledged them.
   */
  void execute(WorkloadContext ctx, String opId, List<Write> writes);
}
