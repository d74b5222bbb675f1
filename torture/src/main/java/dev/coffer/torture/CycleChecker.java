package dev.coffer.torture;

import dev.coffer.Coffer;
import dev.coffer.DataKeyVersionInfo;
import dev.coffer.Item;
import dev.coffer.ReencryptOptions;
import dev.coffer.ReencryptResult;
import dev.coffer.Table;
import dev.coffer.TableDescription;
import dev.coffer.kms.IncorrectKeyException;
import dev.coffer.kms.audit.AuditRecord;
import dev.coffer.kms.local.LocalKeyProvider;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * The parent's check after a kill: reopens the store (with the master key the acknowledged rewraps
 * name, or the target of an unacknowledged one), checks which tables exist against the acknowledged
 * DDL, reads every table fully ({@link TableReader}), checks the items against the {@link
 * ItemModel}, checks each table's data-key versions against the acknowledged rotations and
 * destructions, and (in most cycles) runs every unfinished re-encryption job to its end and reads
 * again. Then it makes the store's state the model's sure state. Not thread-safe.
 */
final class CycleChecker {
  private final Path storeDir;
  private final Path keystore;
  private final byte[] rawKey;
  private final StoreModel model;
  private final TortureReport report;

  CycleChecker(
      Path storeDir, Path keystore, byte[] rawKey, StoreModel model, TortureReport report) {
    this.storeDir = storeDir;
    this.keystore = keystore;
    this.rawKey = rawKey.clone();
    this.model = model;
    this.report = report;
  }

  /** Checks cycle {@code cycle}; returns its violations (also added to the report). */
  List<Violation> check(int cycle, CycleHistory h, SplittableRandom rnd, boolean finishJobs) {
    List<Violation> out = new ArrayList<>();
    String where = "cycle " + cycle;
    for (String e : h.errors()) {
      out.add(new Violation(Violation.Type.CHILD, where, e));
    }
    countSteps(h);
    List<String> candidates = masterKeyCandidates(h);
    try (LocalKeyProvider keys = TortureKeys.open(keystore, rawKey)) {
      Coffer coffer = null;
      String opened = null;
      List<String> refused = new ArrayList<>();
      report.reopens++;
      for (String key : candidates) {
        try {
          coffer = Coffer.open(storeDir, TortureKeys.options(keys, key, 0, this::audit));
          opened = key;
          break;
        } catch (IncorrectKeyException e) {
          refused.add(key);
        } catch (RuntimeException e) {
          out.add(
              new Violation(
                  Violation.Type.REOPEN,
                  where,
                  "the store did not open with master key " + key + ": " + e));
          return finish(out);
        }
      }
      if (coffer == null) {
        out.add(
            new Violation(
                Violation.Type.REOPEN,
                where,
                "no master key the history allows opens the store: " + refused));
        return finish(out);
      }
      try (Coffer c = coffer) {
        checkOpen(c, cycle, h, opened, rnd, finishJobs, out);
      } catch (RuntimeException e) {
        out.add(
            new Violation(
                Violation.Type.REOPEN,
                where,
                "reading or closing the reopened store failed: " + e));
      }
    } catch (RuntimeException e) {
      out.add(new Violation(Violation.Type.REOPEN, where, "the keystore did not open: " + e));
    }
    return finish(out);
  }

  /** Counts the deletions the open finished (key-lifecycle.md: audited "resumed at open"). */
  private void audit(AuditRecord r) {
    if (r.action().equals("coffer:DeleteTable") && r.message().contains("resumed at open")) {
      report.deletionsFinishedAtOpen++;
    }
  }

  private List<Violation> finish(List<Violation> out) {
    out.forEach(report::add);
    return out;
  }

  private void countSteps(CycleHistory h) {
    for (Op s : h.steps()) {
      if (s.mandatory()) {
        report.ackedSteps++;
        report.ackedByStep.merge(LifecycleStep.valueOf(s.kind()), 1L, Long::sum);
      } else if (s.mayHaveApplied()) {
        report.unackedSteps++;
      }
    }
  }

  /**
   * The keys that may open the store: unacknowledged rewrap targets first (newest first), then the
   * sure one.
   */
  private List<String> masterKeyCandidates(CycleHistory h) {
    String sure = model.masterKey();
    List<String> maybe = new ArrayList<>();
    for (Op s : h.steps()) {
      if (!s.kind().equals(LifecycleStep.REWRAP.name()) || s.args().get(0).equals("=")) {
        continue;
      }
      if (s.mandatory()) {
        sure = s.args().get(0);
        maybe.clear();
      } else if (s.mayHaveApplied()) {
        maybe.add(0, s.args().get(0));
      }
    }
    List<String> out = new ArrayList<>(maybe);
    out.remove(sure);
    out.add(sure);
    return out;
  }

  private void checkOpen(
      Coffer c,
      int cycle,
      CycleHistory h,
      String opened,
      SplittableRandom rnd,
      boolean finishJobs,
      List<Violation> out) {
    String where = "cycle " + cycle;
    for (String name : c.listTables()) {
      if (c.describeTable(name).reencryption().isPresent()) {
        report.interruptedJobsFound++; // counted at once: the open resumed it in the background
      }
    }
    for (Op s : h.steps()) {
      if (!s.mandatory()
          && s.mayHaveApplied()
          && s.kind().equals(LifecycleStep.REWRAP.name())
          && !s.args().get(0).equals("=")) {
        resolved(opened.equals(s.args().get(0)));
      }
    }
    Map<String, Boolean> expected = expectedTables(h);
    List<String> present = c.listTables();
    Map<String, TableShape> shapes = new LinkedHashMap<>();
    for (String name : present) {
      TableShape shape = TableShape.forName(name);
      boolean known = expected.containsKey(name);
      if (shape == null || !known || Boolean.FALSE.equals(expected.get(name))) {
        out.add(
            new Violation(
                Violation.Type.TABLE,
                where + " " + name,
                "the table exists, but "
                    + (shape == null
                        ? "the torture never made it"
                        : !known ? "it was never created" : "it was deleted")));
      } else {
        shapes.put(name, shape);
      }
    }
    expected.forEach(
        (name, mustExist) -> {
          if (Boolean.TRUE.equals(mustExist) && !present.contains(name)) {
            out.add(
                new Violation(Violation.Type.TABLE, where + " " + name, "the table is missing"));
          }
        });
    for (Op s : h.steps()) {
      if (!s.mandatory() && s.mayHaveApplied()) {
        if (s.kind().equals(LifecycleStep.CREATE.name())) {
          resolved(present.contains(s.args().get(0)));
        } else if (s.kind().equals(LifecycleStep.DROP.name())) {
          resolved(!present.contains(s.args().get(0)));
        }
      }
    }
    Map<String, Map<Integer, Item>> observed = new LinkedHashMap<>();
    for (TableShape shape : shapes.values()) {
      TableReader.Result r =
          TableReader.readAll(c.table(shape.name()), shape, rnd, where + " " + shape.name());
      out.addAll(r.violations());
      observed.put(shape.name(), r.items());
    }
    ItemModel.Verdict v = model.items().check(h, shapes, observed, cycle);
    out.addAll(v.violations());
    report.ackedItemOps += v.ackedOps();
    report.ackedPuts += v.ackedPuts();
    report.ackedDeletes += v.ackedDeletes();
    report.keysChecked += v.keysChecked();
    report.unackedItemOps += v.unackedOps();
    report.unackedVisible += v.unackedVisible();
    report.failedItemOps += v.failedOps();
    report.rejectedItemOps += v.rejectedOps();
    v.ackedByKind().forEach((k, n) -> report.ackedByKind.merge(k, n, Long::sum));
    report.unackedAtomic += v.unackedAtomic();
    report.unackedAtomicVisible += v.unackedAtomicVisible();
    Map<String, StoreModel.TableState> next = new LinkedHashMap<>();
    for (TableShape shape : shapes.values()) {
      next.put(shape.name(), checkKeys(c, shape, h, where + " " + shape.name(), out));
    }
    if (finishJobs) {
      for (TableShape shape : shapes.values()) {
        finishJob(c.table(shape.name()), next.get(shape.name()), where + " " + shape.name(), out);
      }
      for (TableShape shape : shapes.values()) {
        List<Violation> again = new ArrayList<>();
        Map<Integer, Item> after =
            TableReader.scan(c.table(shape.name()), shape, rnd, where, again);
        out.addAll(again);
        if (!after.equals(observed.get(shape.name()))) {
          out.add(
              new Violation(
                  Violation.Type.READ_MISMATCH,
                  where + " " + shape.name(),
                  "a Scan after the re-encryption jobs differs from the reads before them"));
        }
      }
    }
    model.masterKey(opened);
    model.tables().clear();
    model.tables().putAll(next);
  }

  /**
   * Per table: true = must exist, false = must not, null = either (an unacknowledged create or
   * delete).
   */
  private Map<String, Boolean> expectedTables(CycleHistory h) {
    Map<String, Boolean> expected = new HashMap<>();
    for (String name : model.tableNames()) {
      expected.put(name, true);
    }
    for (Op s : h.steps()) {
      boolean create = s.kind().equals(LifecycleStep.CREATE.name());
      if (!(create || s.kind().equals(LifecycleStep.DROP.name())) || !s.mayHaveApplied()) {
        continue;
      }
      String name = s.args().get(0);
      Boolean now = expected.containsKey(name) ? expected.get(name) : Boolean.FALSE;
      if (s.mandatory()) {
        expected.put(name, create);
      } else if (!Objects.equals(now, create)) {
        expected.put(name, null);
      }
    }
    return expected;
  }

  /** The data-key versions of one table against the acknowledged rotations and destructions. */
  private StoreModel.TableState checkKeys(
      Coffer c, TableShape shape, CycleHistory h, String where, List<Violation> out) {
    TableDescription d = c.describeTable(shape.name());
    StoreModel.TableState before = model.table(shape.name());
    int start = before == null ? 1 : before.primary;
    int low = start;
    int high = start;
    Set<Integer> destroyed = new HashSet<>(before == null ? Set.of() : before.destroyed);
    for (Op s : h.steps()) {
      if (!s.args().isEmpty() && s.args().get(0).equals(shape.name()) && s.mayHaveApplied()) {
        if (s.kind().equals(LifecycleStep.ROTATE.name())) {
          high++;
          if (s.mandatory()) {
            low = Math.max(low, Integer.parseInt(s.result().get(0)));
          }
        } else if (s.kind().equals(LifecycleStep.REENCRYPT.name())
            && s.mandatory()
            && !s.result().get(2).equals("-")) {
          for (String version : s.result().get(2).split(",")) {
            destroyed.add(Integer.parseInt(version));
          }
        }
      }
    }
    int primary = d.primaryDataKeyVersion();
    long primaries =
        d.dataKeys().stream().filter(k -> k.state() == DataKeyVersionInfo.State.PRIMARY).count();
    if (primaries != 1 || primary < low || primary > high) {
      out.add(
          new Violation(
              Violation.Type.KEY,
              where,
              "primary data-key version "
                  + primary
                  + " ("
                  + primaries
                  + " PRIMARY), expected one in ["
                  + low
                  + ", "
                  + high
                  + "]: "
                  + d.dataKeys()));
    }
    for (Op s : h.steps()) {
      if (!s.mandatory()
          && s.mayHaveApplied()
          && s.kind().equals(LifecycleStep.ROTATE.name())
          && s.args().get(0).equals(shape.name())) {
        resolved(primary > low);
      }
    }
    StoreModel.TableState now = new StoreModel.TableState(shape, primary);
    for (DataKeyVersionInfo k : d.dataKeys()) {
      if (k.version() > primary) {
        out.add(
            new Violation(
                Violation.Type.KEY,
                where,
                "version " + k.version() + " is above the primary " + primary));
      }
      if (k.state() == DataKeyVersionInfo.State.DESTROYED) {
        now.destroyed.add(k.version());
      } else if (destroyed.contains(k.version())) {
        out.add(
            new Violation(
                Violation.Type.KEY,
                where,
                "version "
                    + k.version()
                    + " was destroyed by an acknowledged re-encryption and is "
                    + k.state()
                    + " again"));
      }
    }
    return now;
  }

  /** Runs an unfinished re-encryption job of one table to its end. */
  private void finishJob(Table t, StoreModel.TableState state, String where, List<Violation> out) {
    TableDescription d = t.describe();
    long live =
        d.dataKeys().stream().filter(k -> k.state() != DataKeyVersionInfo.State.DESTROYED).count();
    if (live <= 1 && d.reencryption().isEmpty()) {
      return;
    }
    ReencryptResult r = t.reencrypt(ReencryptOptions.defaults());
    report.jobsFinishedByChecker++;
    TableDescription after = t.describe();
    List<Integer> left =
        after.dataKeys().stream()
            .filter(k -> k.state() != DataKeyVersionInfo.State.DESTROYED)
            .map(DataKeyVersionInfo::version)
            .toList();
    if (!r.finished()
        || !left.equals(List.of(after.primaryDataKeyVersion()))
        || after.reencryption().isPresent()) {
      out.add(
          new Violation(
              Violation.Type.JOB,
              where,
              "re-encryption did not finish: "
                  + r
                  + ", versions left "
                  + left
                  + ", persisted progress "
                  + after.reencryption()));
    }
    state.primary = after.primaryDataKeyVersion();
    state.destroyed.clear();
    after.dataKeys().stream()
        .filter(k -> k.state() == DataKeyVersionInfo.State.DESTROYED)
        .forEach(k -> state.destroyed.add(k.version()));
  }

  private void resolved(boolean applied) {
    if (applied) {
      report.unackedStepsApplied++;
    } else {
      report.unackedStepsNotApplied++;
    }
  }
}
