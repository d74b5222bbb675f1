package dev.coffer.torture;

import java.util.List;

/**
 * One operation of a cycle as the parent reads it from the child's journal: what it was (item
 * writes, or a lifecycle step with its arguments), where its begin and end lines stand in the
 * journal, and how it ended. The journal is one totally ordered stream, and the child writes the
 * begin line before the call and the end line after it returned, so an operation whose begin line
 * follows another's end line started after that one finished. Immutable once parsed.
 */
public final class Op {
  /** How an operation ended, as far as the parent can know. */
  public enum Status {
    /** The call returned: its effect must be in the store (or overwritten by a later one). */
    ACKED,
    /** The call was refused before it did anything (e.g. the table was already deleted). */
    REJECTED,
    /** The call threw after it may have done something: applied or not, both are allowed. */
    FAILED,
    /** The child was killed during the call: applied or not, both are allowed. */
    IN_FLIGHT
  }

  /** The end position of an operation that never ended. */
  public static final int NEVER = Integer.MAX_VALUE;

  private final String id;
  private final boolean lifecycle;
  private final String kind;
  private final boolean atomic;
  private final List<Write> writes;
  private final List<String> args;
  private final int begin;
  private int end = NEVER;
  private Status status = Status.IN_FLIGHT;
  private List<String> result = List.of();
  private String error = "";

  Op(
      String id,
      boolean lifecycle,
      String kind,
      boolean atomic,
      List<Write> writes,
      List<String> args,
      int begin) {
    this.id = id;
    this.lifecycle = lifecycle;
    this.kind = kind;
    this.atomic = atomic;
    this.writes = List.copyOf(writes);
    this.args = List.copyOf(args);
    this.begin = begin;
  }

  void finish(int at, Status how, List<String> result, String error) {
    this.end = at;
    this.status = how;
    this.result = List.copyOf(result);
    this.error = error;
  }

  /** The operation id, unique in a run. */
  public String id() {
    return id;
  }

  /**
   * Whether this is a lifecycle step (rewrap, rotation, re-encryption, DDL) rather than item
   * writes.
   */
  public boolean isLifecycle() {
    return lifecycle;
  }

  /** The kind: an {@link ItemOperation#kind()} or a {@link LifecycleStep} name. */
  public String kind() {
    return kind;
  }

  /** Whether the writes are all-or-nothing (a transaction). */
  public boolean atomic() {
    return atomic;
  }

  /** The item writes (empty for lifecycle steps). */
  public List<Write> writes() {
    return writes;
  }

  /** A lifecycle step's arguments (table name, target key, ...). */
  public List<String> args() {
    return args;
  }

  /** The journal position of the begin line. */
  public int begin() {
    return begin;
  }

  /** The journal position of the end line, or {@link #NEVER}. */
  public int end() {
    return end;
  }

  public Status status() {
    return status;
  }

  /** Whether the operation must have taken effect. */
  public boolean mandatory() {
    return status == Status.ACKED;
  }

  /** Whether the operation may have taken effect (acknowledged, failed late, or in flight). */
  public boolean mayHaveApplied() {
    return status != Status.REJECTED;
  }

  /** What an acknowledged call returned, as the child journaled it. */
  public List<String> result() {
    return result;
  }

  /** The exception of a failed or rejected call. */
  public String error() {
    return error;
  }

  @Override
  public String toString() {
    return id
        + " "
        + kind
        + (lifecycle ? " " + args : " " + writes)
        + " ["
        + begin
        + ".."
        + (end == NEVER ? "" : end)
        + " "
        + status
        + (error.isEmpty() ? "" : " " + error)
        + "]";
  }
}
