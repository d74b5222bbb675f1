package dev.coffer;

import dev.coffer.internal.expression.Cond;
import dev.coffer.internal.expression.DocPath;
import dev.coffer.internal.expression.Expr;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A document path: a top-level attribute, then map keys and list indexes, like DynamoDB's {@code
 * a.b[3].c}. Names are taken as given: {@code Path.of("a.b")} is the top-level attribute named
 * {@code a.b}, and reserved words need no placeholders. Used in {@link Condition}s, {@link Update}s
 * and {@link Projection}s:
 *
 * <pre>{@code
 * Path fiveStar = Path.of("ProductReviews").attribute("FiveStar").index(0);
 * Condition hasReview = fiveStar.exists();
 * }</pre>
 *
 * <p>Immutable and thread-safe; equal paths are equal. Names must not be empty and indexes not
 * negative ({@link ValidationException}).
 */
public final class Path extends Operand {
  private final DocPath path;

  private Path(DocPath path) {
    this.path = path;
  }

  /** The top-level attribute {@code name}. */
  public static Path of(String name) {
    return new Path(DocPath.of(name));
  }

  /** The map key {@code name} within this path ({@code this.name}). */
  public Path attribute(String name) {
    return new Path(path.child(name));
  }

  /** The list element {@code index} (from 0) within this path ({@code this[index]}). */
  public Path index(int index) {
    return new Path(path.child(index));
  }

  /**
   * {@code size(this)}: the UTF-8 length of an S, the length of a B, the number of members of a set
   * or elements of a list or map. A path with no size (missing, or N, BOOL or NULL) makes every
   * comparison false except {@code <>}.
   */
  public Operand size() {
    Expr.Call call = new Expr.Call("size", List.of(expr()));
    Path self = this;
    return new Operand() {
      @Override
      Expr expr() {
        return call;
      }

      @Override
      public String toString() {
        return "size(" + self + ")";
      }
    };
  }

  /** {@code attribute_exists(this)}. */
  public Condition exists() {
    return function("attribute_exists");
  }

  /** {@code attribute_not_exists(this)}. */
  public Condition notExists() {
    return function("attribute_not_exists");
  }

  /** {@code attribute_type(this, type)}: the attribute exists and has the type. */
  public Condition attributeType(AttributeType type) {
    return function(
        "attribute_type",
        Operand.value(AttributeValue.s(Objects.requireNonNull(type, "type").name())));
  }

  /** {@code begins_with(this, prefix)}: an S or B starting with the prefix (an S or B value). */
  public Condition beginsWith(AttributeValue prefix) {
    return function("begins_with", Operand.value(prefix));
  }

  /** {@code begins_with(this, prefix)} for a string prefix. */
  public Condition beginsWith(String prefix) {
    return beginsWith(AttributeValue.s(Objects.requireNonNull(prefix, "prefix")));
  }

  /**
   * {@code contains(this, value)}: a substring of an S, bytes within a B, a member of a set, or an
   * element of a list.
   */
  public Condition contains(AttributeValue value) {
    return contains(Operand.value(value));
  }

  /** {@code contains(this, operand)}. */
  public Condition contains(Operand operand) {
    return function("contains", require(operand));
  }

  private Condition function(String name, Operand... args) {
    List<Expr> list = new ArrayList<>();
    list.add(expr());
    for (Operand a : args) {
      list.add(a.expr());
    }
    return Condition.checked(new Cond.Function(new Expr.Call(name, list)));
  }

  @Override
  Expr expr() {
    return Expr.PathRef.of(path);
  }

  DocPath docPath() {
    return path;
  }

  static Path of(DocPath path) {
    return new Path(path);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Path && ((Path) o).path.equals(path);
  }

  @Override
  public int hashCode() {
    return path.hashCode();
  }

  /** The path as written in an expression, e.g. {@code a.b[3]}; unusual names are quoted. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < path.length(); i++) {
      if (path.isIndex(i)) {
        sb.append('[').append(path.index(i)).append(']');
      } else {
        String name = path.name(i);
        sb.append(i == 0 ? "" : ".");
        if (name.matches("[A-Za-z][A-Za-z0-9_]*")) {
          sb.append(name);
        } else {
          sb.append('"').append(name.replace("\"", "\\\"")).append('"');
        }
      }
    }
    return sb.toString();
  }
}
