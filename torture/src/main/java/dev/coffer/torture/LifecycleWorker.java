package dev.coffer.torture;

import dev.coffer.ReencryptOptions;
import dev.coffer.ReencryptResult;
import dev.coffer.kms.KeyManagement;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

/**
 * The child's fourth thread: key lifecycle and DDL while the writers write. Each step is journaled
 * like an item operation (begin line before the call, end line after it returned), with its
 * arguments and what it returned, so the checker can tell what must hold after the kill:
 *
 * <ul>
 *   <li>master-key rewrap to the same key (25 %; 5 % more right after a {@code RotateKeyOnDemand}
 *       of the key material) or to another key of the keystore (15 %);
 *   <li>data-key rotation of a random table (20 %), with the re-encryption job right after (20 %,
 *       throttled to 100 or 400 KB/s or not, its cursor persisted every 1-64 records), or the job
 *       alone (5 %);
 *   <li>CreateTable of a table with a random key schema (5 %, at most 3 such tables live) and
 *       DeleteTable of one of them (5 %).
 * </ul>
 *
 * Not thread-safe: one instance runs on one thread.
 */
final class LifecycleWorker implements Runnable {
  private static final String THREAD = "l";
  private static final int MAX_DDL_TABLES = 3;

  private final WorkloadContext ctx;
  private final Journal journal;
  private final KeyManagement keys;
  private final List<String> keyPool;
  private final int cycle;
  private final SplittableRandom rnd;
  private String masterKey;
  private int created;

  LifecycleWorker(
      WorkloadContext ctx,
      Journal journal,
      KeyManagement keys,
      List<String> keyPool,
      String masterKey,
      int cycle,
      SplittableRandom rnd) {
    this.ctx = ctx;
    this.journal = journal;
    this.keys = keys;
    this.keyPool = List.copyOf(keyPool);
    this.masterKey = masterKey;
    this.cycle = cycle;
    this.rnd = rnd;
  }

  @Override
  public void run() {
    while (true) {
      try {
        Thread.sleep(rnd.nextInt(5, 60));
        step();
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        journal.error(THREAD, e);
      }
    }
  }

  private void step() {
    int r = rnd.nextInt(100);
    List<TableShape> ddl =
        ctx.liveTables().stream().filter(t -> !t.isCore()).collect(Collectors.toList());
    if (r < 25) {
      rewrap("=");
    } else if (r < 30) {
      String key = masterKey;
      if (run(LifecycleStep.KEY_MATERIAL, () -> new Object[] {keys.rotateKeyOnDemand(key)}, key)) {
        rewrap("=");
      }
    } else if (r < 45) {
      List<String> others = new ArrayList<>(keyPool);
      others.remove(masterKey);
      rewrap(others.get(rnd.nextInt(others.size())));
    } else if (r < 65) {
      rotate(randomTable());
    } else if (r < 85) {
      TableShape t = randomTable();
      if (rotate(t)) {
        reencrypt(t);
      }
    } else if (r < 90) {
      reencrypt(randomTable());
    } else if (r < 95 || ddl.isEmpty()) {
      if (ddl.size() < MAX_DDL_TABLES) {
        create();
      }
    } else {
      drop(ddl.get(rnd.nextInt(ddl.size())));
    }
  }

  private TableShape randomTable() {
    List<TableShape> tables = ctx.liveTables();
    return tables.get(rnd.nextInt(tables.size()));
  }

  private void rewrap(String target) {
    boolean same = target.equals("=");
    if (run(
            LifecycleStep.REWRAP,
            () ->
                new Object[] {
                  (same ? ctx.coffer().rotateMasterKey() : ctx.coffer().rotateMasterKey(target))
                      .keysRewrapped()
                },
            target)
        && !same) {
      masterKey = target;
    }
  }

  private boolean rotate(TableShape t) {
    return run(
        LifecycleStep.ROTATE, () -> new Object[] {ctx.table(t.name()).rotateDataKey()}, t.name());
  }

  private void reencrypt(TableShape t) {
    ReencryptOptions options =
        ReencryptOptions.builder()
            .persistEveryPages(new int[] {1, 4, 16, 64}[rnd.nextInt(4)])
            .bytesPerSecond(new long[] {0, 100_000, 400_000}[rnd.nextInt(3)])
            .build();
    run(
        LifecycleStep.REENCRYPT,
        () -> {
          ReencryptResult r = ctx.table(t.name()).reencrypt(options);
          String destroyed =
              r.destroyedVersions().stream().map(String::valueOf).collect(Collectors.joining(","));
          return new Object[] {r.finished(), r.targetVersion(), destroyed};
        },
        t.name());
  }

  private void create() {
    TableShape.Kind kind = TableShape.Kind.values()[rnd.nextInt(TableShape.Kind.values().length)];
    TableShape t = TableShape.ddl(cycle, created++, kind);
    if (run(
        LifecycleStep.CREATE,
        () -> new Object[] {ctx.coffer().createTable(t.spec()).name()},
        t.name())) {
      ctx.addTable(t);
    }
  }

  private void drop(TableShape t) {
    ctx.removeTable(
        t.name()); // writers stop choosing it; those already at it are refused once it is gone
    run(
        LifecycleStep.DROP,
        () -> {
          ctx.coffer().deleteTable(t.name());
          return new Object[0];
        },
        t.name());
  }

  /** Journals and runs one step; true when it returned. */
  private boolean run(LifecycleStep step, Callable<Object[]> call, String... args) {
    String id = journal.beginStep(THREAD, step, args);
    try {
      journal.ack(id, call.call());
      return true;
    } catch (Exception e) {
      journal.fail(id, Outcomes.ofStep(step, e), e);
      return false;
    }
  }
}
