package dev.coffer.internal.expression;

import static dev.coffer.internal.expression.Fixtures.fails;
import static dev.coffer.internal.expression.Fixtures.map;
import static dev.coffer.internal.expression.Fixtures.n;
import static dev.coffer.internal.expression.Fixtures.s;
import static org.assertj.core.api.Assertions.assertThat;

import dev.coffer.AttributeType;
import dev.coffer.AttributeValue;
import dev.coffer.KeySchema;
import dev.coffer.Query;
import dev.coffer.Query.SortCondition;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Key condition expressions: every form a Query takes, and every error with DynamoDB's message. */
class KeyConditionsTest {
  private static final KeySchema SCHEMA =
      KeySchema.of("pk", AttributeType.S, "sk", AttributeType.N);
  private static final KeySchema HASH_ONLY = KeySchema.of("pk", AttributeType.S);
  private static final Map<String, AttributeValue> VALUES =
      map(
          ":a",
          s("a"),
          ":one",
          n(1),
          ":two",
          n(2),
          ":s",
          s("x"),
          ":bool",
          AttributeValue.bool(true),
          ":ss",
          AttributeValue.ss("x"),
          ":l",
          AttributeValue.l(n(1)));

  private static Query query(String expression) {
    return query(expression, SCHEMA);
  }

  private static Query query(String expression, KeySchema schema) {
    Placeholders p = Placeholders.of(map("#p", "pk", "#s", "sk"), VALUES);
    return KeyConditions.toQuery(
        ExpressionParser.condition(expression, ExpressionKind.KEY_CONDITION, p), schema);
  }

  @Test
  void partitionOnly() {
    Query q = query("pk = :a");
    assertThat(q.partitionKey()).isEqualTo(s("a"));
    assertThat(q.sortCondition()).isNull();
    assertThat(query(" pk  =   :a ", HASH_ONLY).partitionKey()).isEqualTo(s("a"));
    assertThat(query(":a = pk").partitionKey()).isEqualTo(s("a"));
  }

  @Test
  void everySortConditionInAnyOrderCaseAndParentheses() {
    assertThat(query("pk=:a and sk<:one").sortCondition()).isEqualTo(SortCondition.LESS_THAN);
    assertThat(query("sk <= :one AND pk = :a").sortCondition())
        .isEqualTo(SortCondition.LESS_THAN_OR_EQUAL);
    assertThat(query("(#p = :a) AND (#s > :one)").sortCondition())
        .isEqualTo(SortCondition.GREATER_THAN);
    assertThat(query("((sk = :one) AND (pk = :a))").sortCondition())
        .isEqualTo(SortCondition.EQUALS);
    assertThat(query("pk = :a AND sk >= :one").sortCondition())
        .isEqualTo(SortCondition.GREATER_THAN_OR_EQUAL);
    Query between = query("pk = :a AnD sk BeTwEeN :one aNd :two");
    assertThat(between.sortCondition()).isEqualTo(SortCondition.BETWEEN);
    assertThat(between.sortValues()).containsExactly(n(1), n(2));
    KeySchema stringSort = KeySchema.of("pk", AttributeType.S, "sk", AttributeType.S);
    Query prefix = query("pk = :a AND begins_with ( #s , :s )", stringSort);
    assertThat(prefix.sortCondition()).isEqualTo(SortCondition.BEGINS_WITH);
    assertThat(prefix.sortValues()).containsExactly(s("x"));
  }

  @Test
  void valueFirstComparisonsAreFlipped() {
    assertThat(query(":a = pk AND :one < sk").sortCondition())
        .isEqualTo(SortCondition.GREATER_THAN);
    assertThat(query(":a = pk AND :one <= sk").sortCondition())
        .isEqualTo(SortCondition.GREATER_THAN_OR_EQUAL);
    assertThat(query(":a = pk AND :one > sk").sortCondition()).isEqualTo(SortCondition.LESS_THAN);
    assertThat(query(":a = pk AND :one >= sk").sortCondition())
        .isEqualTo(SortCondition.LESS_THAN_OR_EQUAL);
    assertThat(query(":a = pk AND :one = sk").sortCondition()).isEqualTo(SortCondition.EQUALS);
  }

  @Test
  void operatorsThatAreNotKeyConditions() {
    fails(
        () -> query("pk = :a OR sk = :one"), "Invalid operator used in KeyConditionExpression: OR");
    fails(
        () -> query("NOT sk = :one AND pk = :a"),
        "Invalid operator used in KeyConditionExpression: NOT");
    fails(
        () -> query("pk = :a AND sk IN (:one)"),
        "Invalid operator used in KeyConditionExpression: IN");
    fails(
        () -> query("pk = :a AND sk <> :one"),
        "Invalid operator used in KeyConditionExpression: <>");
    fails(
        () -> query("pk = :a AND attribute_exists(sk)"),
        "Invalid operator used in KeyConditionExpression: attribute_exists");
    fails(
        () -> query("pk = :a AND contains(sk, :one)"),
        "Invalid operator used in KeyConditionExpression: contains");
    fails(
        () -> query("pk = :a AND size(sk) = :one"),
        "KeyConditionExpressions cannot contain nested operations");
    fails(
        () -> query("pk = :a AND dog(sk, :one)"),
        "Invalid KeyConditionExpression: Invalid function name; function:" + " dog");
  }

  @Test
  void malformedConditions() {
    fails(
        () -> query("pk = :a AND :one BETWEEN sk AND :two"),
        "Invalid condition in KeyConditionExpression: BETWEEN"
            + " operator must have the key attribute as its first operand");
    fails(
        () -> query("pk = :a AND begins_with(:s, sk)"),
        "Invalid condition in KeyConditionExpression: begins_with"
            + " operator must have the key attribute as its first operand");
    fails(
        () -> query("pk = sk"),
        "Invalid condition in KeyConditionExpression: Multiple attribute names used in one"
            + " condition");
    fails(
        () -> query("pk = :a AND sk.x = :one"),
        "KeyConditionExpressions cannot have conditions on nested" + " attributes");
    fails(
        () -> query("pk[0] = :a"),
        "KeyConditionExpressions cannot have conditions on nested attributes");
    fails(
        () -> query("#p.foo = :a"),
        "KeyConditionExpressions cannot have conditions on nested attributes");
    fails(
        () -> query("foo.bar = :a"),
        "KeyConditionExpressions cannot have conditions on nested attributes");
    fails(
        () -> query("pk.foo > :a"),
        "KeyConditionExpressions cannot have conditions on nested attributes");
    fails(
        () -> query(":a = :s"),
        "Invalid condition in KeyConditionExpression: No key attribute specified");
    fails(
        () -> query("pk = :a AND pk = :a"),
        "KeyConditionExpressions must only contain one condition per key");
    fails(
        () -> query("pk = :a AND sk >= :one AND sk >= :one"),
        "KeyConditionExpressions must only contain one condition per key");
    fails(
        () -> query("pk = :a AND sk = :one AND x = :two"),
        "Conditions can be of length 1 or 2 only");
    fails(
        () -> query("data.foo = :a"),
        "Invalid KeyConditionExpression: Attribute name is a reserved keyword;"
            + " reserved keyword: data");
  }

  @Test
  void valueTypes() {
    fails(
        () -> query("pk = :a AND sk < :bool"),
        "Invalid KeyConditionExpression: Incorrect operand type for operator"
            + " or function; operator or function: <, operand type: BOOL");
    fails(
        () -> query("pk = :a AND begins_with(sk, :one)"),
        "Invalid KeyConditionExpression: Incorrect operand type"
            + " for operator or function; operator or function: begins_with, operand type: N");
    fails(
        () -> query("pk = :bool"),
        "One or more parameter values were invalid: ComparisonOperator EQ is not valid"
            + " for BOOL AttributeValue type");
    fails(
        () -> query("pk = :l"),
        "One or more parameter values were invalid: ComparisonOperator EQ is not valid"
            + " for L AttributeValue type");
    fails(
        () -> query("pk = :a AND sk BETWEEN :two AND :one"),
        "Invalid KeyConditionExpression: The BETWEEN operator"
            + " requires upper bound to be greater than or equal to lower bound; lower bound operand: AttributeValue:"
            + " {N:2}, upper bound operand: AttributeValue: {N:1}");
  }

  @Test
  void keySchemaErrorsSayWhichAttributeAndOperator() {
    fails(() -> query("sk = :one"), "Query condition missed key schema element: pk");
    fails(() -> query("foo = :one"), "Query condition missed key schema element: pk");
    fails(() -> query("pk = :a AND foo = :one"), "Query condition missed key schema element: sk");
    fails(
        () -> query("pk < :a"),
        "Query key condition not supported; the partition key pk takes only =, not <");
    fails(
        () -> query("begins_with(pk, :a)"),
        "Query key condition not supported; the partition key pk takes only =, not begins_with");
    fails(
        () -> query("pk = :a AND sk = :one", HASH_ONLY),
        "Query key condition not supported; the table's only key attribute is pk, but the condition also names sk");
    fails(
        () -> query("pk = :one"),
        "One or more parameter values were invalid: Condition parameter type does not"
            + " match schema type; key: pk, schema type: S, value type: N, operator: =");
    fails(
        () -> query("pk = :a AND sk = :s"),
        "One or more parameter values were invalid: Condition parameter type"
            + " does not match schema type; key: sk, schema type: N, value type: S, operator: =");
    fails(
        () -> query("pk = :ss"),
        "One or more parameter values were invalid: Condition parameter type does not"
            + " match schema type; key: pk, schema type: S, value type: SS, operator: =");
  }

  @Test
  void placeholderErrors() {
    fails(
        () -> query("pk = :zz"),
        "Invalid KeyConditionExpression: An expression attribute value used in expression"
            + " is not defined; attribute value: :zz");
    fails(
        () -> query("#q = :a"),
        "Invalid KeyConditionExpression: An expression attribute name used in the document"
            + " path is not defined; attribute name: #q");
    fails(
        () -> query("pk = :a AND sk BETWEEN :one"),
        "Invalid KeyConditionExpression: Syntax error; token:" + " \"<EOF>\", near: \":one\"");
    fails(
        () -> query("pk = 'a'"),
        "Invalid KeyConditionExpression: Syntax error; token: \"'\", near: \"= 'a\"");
    fails(
        () -> query("pk = pk"),
        "Invalid KeyConditionExpression: The first operand must be distinct from the"
            + " remaining operands for this operator or function; operator: =, first operand: [pk]");
    fails(
        () -> query("p=:a AND c!=:one"),
        "Invalid KeyConditionExpression: Syntax error; token: \"!\", near:" + " \"c!=\"");
  }
}
