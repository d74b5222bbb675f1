package dev.coffer.torture;

import dev.coffer.Coffer;
import dev.coffer.kms.local.LocalKeyProvider;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The child JVM of one torture cycle: opens the store (synced writes) with the shared keystore,
 * prints {@code READY}, then runs {@value #WRITERS} writer threads ({@link Writer}) and one
 * lifecycle thread ({@link LifecycleWorker}) until the parent kills it with SIGKILL. Everything it
 * does is journaled on standard output ({@link Journal}).
 *
 * <p>Arguments: {@code --store DIR --keystore FILE --master-key ID --keys ID,ID,... --cycle N
 * --seed S --cache-bytes B}; the keystore key comes in {@value TortureKeys#KEY_ENV}. A child halts
 * when its parent exits or its journal cannot be written, and after {@value #MAX_LIFE_MINUTES}
 * minutes if it is never killed.
 */
public final class TortureChild {
  static final int WRITERS = 3;
  private static final int MAX_LIFE_MINUTES = 10;

  private TortureChild() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> a = options(args);
    int cycle = Integer.parseInt(a.get("--cycle"));
    long seed = Long.parseLong(a.get("--seed"));
    // a child whose parent died stops at once (its journal could not be checked)
    ProcessHandle.current()
        .parent()
        .ifPresent(p -> p.onExit().thenRun(() -> Runtime.getRuntime().halt(6)));
    Journal journal = Journal.onStandardOutput("c" + cycle);
    LocalKeyProvider keys = TortureKeys.openFromEnvironment(Path.of(a.get("--keystore")));
    String masterKey = a.get("--master-key");
    Coffer coffer =
        Coffer.open(
            Path.of(a.get("--store")),
            TortureKeys.options(keys, masterKey, Long.parseLong(a.get("--cache-bytes"))));
    WorkloadContext ctx = new WorkloadContext(coffer);
    for (String name : coffer.listTables()) {
      TableShape shape = TableShape.forName(name);
      if (shape == null) {
        journal.error(
            "main",
            new IllegalStateException("the store has a table the torture did not make: " + name));
      } else {
        ctx.addTable(shape);
      }
    }
    SplittableRandom root = new SplittableRandom(seed);
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < WRITERS; i++) {
      threads.add(
          new Thread(
              new Writer("w" + i, ctx, journal, OperationMix.standard(), root.split()),
              "writer-" + i));
    }
    threads.add(
        new Thread(
            new LifecycleWorker(
                ctx,
                journal,
                keys,
                List.of(a.get("--keys").split(",")),
                masterKey,
                cycle,
                root.split()),
            "lifecycle"));
    journal.line("READY");
    for (Thread t : threads) {
      t.setDaemon(true);
      t.setUncaughtExceptionHandler(
          (th, e) -> {
            try {
              journal.error(th.getName(), e);
            } catch (RuntimeException ignored) {
              // the parent is gone
            }
          });
      t.start();
    }
    Thread.sleep(MAX_LIFE_MINUTES * 60_000L);
    journal.error(
        "main", new IllegalStateException("not killed within " + MAX_LIFE_MINUTES + " minutes"));
    Runtime.getRuntime().halt(3);
  }

  private static Map<String, String> options(String[] args) {
    Map<String, String> out = new HashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      out.put(args[i], args[i + 1]);
    }
    for (String required :
        List.of(
            "--store",
            "--keystore",
            "--master-key",
            "--keys",
            "--cycle",
            "--seed",
            "--cache-bytes")) {
      if (!out.containsKey(required)) {
        throw new IllegalArgumentException("missing " + required);
      }
    }
    return out;
  }
}
