package dev.coffer.cli.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coffer.AttributeType;
import dev.coffer.AttributeValue;
import dev.coffer.KeySchema;
import dev.coffer.Query;
import dev.coffer.Query.SortCondition;
import dev.coffer.ValidationException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The key condition and projection parsers on their own. */
class KeyConditionExpressionTest {
  private static final KeySchema SCHEMA = KeySchema.of("pk", AttributeType.S, "sk", AttributeType.N);
  private static final AttributeValue A = AttributeValue.s("a");
  private static final AttributeValue ONE = AttributeValue.n(1);
  private static final AttributeValue TWO = AttributeValue.n(2);

  private static ExpressionAttributes attrs() {
    return new ExpressionAttributes(Map.of("#p", "pk", "#s", "sk"), Map.of(":a", A, ":one", ONE, ":two", TWO));
  }

  private static Query parse(String expression) {
    return KeyConditionExpression.parse(expression, attrs(), SCHEMA);
  }

  @Test
  void partitionOnly() {
    Query q = parse("pk = :a");
    assertThat(q.partitionKey()).isEqualTo(A);
    assertThat(q.sortCondition()).isNull();
  }

  @Test
  void everyComparatorWithAnyOrderCaseAndParentheses() {
    assertThat(parse("pk=:a and sk<:one").sortCondition()).isEqualTo(SortCondition.LESS_THAN);
    assertThat(parse("sk <= :one AND pk = :a").sortCondition()).isEqualTo(SortCondition.LESS_THAN_OR_EQUAL);
    assertThat(parse("(#p = :a) AND (#s > :one)").sortCondition()).isEqualTo(SortCondition.GREATER_THAN);
    assertThat(parse("pk = :a AND sk >= :one").sortCondition()).isEqualTo(SortCondition.GREATER_THAN_OR_EQUAL);
    assertThat(parse("pk = :a AND sk = :one").sortCondition()).isEqualTo(SortCondition.EQUALS);
    Query between = parse("pk = :a AND sk between :one and :two");
    assertThat(between.sortCondition()).isEqualTo(SortCondition.BETWEEN);
    assertThat(between.sortValues()).containsExactly(ONE, TWO);
    Query prefix = parse("pk = :a AND BEGINS_WITH ( #s , :one )");
    assertThat(prefix.sortCondition()).isEqualTo(SortCondition.BEGINS_WITH);
  }

  @Test
  void rejectsWhatDynamoDbRejects() {
    assertThatThrownBy(() -> parse("sk = :one")).isInstanceOf(ValidationException.class)
        .hasMessage("Query condition missed key schema element: pk");
    assertThatThrownBy(() -> parse("pk <> :a")).hasMessageContaining("Invalid operator");
    assertThatThrownBy(() -> parse("pk = :a AND sk = :one AND sk = :two")).hasMessageContaining("not supported");
    assertThatThrownBy(() -> parse("pk = :a AND pk = :a")).hasMessage("Query key condition not supported");
    assertThatThrownBy(() -> parse("pk = :a AND other = :one")).hasMessage("Query key condition not supported");
    assertThatThrownBy(() -> parse("pk = :a AND sk.x = :one")).hasMessageContaining("nested paths");
    assertThatThrownBy(() -> parse("pk = :zz")).hasMessageContaining("attribute value: :zz");
    assertThatThrownBy(() -> parse("#q = :a")).hasMessageContaining("attribute name: #q");
    assertThatThrownBy(() -> parse("pk = :a AND sk BETWEEN :one")).hasMessageContaining("<EOF>");
    assertThatThrownBy(() -> parse("pk = 'a'")).hasMessageContaining("Syntax error");
    assertThatThrownBy(() -> parse("pk = pk")).hasMessageContaining("expected an expression attribute value");
  }

  @Test
  void unusedPlaceholdersAreReported() {
    ExpressionAttributes a = attrs();
    KeyConditionExpression.parse("pk = :a", a, SCHEMA);
    assertThatThrownBy(a::checkAllUsed).hasMessageContaining("ExpressionAttributeNames unused")
        .hasMessageContaining("#p");
  }

  @Test
  void projections() {
    assertThat(ProjectionExpression.parse("pk, #s ,other", attrs())).containsExactly("pk", "sk", "other");
    assertThatThrownBy(() -> ProjectionExpression.parse("a[0]", attrs())).hasMessageContaining("nested paths");
    assertThatThrownBy(() -> ProjectionExpression.parse("a b", attrs())).hasMessageContaining("Syntax error");
    assertThat(ProjectionExpression.parse("x", ExpressionAttributes.none())).isEqualTo(List.of("x"));
  }
}
