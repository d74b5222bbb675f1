package dev.coffer.internal.page;

/** What a sealed record is; the first byte of its associated data, so kinds cannot be swapped. */
public enum RecordKind {
  /** A B+tree page (leaf or inner node) of a partition. */
  PAGE(1),
  /** A delta record appended beside a leaf. */
  DELTA(2),
  /** A catalog entry (sealed with the catalog key). */
  CATALOG(3);

  private final int code;

  RecordKind(int code) {
    this.code = code;
  }

  /** The byte that stands for this kind in the associated data. */
  public int code() {
    return code;
  }
}
