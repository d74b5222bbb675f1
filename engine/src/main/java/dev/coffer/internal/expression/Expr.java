package dev.coffer.internal.expression;

import dev.coffer.AttributeValue;
import java.util.List;

/**
 * An operand of a condition or of an update's SET value: a document path, a value, or a function
 * call. Built by the parsers (with placeholders resolved) and by the public typed builders.
 */
public sealed interface Expr {
  /**
   * A document path. {@code undefinedName} is the first {@code #placeholder} in it that
   * ExpressionAttributeNames does not define (then the path is not usable), else null.
   */
  record PathRef(DocPath path, String undefinedName) implements Expr {
    /** A path without placeholders problems. */
    public static PathRef of(DocPath path) {
      return new PathRef(path, null);
    }
  }

  /**
   * A value. {@code undefinedName} is the {@code :placeholder} that ExpressionAttributeValues does
   * not define (then {@code value} is null), else null.
   */
  record Value(AttributeValue value, String undefinedName) implements Expr {
    /** A defined value. */
    public static Value of(AttributeValue value) {
      return new Value(value, null);
    }
  }

  /** A function call by name; the name is checked after parsing, as DynamoDB does. */
  record Call(String name, List<Expr> args) implements Expr {
    public Call {
      args = List.copyOf(args);
    }
  }
}
