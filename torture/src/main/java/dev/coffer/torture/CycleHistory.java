package dev.coffer.torture;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One cycle's journal, parsed: the item operations and lifecycle steps in journal order, whether
 * the child got to READY, and the unexpected errors it reported. Malformed lines are kept and
 * reported (the parent never guesses). Immutable once parsed.
 */
public final class CycleHistory {
  private final List<Op> itemOps = new ArrayList<>();
  private final List<Op> steps = new ArrayList<>();
  private final List<String> errors = new ArrayList<>();
  private boolean ready;
  private int lines;

  private CycleHistory() {}

  /** Parses the complete lines of a journal (a last line cut by the kill must not be passed in). */
  public static CycleHistory parse(List<String> journal) {
    CycleHistory h = new CycleHistory();
    Map<String, Op> open = new HashMap<>();
    int seq = 0;
    for (String line : journal) {
      seq++;
      h.lines++;
      try {
        h.parseLine(line, seq, open);
      } catch (RuntimeException e) {
        h.errors.add("journal line " + seq + " is malformed (" + e.getMessage() + "): " + line);
      }
    }
    return h;
  }

  private void parseLine(String line, int seq, Map<String, Op> open) {
    String[] f = line.split(" ");
    switch (f[0]) {
      case "READY" -> ready = true;
      case "B" -> {
        Op op;
        if (f[2].equals("W")) {
          List<Write> writes = new ArrayList<>();
          for (int i = 5; i < f.length; i++) {
            writes.add(Write.decode(f[i]));
          }
          if (writes.isEmpty() || !(f[4].equals("A") || f[4].equals("N"))) {
            throw new IllegalArgumentException("an item operation needs writes and A|N");
          }
          op = new Op(f[1], false, f[3], f[4].equals("A"), writes, List.of(), seq);
          itemOps.add(op);
        } else if (f[2].equals("L")) {
          LifecycleStep.valueOf(f[3]);
          op = new Op(f[1], true, f[3], false, List.of(), List.of(f).subList(4, f.length), seq);
          steps.add(op);
        } else {
          throw new IllegalArgumentException("unknown operation class " + f[2]);
        }
        if (open.put(op.id(), op) != null) {
          throw new IllegalArgumentException("operation id used twice: " + op.id());
        }
      }
      case "A", "F" -> {
        Op op = open.remove(f[1]);
        if (op == null) {
          throw new IllegalArgumentException("end of an operation that did not begin: " + f[1]);
        }
        if (f[0].equals("A")) {
          op.finish(seq, Op.Status.ACKED, List.of(f).subList(2, f.length), "");
        } else {
          Outcomes.Outcome outcome = Outcomes.Outcome.valueOf(f[2]);
          String error = f.length > 3 ? f[3] : "?";
          op.finish(
              seq,
              outcome == Outcomes.Outcome.REJECTED ? Op.Status.REJECTED : Op.Status.FAILED,
              List.of(),
              error);
          if (outcome == Outcomes.Outcome.UNEXPECTED) {
            errors.add("operation " + op + " failed unexpectedly with " + error);
          }
        }
      }
      case "E" ->
          errors.add(
              "child thread "
                  + f[1]
                  + ": "
                  + line.substring(Math.min(line.length(), 3 + f[1].length())));
      default -> throw new IllegalArgumentException("unknown line type");
    }
  }

  /** The item operations, in the order they began. */
  public List<Op> itemOps() {
    return itemOps;
  }

  /** The lifecycle steps, in the order they began. */
  public List<Op> steps() {
    return steps;
  }

  /** Unexpected errors the child reported, and malformed lines. */
  public List<String> errors() {
    return errors;
  }

  /** Whether the child opened the store and started its workers. */
  public boolean ready() {
    return ready;
  }

  /** The number of complete journal lines. */
  public int lines() {
    return lines;
  }
}
