package dev.coffer;

/** The DynamoDB attribute types. */
public enum AttributeType {
  /** String. */
  S,
  /** Number. */
  N,
  /** Binary. */
  B,
  /** Boolean. */
  BOOL,
  /** Null. */
  NULL,
  /** List. */
  L,
  /** Map. */
  M,
  /** String set. */
  SS,
  /** Number set. */
  NS,
  /** Binary set. */
  BS;

  /** Whether the type may be a key attribute's type (S, N or B). */
  public boolean isKeyType() {
    return this == S || this == N || this == B;
  }
}
