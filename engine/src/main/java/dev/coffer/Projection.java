package dev.coffer;

import dev.coffer.internal.expression.DocPath;
import dev.coffer.internal.expression.ExpressionParser;
import dev.coffer.internal.expression.Placeholders;
import dev.coffer.internal.expression.Printer;
import dev.coffer.internal.expression.Projector;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A DynamoDB ProjectionExpression: the attributes, or parts of them, to return.
 *
 * <pre>{@code
 * Projection p = Projection.of(Path.of("title"), Path.of("reviews").index(0), Path.of("price").attribute("usd"));
 * Projection same = Projection.expression("title, reviews[0], price.usd");
 * Item shown = p.apply(item);   // {"title": ..., "reviews": [<first review>], "price": {"usd": ...}}
 * }</pre>
 *
 * The result keeps the item's nesting with only the selected parts: a map keeps the selected keys,
 * a list keeps the selected elements in index order without gaps; paths the item does not have are
 * left out. Paths must not overlap ({@code a, a.b}) or conflict ({@code a.b, a[0]}): DynamoDB
 * refuses both, and so does every factory here ({@link ValidationException}, DynamoDB's wording).
 *
 * <p>Immutable and thread-safe.
 */
public final class Projection {
  private final List<DocPath> paths;

  private Projection(List<DocPath> paths) {
    this.paths = paths;
  }

  /** A checked list of paths. */
  static Projection of(List<DocPath> paths, boolean checked) {
    if (!checked) {
      ExpressionParser.checkProjection(paths);
    }
    return new Projection(List.copyOf(paths));
  }

  /** The given paths, in order. */
  public static Projection of(Path... paths) {
    return of(Arrays.asList(paths));
  }

  /** The given paths, in order. */
  public static Projection of(List<Path> paths) {
    List<DocPath> list = new ArrayList<>();
    for (Path p : paths) {
      list.add(Objects.requireNonNull(p, "path").docPath());
    }
    return of(list, false);
  }

  /** The given top-level attributes. */
  public static Projection attributes(String... names) {
    List<DocPath> list = new ArrayList<>();
    for (String n : names) {
      list.add(DocPath.of(n));
    }
    return of(list, false);
  }

  /**
   * A ProjectionExpression without placeholders, e.g. {@code title, reviews[0]}.
   *
   * @throws ValidationException with DynamoDB's message ({@code Invalid ProjectionExpression: ...})
   */
  public static Projection expression(String expression) {
    return expression(expression, null);
  }

  /**
   * A ProjectionExpression with its ExpressionAttributeNames (or null); every name given must be
   * used.
   */
  public static Projection expression(String expression, Map<String, String> names) {
    Objects.requireNonNull(expression, "expression");
    Placeholders p = Placeholders.of(Condition.emptyToNull(names), null);
    Projection projection = new Projection(List.copyOf(ExpressionParser.projection(expression, p)));
    p.checkAllUsed();
    return projection;
  }

  /** The paths, in order. */
  public List<Path> paths() {
    List<Path> out = new ArrayList<>();
    for (DocPath p : paths) {
      out.add(Path.of(p));
    }
    return Collections.unmodifiableList(out);
  }

  /** The projection of {@code item} (an empty item when none of the paths exists). */
  public Item apply(Item item) {
    return Projector.project(Objects.requireNonNull(item, "item"), paths);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Projection && ((Projection) o).paths.equals(paths);
  }

  @Override
  public int hashCode() {
    return paths.hashCode();
  }

  /** The projection as DynamoDB expression text, with the placeholders it needs. */
  @Override
  public String toString() {
    return Expressions.describe(Printer.projection(paths, name -> true));
  }
}
