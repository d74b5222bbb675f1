package dev.coffer.torture;

import java.util.List;
import java.util.SplittableRandom;

/**
 * One kind of item operation the writer threads of the child perform. The harness journals the
 * operation's writes before {@link #execute} and its acknowledgement after it returned; the checker
 * knows nothing about the kind beyond {@link #atomic()} and the writes, so a new kind needs no
 * change in the checker. Implementations are stateless and thread-safe.
 *
 * <p>The kinds: {@link SingleWrites} (PutItem, DeleteItem, a conditional PutItem, an UpdateItem
 * that writes what a put would) and {@link MultiWrites} (TransactWriteItems and BatchWriteItem,
 * both all-or-nothing: {@code atomic() = true}; the checker verifies every in-flight one is visible
 * on all of its keys or on none, {@link ItemModel}). A new kind plans distinct keys with {@link
 * WorkloadContext#pickTable} and {@link WorkloadContext#pickKey}, makes the i-th put's item with
 * {@link WorkloadContext#item(Write, String, int) ctx.item(w, opId, i)}, and is registered in
 * {@link OperationMix#standard()} with a weight. Conditional writes journal the unconditional
 * effect and are REJECTED on {@code ConditionalCheckFailedException} ({@link Outcomes}).
 */
public interface ItemOperation {
  /** The journal name of this kind (no spaces). */
  String kind();

  /** Whether the writes are all-or-nothing. */
  boolean atomic();

  /** Chooses the writes of one operation (at least one; distinct keys). */
  List<Write> plan(WorkloadContext ctx, SplittableRandom rnd);

  /**
   * Performs the writes through the public API; returns normally only when the engine acknowledged
   * them.
   */
  void execute(WorkloadContext ctx, String opId, List<Write> writes);
}
