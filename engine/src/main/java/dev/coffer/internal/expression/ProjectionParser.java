package dev.coffer.internal.expression;

import dev.coffer.ValidationException;
import dev.coffer.internal.expression.Issues.Category;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The projection grammar of DynamoDB: {@code path (',' path)*}, where a path is {@code name ('.'
 * name | '[' digits ']')*}. Errors in DynamoDB's order: reserved word, undefined name, overlapping
 * paths, conflicting paths. Not thread-safe: one parse.
 */
final class ProjectionParser extends ParserSupport {
  private static final List<Category> ORDER =
      List.of(Category.RESERVED, Category.ATTR_NAME, Category.PATH_OVERLAP, Category.PATH_CONFLICT);

  private ProjectionParser(String text, Placeholders placeholders) {
    super(text, ExpressionKind.PROJECTION, placeholders, Set.of());
  }

  /**
   * Parses and checks {@code text}; returns its paths in order.
   *
   * @throws ValidationException with DynamoDB's message
   */
  static List<DocPath> parse(String text, Placeholders placeholders) {
    ProjectionParser p = new ProjectionParser(text, placeholders);
    List<Expr.PathRef> refs = new ArrayList<>();
    refs.add(p.parsePath());
    while (p.in.peek().is(",")) {
      p.in.next();
      refs.add(p.parsePath());
    }
    if (!p.in.atEnd()) {
      throw p.in.syntaxError();
    }
    List<DocPath> paths = new ArrayList<>();
    for (Expr.PathRef r : refs) {
      if (r.undefinedName() != null) {
        p.issues.add(
            Category.ATTR_NAME,
            "An expression attribute name used in the document path is not defined;"
                + " attribute name: "
                + r.undefinedName());
      }
      paths.add(r.path());
    }
    checkPaths(paths, p.issues);
    String error = p.issues.first(ORDER);
    if (error != null) {
      throw ExpressionKind.PROJECTION.invalid(error);
    }
    return paths;
  }

  /** Checks paths built without a parser. */
  static void check(List<DocPath> paths) {
    Issues issues = new Issues();
    checkPaths(paths, issues);
    String error = issues.first(ORDER);
    if (error != null) {
      throw ExpressionKind.PROJECTION.invalid(error);
    }
  }

  private static void checkPaths(List<DocPath> paths, Issues issues) {
    for (int i = 1; i < paths.size(); i++) {
      for (int j = 0; j < i; j++) {
        DocPath.Relation r = paths.get(j).relationTo(paths.get(i));
        String pair =
            "; must remove or rewrite one of these paths; path one: "
                + paths.get(j)
                + ", path two: "
                + paths.get(i);
        if (r == DocPath.Relation.OVERLAP) {
          issues.add(Category.PATH_OVERLAP, "Two document paths overlap with each other" + pair);
        } else if (r == DocPath.Relation.CONFLICT) {
          issues.add(Category.PATH_CONFLICT, "Two document paths conflict with each other" + pair);
        }
      }
    }
  }
}
