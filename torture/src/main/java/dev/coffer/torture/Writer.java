package dev.coffer.torture;

import java.util.List;
import java.util.SplittableRandom;

/**
 * A writer thread of the child: picks an operation from the mix, journals its writes, calls the
 * API, and journals the acknowledgement only after the call returned. Not thread-safe: one instance
 * per thread.
 */
final class Writer implements Runnable {
  private final String name;
  private final WorkloadContext ctx;
  private final Journal journal;
  private final OperationMix mix;
  private final SplittableRandom rnd;

  Writer(
      String name, WorkloadContext ctx, Journal journal, OperationMix mix, SplittableRandom rnd) {
    this.name = name;
    this.ctx = ctx;
    this.journal = journal;
    this.mix = mix;
    this.rnd = rnd;
  }

  @Override
  public void run() {
    while (!Thread.currentThread().isInterrupted()) {
      ItemOperation op = mix.pick(rnd);
      List<Write> writes = op.plan(ctx, rnd);
      if (writes.isEmpty()) {
        Thread.onSpinWait();
        continue;
      }
      String id = journal.beginWrites(name, op.kind(), op.atomic(), writes);
      try {
        op.execute(ctx, id, writes);
      } catch (RuntimeException e) {
        journal.fail(id, Outcomes.ofItemOperation(e), e);
        continue;
      }
      journal.ack(id);
    }
  }
}
