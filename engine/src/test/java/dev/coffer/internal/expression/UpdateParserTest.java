package dev.coffer.internal.expression;

import static dev.coffer.internal.expression.Fixtures.fails;
import static dev.coffer.internal.expression.Fixtures.map;
import static dev.coffer.internal.expression.Fixtures.n;
import static dev.coffer.internal.expression.Fixtures.ref;
import static dev.coffer.internal.expression.Fixtures.s;
import static dev.coffer.internal.expression.Fixtures.update;
import static dev.coffer.internal.expression.Fixtures.val;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.coffer.AttributeValue;
import dev.coffer.ValidationException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Every rule of the update grammar, and every error DynamoDB reports for update expressions. */
class UpdateParserTest {

  private static UpdateAst.Set set(Expr.PathRef path, Expr value) {
    return new UpdateAst.Set(path, UpdateAst.SetValue.of(value));
  }

  @Test
  void clauses() {
    assertThat(update("SET a = :s").actions()).containsExactly(set(ref("a"), val(s("x"))));
    assertThat(update("REMOVE a, b.c[1]").actions())
        .containsExactly(new UpdateAst.Remove(ref("a")), new UpdateAst.Remove(ref("b", "c", 1)));
    assertThat(update("ADD a :n").actions())
        .containsExactly(new UpdateAst.Add(ref("a"), val(n(1))));
    assertThat(update("DELETE a :ss").actions())
        .containsExactly(new UpdateAst.Delete(ref("a"), val(AttributeValue.ss("a"))));
    assertThat(update("REMOVE b DELETE c :ss ADD d :n, e :ss SET f = :l").actions())
        .containsExactly(
            new UpdateAst.Remove(ref("b")),
            new UpdateAst.Delete(ref("c"), val(AttributeValue.ss("a"))),
            new UpdateAst.Add(ref("d"), val(n(1))),
            new UpdateAst.Add(ref("e"), val(AttributeValue.ss("a"))),
            set(ref("f"), val(AttributeValue.l(n(1)))));
    assertThat(update("  sEt   a=:s  ")).isEqualTo(update("SET a = :s"));
    assertThat(update("set #a = :s")).isEqualTo(update("SET a = :s"));
  }

  @Test
  void setValues() {
    assertThat(update("SET a = b").actions()).containsExactly(set(ref("a"), ref("b")));
    assertThat(update("SET a = b + :n").actions())
        .containsExactly(
            new UpdateAst.Set(ref("a"), new UpdateAst.SetValue(ref("b"), '+', val(n(1)))));
    assertThat(update("SET a = :n - b").actions())
        .containsExactly(
            new UpdateAst.Set(ref("a"), new UpdateAst.SetValue(val(n(1)), '-', ref("b"))));
    assertThat(update("SET a = (b + :n)")).isEqualTo(update("SET a = b + :n"));
    assertThat(update("SET a = (b) + (:n)")).isEqualTo(update("SET a = b + :n"));
    assertThat(update("set b.c=((c[1])+(b.a))").actions())
        .containsExactly(
            new UpdateAst.Set(
                ref("b", "c"), new UpdateAst.SetValue(ref("c", 1), '+', ref("b", "a"))));
    assertThat(update("SET a = if_not_exists(a, :n)").actions())
        .containsExactly(
            set(ref("a"), new Expr.Call("if_not_exists", List.of(ref("a"), val(n(1))))));
    assertThat(update("SET a = list_append(a, :l)").actions())
        .containsExactly(
            set(
                ref("a"),
                new Expr.Call("list_append", List.of(ref("a"), val(AttributeValue.l(n(1)))))));
    assertThat(update("SET a = if_not_exists(b, :n) + :m").actions())
        .containsExactly(
            new UpdateAst.Set(
                ref("a"),
                new UpdateAst.SetValue(
                    new Expr.Call("if_not_exists", List.of(ref("b"), val(n(1)))), '+', val(n(2)))));
    assertThat(update("SET a = if_not_exists(b, if_not_exists(c, :n))").actions())
        .containsExactly(
            set(
                ref("a"),
                new Expr.Call(
                    "if_not_exists",
                    List.of(
                        ref("b"), new Expr.Call("if_not_exists", List.of(ref("c"), val(n(1))))))));
    assertThat(update("SET a = list_append(if_not_exists(a, :l), :l)").actions()).hasSize(1);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "whatever",
        "set a",
        "add a",
        "delete a",
        "set a=set",
        "remove a = b",
        "add a = b",
        "delete a = b",
        "delete a b",
        "delete a if_not_exist(b)",
        "add abort b",
        "add a if_not_exist(b)",
        "remove a b",
        "set a b",
        "set :a = b",
        "add :a b",
        "delete :a b",
        "remove :a",
        "set a = b / c",
        "set a = b * c",
        "set a[1] = \"eight\"",
        "set a[1] = 1",
        "SET if_not_exist(a, b) = a",
        "set (a = (b + c))",
        "set a = (b.c).d + e",
        "set a = (b.c)[0] + e",
        "set a = b + c + d",
        "SET a = :s,",
        "SET a = :s b = :s",
        "SET a[:n] = :s",
        "SET a[#a] = :s",
        "SET # = :s",
        "SET a = :",
        "SET _123 = :s",
        "SET 123a = :s",
        "SET hi-there = :s",
        "SET hi$there = :s",
        "SET c = if_not_exists(c, :n+:m)",
        "SET a = _f(b)",
        "HELLO b = :s",
        "SET remove = :s",
        "SET a = f()",
        "SET a = (((b)))"
      })
  void syntaxErrors(String expression) {
    assertThat(catchThrowable(() -> update(expression)))
        .isInstanceOf(ValidationException.class)
        .hasMessageStartingWith("Invalid UpdateExpression: Syntax error; token: ");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      commentCharacter = '%',
      value = {
        "SET|<EOF>|SET",
        "SET a = |<EOF>|= ",
        "SET a = :s,|<EOF>|,",
        "SET _123 = :s|_|SET _123",
        "SET hi-there = :s|-|hi-there",
        "SET a = b + c + d|+|c + d",
        "REMOVE a b|b|a b",
        "SET a[1] = 1|1|= 1",
        "SET c = if_not_exists(c, :n+:m)|+|:n+:m",
      })
  void syntaxErrorTokens(String expression, String token, String near) {
    fails(
        () -> update(expression),
        "Invalid UpdateExpression: Syntax error; token: \"" + token + "\", near: \"" + near + "\"");
  }

  @Test
  void reservedWords() {
    fails(
        () -> update(" set #c = :s set abOrt = :s "),
        "Invalid UpdateExpression: Attribute name is a reserved keyword; reserved keyword: abOrt");
    fails(
        () -> update(" remove Absolute "),
        "Invalid UpdateExpression: Attribute name is a reserved keyword; reserved keyword: Absolute");
    fails(
        () -> update("SET status = :s"),
        "Invalid UpdateExpression: Attribute name is a reserved keyword; reserved keyword: status");
    fails(
        () -> update("SET a = b.name"),
        "Invalid UpdateExpression: Attribute name is a reserved keyword; reserved keyword: name");
  }

  @Test
  void clausesOnce() {
    fails(
        () -> update("set a = #c set c = :n"),
        "Invalid UpdateExpression: The \"SET\" section can only be used once in an update expression;");
    fails(
        () -> update("remove #b set a = b remove e"),
        "Invalid UpdateExpression: The \"REMOVE\" section can only be used once in an update expression;");
    fails(
        () -> update("add #b :n set a = b add e :n"),
        "Invalid UpdateExpression: The \"ADD\" section can only be used once in an update expression;");
    fails(
        () -> update("delete #b :ss set a = b delete #c :ss"),
        "Invalid UpdateExpression: The \"DELETE\" section can only be used once in an update expression;");
  }

  @Test
  void functions() {
    fails(
        () -> update("set #c = if_not_exist(:s) set c = d"),
        "Invalid UpdateExpression: Invalid function name; function: if_not_exist");
    fails(
        () -> update("SET a = f(b, c, d)"),
        "Invalid UpdateExpression: Invalid function name; function: f");
    fails(
        () -> update("SET a = LIST_APPEND(:l, :l)"),
        "Invalid UpdateExpression: Invalid function name; function: LIST_APPEND");
    fails(
        () -> update("SET a = size(b)"),
        "Invalid UpdateExpression: The function is not allowed to be used this way"
            + " in an expression; function: size");
    fails(
        () -> update("SET a = list_append(list_append(:l, :l), :l)"),
        "Invalid UpdateExpression: The function is"
            + " not allowed to be used this way in an expression; function: list_append");
    fails(
        () -> update("set a = if_not_exists(c)"),
        "Invalid UpdateExpression: Incorrect number of operands for"
            + " operator or function; operator or function: if_not_exists, number of operands: 1");
    fails(
        () -> update("set a = list_append(c)"),
        "Invalid UpdateExpression: Incorrect number of operands for"
            + " operator or function; operator or function: list_append, number of operands: 1");
    fails(
        () -> update("set a = if_not_exists(:s, c)"),
        "Invalid UpdateExpression: Operator or function requires a"
            + " document path; operator or function: if_not_exists");
    fails(
        () -> update("set a = if_not_exists(if_not_exists(a, b), c)"),
        "Invalid UpdateExpression: Operator or"
            + " function requires a document path; operator or function: if_not_exists");
    String[][] types = {
      {"list_append(:s, a)", "list_append", "S"},
      {"list_append(a, :n)", "list_append", "N"},
      {"list_append(:b, a)", "list_append", "B"},
      {"list_append(:bool, a)", "list_append", "BOOL"},
      {"list_append(:null, a)", "list_append", "NULL"},
      {"list_append(:ss, a)", "list_append", "SS"},
      {"list_append(:ns, a)", "list_append", "NS"},
      {"list_append(:map, a)", "list_append", "M"},
      {"a + :s", "+", "S"},
      {":s + :n", "+", "S"},
      {":b + a", "+", "B"},
      {"a + :bool", "+", "BOOL"},
      {"a + :null", "+", "NULL"},
      {"a + :ss", "+", "SS"},
      {"a + :ns", "+", "NS"},
      {"a + :map", "+", "M"},
      {"a + :l", "+", "L"},
      {"a - :s", "-", "S"},
      {"a - :l", "-", "L"}
    };
    for (String[] t : types) {
      fails(
          () -> update("set a = " + t[0]),
          "Invalid UpdateExpression: Incorrect operand type for operator or"
              + " function; operator or function: "
              + t[1]
              + ", operand type: "
              + t[2]);
    }
  }

  @Test
  void addAndDeleteOperandTypes() {
    String[][] cases = {
      {"ADD", ":s", "STRING"},
      {"DELETE", ":s", "STRING"},
      {"ADD", ":null", "NULL"},
      {"DELETE", ":null", "NULL"},
      {"ADD", ":bool", "BOOLEAN"},
      {"DELETE", ":bool", "BOOLEAN"},
      {"ADD", ":b", "BINARY"},
      {"DELETE", ":b", "BINARY"},
      {"ADD", ":map", "MAP"},
      {"DELETE", ":map", "MAP"},
      {"ADD", ":l", "LIST"},
      {"DELETE", ":l", "LIST"},
      {"DELETE", ":n", "NUMBER"}
    };
    for (String[] c : cases) {
      fails(
          () -> update(c[0] + " a.b " + c[1]),
          "Invalid UpdateExpression: Incorrect operand type for operator or"
              + " function; operator: "
              + c[0]
              + ", operand type: "
              + c[2]);
    }
    update("ADD a :n");
    update("ADD a :ss, b :ns");
    update("DELETE a :ns");
  }

  @Test
  void overlappingAndConflictingPaths() {
    Placeholders p = Placeholders.of(map("#c", "c", "#d", "[3]"), map(":v", s("x")));
    fails(
        () ->
            ExpressionParser.update(
                "set d[1] = a, d.b = a, c[1].a = a, #c = if_not_exists(a, :v)", p),
        "Invalid UpdateExpression: Two document paths overlap with each other; must remove or rewrite one of these"
            + " paths; path one: [c, [1], a], path two: [c]");
    fails(
        () ->
            ExpressionParser.update(
                "set #c[3].#d = a, #c[3] = a", Placeholders.of(map("#c", "c", "#d", "[3]"), null)),
        "Invalid UpdateExpression: Two document paths overlap"
            + " with each other; must remove or rewrite one of these paths; path one: [c, [3], [3]], path two: [c, [3]]");
    fails(
        () ->
            ExpressionParser.update(
                "set #c[3].#d = a, #c.#d[3] = if_not_exists(a, b)",
                Placeholders.of(map("#c", "c", "#d", "[3]"), null)),
        "Invalid UpdateExpression: Two document paths conflict"
            + " with each other; must remove or rewrite one of these paths; path one: [c, [3], [3]], path two: [c, [3],"
            + " [3]]");
    fails(
        () ->
            ExpressionParser.update(
                "remove a.#c set a[1] = #d", Placeholders.of(map("#c", "c", "#d", "[3]"), null)),
        "Invalid UpdateExpression: Two document paths conflict"
            + " with each other; must remove or rewrite one of these paths; path one: [a, c], path two: [a, [1]]");
    for (String e :
        List.of(
            "SET a = :s REMOVE a",
            "REMOVE a SET a = :s",
            "SET a = :s, a = :t",
            "SET #a = :s, #b.c = :t".replace("#b", "#a"),
            "SET a[1][1] = :s, a[1] = :t",
            "SET a = :s, a.b = :t",
            "ADD a :n DELETE a :ss")) {
      assertThat(catchThrowable(() -> update(e)))
          .as(e)
          .hasMessageContaining("Two document paths overlap with each other");
    }
    for (String e : List.of("SET a.b = :s, a[1] = :t", "SET a.b.c = :s, a.b[2] = :t")) {
      assertThat(catchThrowable(() -> update(e)))
          .as(e)
          .hasMessageContaining("Two document paths conflict with each other");
    }
    update("SET a.b = :s, a.c.d = :t, b.x = :n REMOVE a.x, b.y");
    update("SET a[1] = :s, a[2] = :t REMOVE a[3]");
    update("REMOVE a SET b = a");
  }

  @Test
  void placeholders() {
    fails(
        () -> update("SET #zz = if_not_exists(:zz)"),
        "Invalid UpdateExpression: An expression attribute name used"
            + " in the document path is not defined; attribute name: #zz");
    fails(
        () -> update("SET #a = if_not_exists(:zz)"),
        "Invalid UpdateExpression: An expression attribute value used"
            + " in expression is not defined; attribute value: :zz");
    fails(
        () -> update("SET a = :s, b = #zz"),
        "Invalid UpdateExpression: An expression attribute name used in the"
            + " document path is not defined; attribute name: #zz");
    Placeholders p = Placeholders.of(map("#a", "a", "#b", "b"), map(":a", s("a"), ":b", s("a")));
    ExpressionParser.update("remove a set b = list_append(b, if_not_exists(a, :a))", p);
    ExpressionParser.condition("a = :b", ExpressionKind.CONDITION, p);
    fails(
        p::checkAllUsed,
        "Value provided in ExpressionAttributeNames unused in expressions: keys: {#a, #b}");
  }

  @Test
  void errorPrecedenceFollowsDynamoDb() {
    // reserved before an unknown function before a repeated clause before undefined names and
    // values
    fails(
        () -> update("SET status = f(:zz) SET a = #zz"),
        "Invalid UpdateExpression: Attribute name is a reserved keyword; reserved keyword: status");
    fails(
        () -> update("SET a = f(:zz) SET b = #zz"),
        "Invalid UpdateExpression: Invalid function name; function: f");
    fails(
        () -> update("SET a = :zz SET b = #zz"),
        "Invalid UpdateExpression: The \"SET\" section can only be used once in an update expression;");
    fails(
        () -> update("SET a = :zz, b = #zz"),
        "Invalid UpdateExpression: An expression attribute name used in the"
            + " document path is not defined; attribute name: #zz");
    // overlap before operand types before function operands
    fails(
        () -> update("SET a = b + :s ADD c :s REMOVE a"),
        "Invalid UpdateExpression: Two document paths overlap"
            + " with each other; must remove or rewrite one of these paths; path one: [a], path two: [a]");
    fails(
        () -> update("SET a = b + :s ADD c :s"),
        "Invalid UpdateExpression: Incorrect operand type for operator or"
            + " function; operator: ADD, operand type: STRING");
  }

  @Test
  void emptyAndOversized() {
    fails(() -> update(""), "Invalid UpdateExpression: The expression can not be empty;");
    String big = "SET a" + "z".repeat(4096) + " = :s";
    fails(
        () -> update(big),
        "Invalid UpdateExpression: Expression size has exceeded the maximum allowed size;");
  }
}
