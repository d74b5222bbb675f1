package dev.coffer.internal.expression;

import static dev.coffer.internal.expression.Fixtures.cond;
import static dev.coffer.internal.expression.Fixtures.fails;
import static dev.coffer.internal.expression.Fixtures.map;
import static dev.coffer.internal.expression.Fixtures.n;
import static dev.coffer.internal.expression.Fixtures.ref;
import static dev.coffer.internal.expression.Fixtures.s;
import static dev.coffer.internal.expression.Fixtures.val;
import static org.assertj.core.api.Assertions.assertThat;

import dev.coffer.AttributeValue;
import dev.coffer.internal.expression.Cond.Comparator;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every rule of the condition grammar, and every error DynamoDB reports for conditions. */
class ConditionParserTest {

  @Test
  void comparators() {
    for (Comparator c : Comparator.values()) {
      assertThat(cond("a " + c.symbol() + " :s"))
          .isEqualTo(new Cond.Compare(c, ref("a"), val(s("x"))));
    }
    assertThat(cond("a=:s")).isEqualTo(cond("a = :s"));
    assertThat(cond(":n < a")).isEqualTo(new Cond.Compare(Comparator.LT, val(n(1)), ref("a")));
    assertThat(cond("a <> b")).isEqualTo(new Cond.Compare(Comparator.NE, ref("a"), ref("b")));
  }

  @Test
  void betweenAndIn() {
    assertThat(cond("a BETWEEN :n AND :m"))
        .isEqualTo(new Cond.Between(ref("a"), val(n(1)), val(n(2))));
    assertThat(cond("a between :n and b"))
        .isEqualTo(new Cond.Between(ref("a"), val(n(1)), ref("b")));
    assertThat(cond("a IN (:s)")).isEqualTo(new Cond.In(ref("a"), List.of(val(s("x")))));
    assertThat(cond("a in (:s, b, :n)"))
        .isEqualTo(new Cond.In(ref("a"), List.of(val(s("x")), ref("b"), val(n(1)))));
  }

  @Test
  void functions() {
    assertThat(cond("attribute_exists(a)"))
        .isEqualTo(new Cond.Function(new Expr.Call("attribute_exists", List.of(ref("a")))));
    assertThat(cond("attribute_not_exists (a.b)"))
        .isEqualTo(
            new Cond.Function(new Expr.Call("attribute_not_exists", List.of(ref("a", "b")))));
    assertThat(cond("attribute_type(a, :type)"))
        .isEqualTo(
            new Cond.Function(new Expr.Call("attribute_type", List.of(ref("a"), val(s("S"))))));
    assertThat(cond("begins_with(a, :s)"))
        .isEqualTo(new Cond.Function(new Expr.Call("begins_with", List.of(ref("a"), val(s("x"))))));
    assertThat(cond("contains(a, b)"))
        .isEqualTo(new Cond.Function(new Expr.Call("contains", List.of(ref("a"), ref("b")))));
    assertThat(cond("size(a) > :n"))
        .isEqualTo(
            new Cond.Compare(Comparator.GT, new Expr.Call("size", List.of(ref("a"))), val(n(1))));
    assertThat(cond("size(:s) = :n"))
        .isEqualTo(
            new Cond.Compare(
                Comparator.EQ, new Expr.Call("size", List.of(val(s("x")))), val(n(1))));
  }

  @Test
  void precedenceIsNotThenAndThenOr() {
    Cond a = cond("a = :s");
    Cond b = cond("b = :s");
    Cond c = cond("c = :s");
    assertThat(cond("a = :s OR b = :s AND c = :s")).isEqualTo(new Cond.Or(a, new Cond.And(b, c)));
    assertThat(cond("a = :s AND b = :s OR c = :s")).isEqualTo(new Cond.Or(new Cond.And(a, b), c));
    assertThat(cond("NOT a = :s AND b = :s")).isEqualTo(new Cond.And(new Cond.Not(a), b));
    assertThat(cond("NOT NOT a = :s")).isEqualTo(new Cond.Not(new Cond.Not(a)));
    assertThat(cond("a = :s AND b = :s AND c = :s")).isEqualTo(new Cond.And(new Cond.And(a, b), c));
    assertThat(cond("a = :s or b = :s or c = :s")).isEqualTo(new Cond.Or(new Cond.Or(a, b), c));
    assertThat(cond("b BETWEEN :n AND :m AND a = :s"))
        .isEqualTo(new Cond.And(new Cond.Between(ref("b"), val(n(1)), val(n(2))), a));
  }

  @Test
  void parentheses() {
    Cond a = cond("a = :s");
    Cond b = cond("b = :s");
    Cond c = cond("c = :s");
    assertThat(cond("(a = :s)")).isEqualTo(a);
    assertThat(cond("a = :s AND (b = :s OR c = :s)")).isEqualTo(new Cond.And(a, new Cond.Or(b, c)));
    assertThat(cond("NOT (a = :s AND b = :s)")).isEqualTo(new Cond.Not(new Cond.And(a, b)));
    assertThat(cond("((a = :s) AND (b = :s))")).isEqualTo(new Cond.And(a, b));
    assertThat(cond("(a) = :s")).isEqualTo(a);
    assertThat(cond("a = (:s)")).isEqualTo(a);
    assertThat(cond("(a) IN ((:s))".replace("((:s))", "(:s)")))
        .isEqualTo(new Cond.In(ref("a"), List.of(val(s("x")))));
    assertThat(cond("(a.b).c = :s"))
        .isEqualTo(new Cond.Compare(Comparator.EQ, ref("a", "b", "c"), val(s("x"))));
    assertThat(cond("(a)[1] = :s"))
        .isEqualTo(new Cond.Compare(Comparator.EQ, ref("a", 1), val(s("x"))));
    assertThat(cond("(begins_with(a, :s))")).isEqualTo(cond("begins_with(a, :s)"));
    assertThat(cond("(((a = :s)) )".replace("(((a = :s)) )", "(a = :s)"))).isEqualTo(a);
  }

  @Test
  void paths() {
    assertThat(cond("a.b[3].c = :s"))
        .isEqualTo(new Cond.Compare(Comparator.EQ, ref("a", "b", 3, "c"), val(s("x"))));
    assertThat(cond("a [ 3 ] . b = :s"))
        .isEqualTo(new Cond.Compare(Comparator.EQ, ref("a", 3, "b"), val(s("x"))));
    assertThat(cond("a[1][2] = :s"))
        .isEqualTo(new Cond.Compare(Comparator.EQ, ref("a", 1, 2), val(s("x"))));
    assertThat(cond("#a.#b = :s"))
        .isEqualTo(new Cond.Compare(Comparator.EQ, ref("a", "b"), val(s("x"))));
    assertThat(cond("#dot = :s"))
        .isEqualTo(new Cond.Compare(Comparator.EQ, ref("x.y"), val(s("x"))));
    assertThat(cond("A_1 = :s"))
        .isEqualTo(new Cond.Compare(Comparator.EQ, ref("A_1"), val(s("x"))));
    assertThat(cond("a[007] = :s"))
        .isEqualTo(new Cond.Compare(Comparator.EQ, ref("a", 7), val(s("x"))));
  }

  @Test
  void keywordsIgnoreCaseAndNamesContainingThemAreNames() {
    assertThat(cond("a = :s aNd b = :s oR NoT c = :s"))
        .isEqualTo(cond("a = :s AND b = :s OR NOT c = :s"));
    assertThat(cond("android = :s"))
        .isEqualTo(new Cond.Compare(Comparator.EQ, ref("android"), val(s("x"))));
    assertThat(cond("inside IN (:s)")).isEqualTo(new Cond.In(ref("inside"), List.of(val(s("x")))));
  }

  @Test
  void whitespace() {
    assertThat(cond(" \t a \r\n= :s\n")).isEqualTo(cond("a = :s"));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      commentCharacter = '%',
      value = {
        "a = = b|=|= = b",
        "a =|<EOF>|=",
        "a = |<EOF>|= ",
        "foo|<EOF>|foo",
        "attribute_not_exists(|<EOF>|(",
        "contains (a, :s|<EOF>|:s",
        "attribute_type()|)|()",
        "a = :s AND|<EOF>|AND",
        "a IN ()|)|()",
        "a BETWEEN :n|<EOF>|:n",
        "a BETWEEN :n OR :m|OR|:n OR :m",
        "CourseId-Index = :s|-|CourseId-Index",
        "_a = :s|_|_a",
        "1a = :s|1|1a",
        "a != :s|!|a !=",
        "a = 'x'|'|= 'x",
        "a = \"x\"|\"|= \"x",
        "a.1 = :s|1|.1 =",
        "a[x] = :s|x|[x]",
        "a[] = :s|]|[] =",
        "a[:n] = :s|:n|[:n]",
        "a[#a] = :s|#a|[#a]",
        "# = :s|#|# =",
        "a = :|:|= :",
        "(a = :s|<EOF>|:s",
        "a = :s)|)|:s)",
        "a AND b|AND|a AND b",
        "NOT|<EOF>|NOT",
        "a = b + :s|+|b + :s",
        "a = :s :t|:t|:s :t",
        "and = :s|and|and =",
        "between = :s|between|between =",
        "IN = :s|IN|IN =",
        "a.not = :s|not|.not =",
        "f() = :s|)|() =",
        "(((:s))) = a|:s|(:s)",
      })
  void syntaxErrors(String expression, String token, String near) {
    fails(
        () -> cond(expression),
        "Invalid ConditionExpression: Syntax error; token: \""
            + token
            + "\", near: \""
            + near
            + "\"");
  }

  @Test
  void syntaxErrorsNameTheExpressionKind() {
    fails(
        () -> cond("a ==", ExpressionKind.FILTER),
        "Invalid FilterExpression: Syntax error; token: \"=\", near: \"==\"");
    fails(
        () -> cond("a ==", ExpressionKind.KEY_CONDITION),
        "Invalid KeyConditionExpression: Syntax error; token: \"=\", near: \"==\"");
  }

  @Test
  void emptyAndOversizedExpressions() {
    fails(() -> cond(""), "Invalid ConditionExpression: The expression can not be empty;");
    fails(
        () -> cond("", ExpressionKind.KEY_CONDITION),
        "Invalid KeyConditionExpression: The expression can not be empty;");
    String big = "attribute_not_exists(a" + "z".repeat(4096) + ")";
    fails(
        () -> cond(big),
        "Invalid ConditionExpression: Expression size has exceeded the maximum allowed size;"
            + " expression size: "
            + big.length());
    fails(
        () -> cond(big, ExpressionKind.FILTER),
        "Invalid FilterExpression: Expression size has exceeded the"
            + " maximum allowed size; expression size: "
            + big.length());
    String bigKey = "a" + "z".repeat(4096) + " = :s";
    fails(
        () -> cond(bigKey, ExpressionKind.KEY_CONDITION),
        "Invalid KeyConditionExpression: Expression size has exceeded the maximum allowed size;");
    String exact = "a" + "z".repeat(4096 - 6) + " = :s";
    assertThat(exact).hasSize(4096);
    cond(exact);
  }

  @Test
  void reservedWordsUsedBare() {
    fails(
        () -> cond("status = :s"),
        "Invalid ConditionExpression: Attribute name is a reserved keyword; reserved"
            + " keyword: status");
    fails(
        () -> cond("a.Name = :s"),
        "Invalid ConditionExpression: Attribute name is a reserved keyword; reserved"
            + " keyword: Name");
    fails(
        () -> cond("size = :s"),
        "Invalid ConditionExpression: Attribute name is a reserved keyword; reserved"
            + " keyword: size");
    fails(
        () -> cond("attribute_exists(comment)"),
        "Invalid ConditionExpression: Attribute name is a reserved"
            + " keyword; reserved keyword: comment");
    assertThat(ReservedWords.count()).isEqualTo(573);
    for (String w : List.of("ABORT", "flattern", "InNtEr", "LOGED", "zone", "Year")) {
      assertThat(ReservedWords.isReserved(w)).as(w).isTrue();
    }
    for (String w : List.of("email", "customer", "remove", "begins_with")) {
      assertThat(ReservedWords.isReserved(w)).as(w).isFalse();
    }
  }

  @Test
  void reservedWordsThroughPlaceholdersAreFine() {
    Placeholders p = Placeholders.of(map("#s", "status"), map(":v", s("x")));
    assertThat(ExpressionParser.condition("#s = :v", ExpressionKind.CONDITION, p))
        .isEqualTo(new Cond.Compare(Comparator.EQ, ref("status"), val(s("x"))));
  }

  @Test
  void placeholders() {
    fails(
        () -> cond("#zz = :s"),
        "Invalid ConditionExpression: An expression attribute name used in the document"
            + " path is not defined; attribute name: #zz");
    fails(
        () -> cond("a = :zz"),
        "Invalid ConditionExpression: An expression attribute value used in expression is"
            + " not defined; attribute value: :zz");
    fails(
        () -> cond("a.#zz = :zz"),
        "Invalid ConditionExpression: An expression attribute name used in the document"
            + " path is not defined; attribute name: #zz");
    Placeholders p = Placeholders.of(map("#a", "a", "#b", "b"), map(":v", s("x"), ":w", s("y")));
    ExpressionParser.condition("#a = :v", ExpressionKind.CONDITION, p);
    fails(
        p::checkAllUsed,
        "Value provided in ExpressionAttributeNames unused in expressions: keys: {#b}");
    Placeholders q = Placeholders.of(null, map(":v", s("x"), ":w", s("y"), ":x", s("z")));
    ExpressionParser.condition("a = :w", ExpressionKind.CONDITION, q);
    fails(
        q::checkAllUsed,
        "Value provided in ExpressionAttributeValues unused in expressions: keys: {:v, :x}");
  }

  @Test
  void redundantParentheses() {
    String message = "Invalid ConditionExpression: The expression has redundant parentheses;";
    fails(() -> cond("((a = :s))"), message);
    fails(() -> cond("((a = :s AND b = :s))"), message);
    fails(() -> cond("((NOT (a = :s)))"), message);
    fails(() -> cond("((a)) = :s"), message);
    fails(() -> cond("a = ((:s))"), message);
    fails(() -> cond("((a.b)).c = :s"), message);
    fails(() -> cond("a = :s AND ((b = :s))"), message);
    fails(() -> cond("((a = :zz))"), message);
  }

  @Test
  void functionErrors() {
    fails(
        () -> cond("dog(a) = :s"),
        "Invalid ConditionExpression: Invalid function name; function: dog");
    fails(
        () -> cond("BEGINS_WITH(a, :s)"),
        "Invalid ConditionExpression: Invalid function name; function: BEGINS_WITH");
    fails(
        () -> cond("foo(a)"), "Invalid ConditionExpression: Invalid function name; function: foo");
    fails(
        () -> cond("if_not_exists(a, :s) = :s"),
        "Invalid ConditionExpression: The function is not allowed to be"
            + " used this way in an expression; function: if_not_exists");
    fails(
        () -> cond("list_append(a, :l) = :l"),
        "Invalid ConditionExpression: The function is not allowed to be used"
            + " this way in an expression; function: list_append");
    fails(
        () -> cond("size(a)"),
        "Invalid ConditionExpression: The function is not allowed to be used this way in an"
            + " expression; function: size");
    fails(
        () -> cond("a = :s AND size(a)"),
        "Invalid ConditionExpression: The function is not allowed to be used this"
            + " way in an expression; function: size");
    fails(
        () -> cond("attribute_exists(a) < :n"),
        "Invalid ConditionExpression: The function is not allowed to be used"
            + " this way in an expression; function: attribute_exists");
    fails(
        () -> cond("contains(begins_with(a, :s), :s)"),
        "Invalid ConditionExpression: The function is not allowed to"
            + " be used this way in an expression; function: begins_with");
    fails(
        () -> cond("attribute_exists(a, b)"),
        "Invalid ConditionExpression: Incorrect number of operands for operator"
            + " or function; operator or function: attribute_exists, number of operands: 2");
    fails(
        () -> cond("size(a, a) = :n"),
        "Invalid ConditionExpression: Incorrect number of operands for operator or"
            + " function; operator or function: size, number of operands: 2");
    fails(
        () -> cond("begins_with(a, :s, :t)"),
        "Invalid ConditionExpression: Incorrect number of operands for"
            + " operator or function; operator or function: begins_with, number of operands: 3");
    fails(
        () -> cond("attribute_exists(:s)"),
        "Invalid ConditionExpression: Operator or function requires a document"
            + " path; operator or function: attribute_exists");
    fails(
        () -> cond("attribute_not_exists(size(a))"),
        "Invalid ConditionExpression: Operator or function requires a"
            + " document path; operator or function: attribute_not_exists");
    fails(
        () -> cond("begins_with(a, :n)"),
        "Invalid ConditionExpression: Incorrect operand type for operator or"
            + " function; operator or function: begins_with, operand type: N");
    fails(
        () -> cond("begins_with(size(a), :s)"),
        "Invalid ConditionExpression: Incorrect operand type for operator or"
            + " function; operator or function: begins_with, operand type: N");
    fails(
        () -> cond("attribute_type(a, :n)"),
        "Invalid ConditionExpression: Incorrect operand type for operator or"
            + " function; operator or function: attribute_type, operand type: N");
    fails(
        () -> cond("attribute_type(a, b)"),
        "Invalid ConditionExpression: Incorrect operand type for operator or"
            + " function; operator or function: attribute_type, operand type: {NS,SS,L,BS,N,M,B,BOOL,NULL,S}");
    fails(
        () -> cond("attribute_type(a, :t)"),
        "Invalid ConditionExpression: Invalid attribute type name found; type:"
            + " y, valid types: {B,NULL,SS,BOOL,L,BS,N,NS,S,M}");
    fails(
        () -> cond("size(:n) = :n"),
        "Invalid ConditionExpression: Incorrect operand type for operator or function;"
            + " operator or function: size, operand type: N");
    fails(
        () -> cond("size(size(a)) = :n"),
        "Invalid ConditionExpression: Incorrect operand type for operator or"
            + " function; operator or function: size, operand type: N");
    fails(
        () -> cond("size(:bool) = :n"),
        "Invalid ConditionExpression: Incorrect operand type for operator or"
            + " function; operator or function: size, operand type: BOOL");
  }

  @Test
  void operandTypeErrors() {
    for (String op : List.of("<", "<=", ">", ">=")) {
      for (String v : List.of(":bool", ":null", ":ss", ":ns", ":l", ":map")) {
        String type = Fixtures.values().get(v).type().name();
        fails(
            () -> cond("a " + op + " " + v),
            "Invalid ConditionExpression: Incorrect operand type for operator or"
                + " function; operator or function: "
                + op
                + ", operand type: "
                + type);
        fails(
            () -> cond(v + " " + op + " a"),
            "Invalid ConditionExpression: Incorrect operand type for operator or"
                + " function; operator or function: "
                + op
                + ", operand type: "
                + type);
      }
    }
    fails(
        () -> cond("NOT (a > :bool)"),
        "Invalid ConditionExpression: Incorrect operand type for operator or"
            + " function; operator or function: >, operand type: BOOL");
    fails(
        () -> cond("a BETWEEN :bool AND :bool"),
        "Invalid ConditionExpression: Incorrect operand type for operator"
            + " or function; operator or function: BETWEEN, operand type: BOOL");
    cond("a = :bool");
    cond("a <> :map");
    cond("a IN (:l, :ss)");
  }

  @Test
  void betweenBounds() {
    fails(
        () -> cond("a BETWEEN :n AND :s"),
        "Invalid ConditionExpression: The BETWEEN operator requires same data"
            + " type for lower and upper bounds; lower bound operand: AttributeValue: {N:1}, upper bound operand:"
            + " AttributeValue: {S:x}");
    fails(
        () -> cond("a BETWEEN :m AND :n"),
        "Invalid ConditionExpression: The BETWEEN operator requires upper bound"
            + " to be greater than or equal to lower bound; lower bound operand: AttributeValue: {N:2}, upper bound"
            + " operand: AttributeValue: {N:1}");
    fails(
        () -> cond("a BETWEEN :t AND :s"),
        "Invalid ConditionExpression: The BETWEEN operator requires upper bound"
            + " to be greater than or equal to lower bound; lower bound operand: AttributeValue: {S:y}, upper bound"
            + " operand: AttributeValue: {S:x}");
    cond("a BETWEEN :n AND :n");
    cond("a BETWEEN b AND :n");
  }

  @Test
  void distinctOperands() {
    fails(
        () -> cond("a = a"),
        "Invalid ConditionExpression: The first operand must be distinct from the remaining"
            + " operands for this operator or function; operator: =, first operand: [a]");
    fails(
        () -> cond("a.b[1] < #a.b[1]"),
        "Invalid ConditionExpression: The first operand must be distinct from the"
            + " remaining operands for this operator or function; operator: <, first operand: [a, b, [1]]");
    fails(
        () -> cond("contains(a, #a)"),
        "Invalid ConditionExpression: The first operand must be distinct from the"
            + " remaining operands for this operator or function; operator: contains, first operand: [a]");
    fails(
        () -> cond("a IN (:s, a)"),
        "Invalid ConditionExpression: The first operand must be distinct from the"
            + " remaining operands for this operator or function; operator: IN, first operand: [a]");
    cond("a = b");
    cond("a.b = a.c");
  }

  @Test
  void inTakesAtMostOneHundredOperands() {
    Map<String, AttributeValue> values = new LinkedHashMap<>();
    List<String> names = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      values.put(":v" + i, n(i));
      names.add(":v" + i);
    }
    String ninetyNine = "a IN (" + String.join(", ", names.subList(0, 99)) + ")";
    Placeholders p99 = Placeholders.of(null, new LinkedHashMap<>(values));
    ExpressionParser.condition(ninetyNine, ExpressionKind.CONDITION, p99);
    String hundred = "a IN (" + String.join(", ", names) + ")";
    fails(
        () ->
            ExpressionParser.condition(
                hundred, ExpressionKind.CONDITION, Placeholders.of(null, values)),
        "Invalid ConditionExpression: The IN operator is provided with too many operands; number of operands: 101");
  }

  @Test
  void errorPrecedenceFollowsDynamoDb() {
    // redundant parentheses before an unknown function, before a misused one, before reserved words
    fails(
        () -> cond("((dog(status) = :zz))"),
        "Invalid ConditionExpression: The expression has redundant parentheses;");
    fails(
        () -> cond("dog(status) = size(a)"),
        "Invalid ConditionExpression: Invalid function name; function: dog");
    fails(
        () -> cond("begins_with(status, :s) = :zz"),
        "Invalid ConditionExpression: The function is not allowed to be"
            + " used this way in an expression; function: begins_with");
    fails(
        () -> cond("status = :zz"),
        "Invalid ConditionExpression: Attribute name is a reserved keyword; reserved"
            + " keyword: status");
    // within one leaf: undefined placeholder before operand count before distinct before types
    fails(
        () -> cond("a BETWEEN :zz AND :s"),
        "Invalid ConditionExpression: An expression attribute value used in"
            + " expression is not defined; attribute value: :zz");
    // the first leaf with an error wins
    fails(
        () -> cond("a BETWEEN :m AND :n AND b = :zz"),
        "Invalid ConditionExpression: The BETWEEN operator requires"
            + " upper bound to be greater than or equal to lower bound; lower bound operand: AttributeValue: {N:2}, upper"
            + " bound operand: AttributeValue: {N:1}");
    fails(
        () -> cond("b = :zz AND a BETWEEN :m AND :n"),
        "Invalid ConditionExpression: An expression attribute value"
            + " used in expression is not defined; attribute value: :zz");
    // syntax errors come before everything
    fails(
        () -> cond("((status = :zz)) AND"),
        "Invalid ConditionExpression: Syntax error; token: \"<EOF>\", near:" + " \"AND\"");
  }

  @Test
  void nestingIsBounded() {
    String deep = "NOT ".repeat(TokenCursor.MAX_DEPTH + 1) + "a = :s";
    fails(
        () -> cond(deep),
        "Invalid ConditionExpression: The expression is nested too deeply; maximum depth: "
            + TokenCursor.MAX_DEPTH);
    String ok = "NOT ".repeat(TokenCursor.MAX_DEPTH) + "a = :s";
    assertThat(cond(ok)).isInstanceOf(Cond.Not.class);
    String parens = "(a = :s AND ".repeat(300) + "a = :s" + ")".repeat(300);
    fails(
        () -> cond(parens),
        "Invalid ConditionExpression: The expression is nested too deeply; maximum depth: "
            + TokenCursor.MAX_DEPTH);
  }
}
