package dev.coffer.internal.expression;

import dev.coffer.ValidationException;
import dev.coffer.internal.model.Strings;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * A document path: a top-level attribute name followed by map keys and list indexes, e.g. {@code
 * a.b[3].c} is {@code [a, b, [3], c]}. Names are resolved (no placeholders); a name may contain any
 * character, including dots, but must be valid Unicode (no unpaired UTF-16 surrogate). Immutable;
 * equal paths are equal.
 */
public final class DocPath {
  private final List<Object> elements;

  private DocPath(List<Object> elements) {
    this.elements = elements;
  }

  /** The top-level attribute {@code name}. */
  public static DocPath of(String name) {
    return new DocPath(List.of(checkName(name)));
  }

  /** This path followed by the map key {@code name}. */
  public DocPath child(String name) {
    return append(checkName(name));
  }

  /** This path followed by the list index {@code index} (0 or more). */
  public DocPath child(int index) {
    if (index < 0) {
      throw new ValidationException("A list index must not be negative: " + index);
    }
    return append(index);
  }

  private DocPath append(Object element) {
    List<Object> copy = new ArrayList<>(elements.size() + 1);
    copy.addAll(elements);
    copy.add(element);
    return new DocPath(Collections.unmodifiableList(copy));
  }

  private static String checkName(String name) {
    Objects.requireNonNull(name, "name");
    if (name.isEmpty()) {
      throw new ValidationException(
          "One or more parameter values were invalid: An attribute name may not be empty");
    }
    return Strings.checkWellFormed(name, "An attribute name");
  }

  /** The number of elements (1 for a top-level attribute). */
  public int length() {
    return elements.size();
  }

  /** Whether element {@code i} is a list index. */
  public boolean isIndex(int i) {
    return elements.get(i) instanceof Integer;
  }

  /** Element {@code i} as a name. */
  public String name(int i) {
    return (String) elements.get(i);
  }

  /** Element {@code i} as a list index. */
  public int index(int i) {
    return (Integer) elements.get(i);
  }

  /** The top-level attribute name. */
  public String head() {
    return (String) elements.get(0);
  }

  /** The first {@code n} elements. */
  public DocPath prefix(int n) {
    return new DocPath(elements.subList(0, n));
  }

  /**
   * How two paths relate, as DynamoDB checks the paths of one update or projection: {@code OVERLAP}
   * when one is a prefix of the other (or both are equal), {@code CONFLICT} when at the first place
   * they differ one has a name and the other an index, {@code NONE} otherwise.
   */
  public Relation relationTo(DocPath other) {
    int n = Math.min(length(), other.length());
    for (int i = 0; i < n; i++) {
      if (isIndex(i) != other.isIndex(i)) {
        return Relation.CONFLICT;
      }
      if (!elements.get(i).equals(other.elements.get(i))) {
        return Relation.NONE;
      }
    }
    return Relation.OVERLAP;
  }

  /** See {@link #relationTo}. */
  public enum Relation {
    NONE,
    OVERLAP,
    CONFLICT
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DocPath && ((DocPath) o).elements.equals(elements);
  }

  @Override
  public int hashCode() {
    return elements.hashCode();
  }

  /** DynamoDB's rendering in error messages: {@code [a, b, [3]]}. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("[");
    for (int i = 0; i < elements.size(); i++) {
      if (i > 0) {
        sb.append(", ");
      }
      sb.append(isIndex(i) ? "[" + index(i) + "]" : name(i));
    }
    return sb.append(']').toString();
  }
}
