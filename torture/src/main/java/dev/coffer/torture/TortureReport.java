package dev.coffer.torture;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The counts of a torture run and every violation it found. {@link #clean()} is the verdict: no
 * loss (lost, stale, resurrected, phantom, wrong or half-applied item), no reopen failure, no other
 * violation. Not thread-safe (the parent fills it between cycles).
 */
public final class TortureReport {
  private static final int KEPT_VIOLATIONS = 50;

  long seed;
  String dir = "";
  int cycles;
  int killedBeforeReady;
  long ackedItemOps;
  long ackedPuts;
  long ackedDeletes;
  long keysChecked;
  long unackedItemOps;
  long unackedVisible;
  long failedItemOps;
  long rejectedItemOps;
  final Map<String, Long> ackedByKind = new TreeMap<>();
  long unackedAtomic;
  long unackedAtomicVisible;
  long ackedSteps;
  long unackedSteps;
  long unackedStepsApplied;
  long unackedStepsNotApplied;
  final Map<LifecycleStep, Long> ackedByStep = new EnumMap<>(LifecycleStep.class);
  long interruptedJobsFound;
  long deletionsFinishedAtOpen;
  long jobsFinishedByChecker;
  long reopens;
  long reopenFailures;
  long journalLines;
  long childStderrCycles;
  Duration elapsed = Duration.ZERO;
  final Map<Violation.Type, Long> violationsByType = new EnumMap<>(Violation.Type.class);
  final List<Violation> violations = new ArrayList<>();

  void add(Violation v) {
    violationsByType.merge(v.type(), 1L, Long::sum);
    if (v.type() == Violation.Type.REOPEN) {
      reopenFailures++;
    }
    if (violations.size() < KEPT_VIOLATIONS) {
      violations.add(v);
    }
  }

  /** Kill cycles completed (killed, reopened and checked). */
  public int cycles() {
    return cycles;
  }

  /** Acknowledged item operations whose keys were checked after a reopen. */
  public long ackedItemOps() {
    return ackedItemOps;
  }

  /** Acknowledged lifecycle steps (rewrap, rotation, re-encryption, DDL) checked after a reopen. */
  public long ackedSteps() {
    return ackedSteps;
  }

  /** Item operations in flight at a kill (or failed), resolved either way by the check. */
  public long unackedItemOps() {
    return unackedItemOps;
  }

  /** Lost, stale, resurrected, phantom, wrong and half-applied items: must be 0. */
  public long losses() {
    long n = 0;
    for (Violation.Type t :
        List.of(
            Violation.Type.LOST,
            Violation.Type.STALE,
            Violation.Type.RESURRECTED,
            Violation.Type.PHANTOM,
            Violation.Type.WRONG,
            Violation.Type.HALF_APPLIED)) {
      n += violationsByType.getOrDefault(t, 0L);
    }
    return n;
  }

  /** Reopens that failed: must be 0. */
  public long reopenFailures() {
    return reopenFailures;
  }

  /** Every violation of any type. */
  public long violationCount() {
    return violationsByType.values().stream().mapToLong(Long::longValue).sum();
  }

  /** The first violations found (at most 50). */
  public List<Violation> violations() {
    return List.copyOf(violations);
  }

  /** No violation of any kind. */
  public boolean clean() {
    return violationCount() == 0;
  }

  /** The report for people. */
  public String format() {
    StringBuilder sb = new StringBuilder();
    sb.append(
        String.format(
            Locale.ROOT,
            "Crash torture: %,d cycles, seed %d, %s, store %s%n",
            cycles,
            seed,
            human(elapsed),
            dir));
    sb.append(
        String.format(
            Locale.ROOT,
            "  kills: %,d (%,d before the child was READY); %,d journal lines read%n",
            cycles,
            killedBeforeReady,
            journalLines));
    sb.append(
        String.format(
            Locale.ROOT,
            "  acknowledged item operations checked: %,d (%,d puts, %,d deletes); "
                + "keys compared with the model: %,d%n",
            ackedItemOps,
            ackedPuts,
            ackedDeletes,
            keysChecked));
    StringBuilder kinds = new StringBuilder();
    ackedByKind.forEach(
        (k, v) ->
            kinds
                .append(kinds.length() == 0 ? "" : ", ")
                .append(k)
                .append(' ')
                .append(String.format(Locale.ROOT, "%,d", v)));
    sb.append(
        String.format(
            Locale.ROOT,
            "  of them by kind: %s; all-or-nothing operations (transactions, batches)"
                + " in flight at a kill: %,d (found wholly applied %,d, not applied or overwritten %,d)%n",
            kinds,
            unackedAtomic,
            unackedAtomicVisible,
            unackedAtomic - unackedAtomicVisible));
    sb.append(
        String.format(
            Locale.ROOT,
            "  item operations in flight at a kill, resolved either way: %,d "
                + "(visible after reopen %,d, not visible %,d; of them failed with an error %,d); refused cleanly: %,d%n",
            unackedItemOps,
            unackedVisible,
            unackedItemOps - unackedVisible,
            failedItemOps,
            rejectedItemOps));
    StringBuilder steps = new StringBuilder();
    ackedByStep.forEach(
        (k, v) ->
            steps
                .append(steps.length() == 0 ? "" : ", ")
                .append(k.name().toLowerCase(Locale.ROOT))
                .append(' ')
                .append(String.format(Locale.ROOT, "%,d", v)));
    sb.append(
        String.format(
            Locale.ROOT, "  acknowledged lifecycle steps checked: %,d (%s)%n", ackedSteps, steps));
    sb.append(
        String.format(
            Locale.ROOT,
            "  lifecycle steps in flight at a kill: %,d (applied %,d, not applied %,d, "
                + "indistinguishable %,d)%n",
            unackedSteps,
            unackedStepsApplied,
            unackedStepsNotApplied,
            unackedSteps - unackedStepsApplied - unackedStepsNotApplied));
    sb.append(
        String.format(
            Locale.ROOT,
            "  interrupted re-encryption jobs found at reopen: %,d; jobs the checker ran "
                + "to the end: %,d; interrupted DeleteTables finished by the reopen: %,d%n",
            interruptedJobsFound,
            jobsFinishedByChecker,
            deletionsFinishedAtOpen));
    sb.append(
        String.format(
            Locale.ROOT,
            "  reopens: %,d, failed: %,d; children that wrote to standard error: %,d "
                + "(kept as cycle-N.err)%n",
            reopens,
            reopenFailures,
            childStderrCycles));
    sb.append(
        String.format(
            Locale.ROOT,
            "  LOSSES: %,d (lost %d, stale %d, resurrected %d, phantom %d, wrong %d, "
                + "half-applied %d); other violations: %,d%n",
            losses(),
            count(Violation.Type.LOST),
            count(Violation.Type.STALE),
            count(Violation.Type.RESURRECTED),
            count(Violation.Type.PHANTOM),
            count(Violation.Type.WRONG),
            count(Violation.Type.HALF_APPLIED),
            violationCount() - losses()));
    for (Violation v : violations) {
      sb.append("  ! ").append(v).append('\n');
    }
    sb.append(clean() ? "  verdict: CLEAN\n" : "  verdict: FAILED\n");
    return sb.toString();
  }

  private long count(Violation.Type t) {
    return violationsByType.getOrDefault(t, 0L);
  }

  private static String human(Duration d) {
    long s = d.toSeconds();
    return s >= 3600
        ? String.format(Locale.ROOT, "%dh%02dm%02ds", s / 3600, s / 60 % 60, s % 60)
        : String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
  }
}
