package dev.coffer.torture;

import dev.coffer.Item;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The reference model of the items: what every key of every table holds for sure after the last
 * check, and the check of one cycle's history against what the reopened store holds.
 *
 * <p><b>The rule, per key.</b> Each key is a register. Its candidates are its value at the start of
 * the cycle and every write to it by an operation that may have taken effect (acknowledged, failed,
 * or in flight at the kill). A candidate X can be the key's final value unless some acknowledged
 * write Y to the same key began after X ended (then Y is linearised after X, and Y must win); an
 * operation that never ended "ended" at infinity, so it is always a candidate, and the value at the
 * start counts as ended before the cycle. The key must hold the value of one such candidate (a
 * delete's value is "no item"). This is exact for concurrent writers on the same key, and needs no
 * assumption about which of several overlapping writes won.
 *
 * <p><b>All-or-nothing operations</b> (transactions, when the engine has them): an unacknowledged
 * atomic operation T whose value is visible on one key (or whose effect is the only explanation of
 * one key) must be visible on every key it wrote, unless that key holds the value of another write
 * that may have come after T (one that had not ended when T began).
 *
 * <p>Violations are classified: {@link Violation.Type#LOST}, {@link Violation.Type#STALE}, {@link
 * Violation.Type#RESURRECTED}, {@link Violation.Type#PHANTOM}, {@link Violation.Type#WRONG}, {@link
 * Violation.Type#HALF_APPLIED}. Not thread-safe (the parent checks one cycle at a time).
 */
public final class ItemModel {
  private final Map<String, Map<Integer, Item>> state = new HashMap<>();

  /**
   * What each key of {@code table} holds for sure (absent keys hold nothing); empty when unknown.
   */
  public Map<Integer, Item> state(String table) {
    return state.getOrDefault(table, Map.of());
  }

  /** What one cycle's check found about the items. */
  public static final class Verdict {
    long ackedOps;
    long ackedPuts;
    long ackedDeletes;
    long keysChecked;
    long unackedOps;
    long unackedVisible;
    long failedOps;
    long rejectedOps;
    long unackedAtomic;
    long unackedAtomicVisible;
    final Map<String, Long> ackedByKind = new TreeMap<>();
    final List<Violation> violations = new ArrayList<>();

    /** Acknowledged item operations checked, by kind ({@link ItemOperation#kind()}). */
    public Map<String, Long> ackedByKind() {
      return ackedByKind;
    }

    /** All-or-nothing operations of several writes in flight at the kill (or failed). */
    public long unackedAtomic() {
      return unackedAtomic;
    }

    /**
     * Of those, the ones found wholly applied (the others were found not applied, or overwritten).
     */
    public long unackedAtomicVisible() {
      return unackedAtomicVisible;
    }

    /** Acknowledged item operations whose keys were checked. */
    public long ackedOps() {
      return ackedOps;
    }

    /** Of their writes: puts. */
    public long ackedPuts() {
      return ackedPuts;
    }

    /** Of their writes: deletes. */
    public long ackedDeletes() {
      return ackedDeletes;
    }

    /** Keys compared with the model. */
    public long keysChecked() {
      return keysChecked;
    }

    /** Operations in flight at the kill, or failed: either outcome allowed. */
    public long unackedOps() {
      return unackedOps;
    }

    /** Of those, the ones whose effect is what the store holds now. */
    public long unackedVisible() {
      return unackedVisible;
    }

    /**
     * Operations that failed after they may have done something (a subset of {@link
     * #unackedOps()}).
     */
    public long failedOps() {
      return failedOps;
    }

    /** Operations refused before they did anything. */
    public long rejectedOps() {
      return rejectedOps;
    }

    public List<Violation> violations() {
      return violations;
    }
  }

  /** One write of one operation to one key. */
  private static final class Candidate {
    final Op op; // null: the value at the start of the cycle
    final int index;
    final Item start;
    final TableShape shape;
    final int key;
    private Item value;
    private boolean built;

    Candidate(Op op, int index, Item start, TableShape shape, int key) {
      this.op = op;
      this.index = index;
      this.start = start;
      this.shape = shape;
      this.key = key;
    }

    int end() {
      return op == null ? 0 : op.end();
    }

    Item value() {
      if (op == null) {
        return start;
      }
      if (!built) {
        Write w = op.writes().get(index);
        value =
            w.isDelete()
                ? null
                : ItemFactory.item(shape, key, Write.valueId(op.id(), index), w.size());
        built = true;
      }
      return value;
    }

    String valueId() {
      if (op == null) {
        return start == null ? null : ItemFactory.valueId(start);
      }
      return op.writes().get(index).isDelete() ? null : Write.valueId(op.id(), index);
    }

    boolean isDelete() {
      return op == null ? start == null : op.writes().get(index).isDelete();
    }
  }

  /**
   * Checks one cycle and makes the observations the new sure state.
   *
   * @param history the cycle's journal
   * @param shapes the shape of every table named in {@code observed}
   * @param observed for every table that exists after the reopen, every key's item (keys without an
   *     item absent); tables not in it are forgotten (the table checks decide whether that is
   *     right)
   * @param cycle for the violations' "where"
   */
  public Verdict check(
      CycleHistory history,
      Map<String, TableShape> shapes,
      Map<String, Map<Integer, Item>> observed,
      int cycle) {
    Verdict v = new Verdict();
    Map<String, Map<Integer, List<Candidate>>> byKey = new HashMap<>();
    for (Op op : history.itemOps()) {
      if (op.status() == Op.Status.REJECTED) {
        v.rejectedOps++;
        continue;
      }
      for (int i = 0; i < op.writes().size(); i++) {
        Write w = op.writes().get(i);
        TableShape shape = shapes.get(w.table());
        if (shape != null && observed.containsKey(w.table())) {
          byKey
              .computeIfAbsent(w.table(), t -> new HashMap<>())
              .computeIfAbsent(w.keyIndex(), k -> new ArrayList<>())
              .add(new Candidate(op, i, null, shape, w.keyIndex()));
        }
      }
    }
    Map<Op, Boolean> visible = new HashMap<>();
    for (Map.Entry<String, Map<Integer, Item>> t : observed.entrySet()) {
      TableShape shape = Objects.requireNonNull(shapes.get(t.getKey()), "shape of " + t.getKey());
      Map<Integer, Item> start = state(t.getKey());
      Map<Integer, List<Candidate>> tableCandidates = byKey.getOrDefault(t.getKey(), Map.of());
      for (int k = 0; k < shape.keyCount(); k++) {
        v.keysChecked++;
        List<Candidate> cs = new ArrayList<>(tableCandidates.getOrDefault(k, List.of()));
        cs.add(new Candidate(null, 0, start.get(k), shape, k));
        checkKey(
            cs,
            t.getValue().get(k),
            "cycle " + cycle + " " + t.getKey() + " key " + k + " " + shape.key(k),
            v);
      }
    }
    for (Op op : history.itemOps()) {
      if (op.status() == Op.Status.REJECTED || !allTablesObserved(op, observed)) {
        continue;
      }
      if (op.mandatory()) {
        v.ackedOps++;
        v.ackedByKind.merge(op.kind(), 1L, Long::sum);
        for (Write w : op.writes()) {
          if (w.isDelete()) {
            v.ackedDeletes++;
          } else {
            v.ackedPuts++;
          }
        }
        continue;
      }
      v.unackedOps++;
      if (op.status() == Op.Status.FAILED) {
        v.failedOps++;
      }
      boolean all = true;
      for (int i = 0; i < op.writes().size(); i++) {
        Write w = op.writes().get(i);
        Candidate c = new Candidate(op, i, null, shapes.get(w.table()), w.keyIndex());
        all &= Objects.equals(c.value(), observed.get(w.table()).get(w.keyIndex()));
      }
      visible.put(op, all);
      if (all) {
        v.unackedVisible++;
      }
      if (op.atomic() && op.writes().size() > 1) {
        v.unackedAtomic++;
        if (all) {
          v.unackedAtomicVisible++;
        }
        checkAtomic(op, byKey, observed, shapes, cycle, v);
      }
    }
    state.keySet().retainAll(observed.keySet());
    observed.forEach((table, items) -> state.put(table, new HashMap<>(items)));
    return v;
  }

  private static boolean allTablesObserved(Op op, Map<String, Map<Integer, Item>> observed) {
    for (Write w : op.writes()) {
      if (!observed.containsKey(w.table())) {
        return false;
      }
    }
    return true;
  }

  /** The latest begin of an acknowledged write among {@code cs}, or -1. */
  private static int lastMandatoryBegin(List<Candidate> cs) {
    int last = -1;
    for (Candidate c : cs) {
      if (c.op != null && c.op.mandatory()) {
        last = Math.max(last, c.op.begin());
      }
    }
    return last;
  }

  private static boolean possible(Candidate c, int lastMandatoryBegin) {
    return c.op == null ? lastMandatoryBegin < 0 : c.end() > lastMandatoryBegin;
  }

  private static void checkKey(List<Candidate> cs, Item observed, String where, Verdict v) {
    int last = lastMandatoryBegin(cs);
    for (Candidate c : cs) {
      if (possible(c, last) && Objects.equals(c.value(), observed)) {
        return;
      }
    }
    Candidate winner = null; // the acknowledged write that must have won, if any
    for (Candidate c : cs) {
      if (c.op != null && c.op.mandatory() && c.op.begin() == last) {
        winner = c;
      }
    }
    String expected =
        winner == null ? "its value from the start of the cycle" : "the value of " + winner.op;
    if (observed == null) {
      v.violations.add(new Violation(Violation.Type.LOST, where, "no item; expected " + expected));
      return;
    }
    String id = ItemFactory.valueId(observed);
    Candidate source = null;
    for (Candidate c : cs) {
      if (id != null && id.equals(c.valueId())) {
        source = c;
      }
    }
    if (source == null) {
      v.violations.add(
          new Violation(
              Violation.Type.PHANTOM,
              where,
              "an item with value id "
                  + id
                  + " that no write of this key wrote; expected "
                  + expected));
    } else if (!Objects.equals(source.value(), observed)) {
      v.violations.add(
          new Violation(
              Violation.Type.WRONG,
              where,
              "the item of "
                  + (source.op == null ? "the start of the cycle" : source.op)
                  + " with other content"));
    } else if (winner != null && winner.isDelete()) {
      v.violations.add(
          new Violation(
              Violation.Type.RESURRECTED,
              where,
              "the item of "
                  + (source.op == null ? "the start of the cycle" : source.op)
                  + " after "
                  + winner.op));
    } else {
      v.violations.add(
          new Violation(
              Violation.Type.STALE,
              where,
              "the item of "
                  + (source.op == null ? "the start of the cycle" : source.op)
                  + "; expected "
                  + expected));
    }
  }

  /**
   * All-or-nothing: see the class comment. Whether T shows on a key is judged against every other
   * explanation of what the key holds, the key's value at the start of the cycle among them (a
   * delete of a key that was already empty shows nothing).
   */
  private void checkAtomic(
      Op t,
      Map<String, Map<Integer, List<Candidate>>> byKey,
      Map<String, Map<Integer, Item>> observed,
      Map<String, TableShape> shapes,
      int cycle,
      Verdict v) {
    boolean applied = false;
    for (int i = 0; i < t.writes().size(); i++) {
      Write w = t.writes().get(i);
      List<Candidate> cs = new ArrayList<>(byKey.get(w.table()).get(w.keyIndex()));
      cs.add(
          new Candidate(
              null, 0, state(w.table()).get(w.keyIndex()), shapes.get(w.table()), w.keyIndex()));
      Item o = observed.get(w.table()).get(w.keyIndex());
      int last = lastMandatoryBegin(cs);
      boolean byT = false;
      boolean byOther = false;
      for (Candidate c : cs) {
        if (possible(c, last) && Objects.equals(c.value(), o)) {
          if (c.op == t) {
            byT = true;
          } else {
            byOther = true;
          }
        }
      }
      if (byT && (!w.isDelete() || !byOther)) {
        applied = true; // T's own put is visible, or only T's delete explains the empty key
      }
    }
    if (!applied) {
      return;
    }
    for (int i = 0; i < t.writes().size(); i++) {
      Write w = t.writes().get(i);
      List<Candidate> cs = byKey.get(w.table()).get(w.keyIndex());
      Item o = observed.get(w.table()).get(w.keyIndex());
      int last = lastMandatoryBegin(cs);
      boolean explained = false;
      for (Candidate c : cs) {
        boolean mayFollowT = c.op == t || (c.op != null && c.end() > t.begin());
        explained |= mayFollowT && possible(c, last) && Objects.equals(c.value(), o);
      }
      if (!explained) {
        v.violations.add(
            new Violation(
                Violation.Type.HALF_APPLIED,
                "cycle " + cycle + " " + t.id(),
                "applied on some keys but not on "
                    + w.table()
                    + " key "
                    + w.keyIndex()
                    + " ("
                    + t
                    + ")"));
      }
    }
  }
}
