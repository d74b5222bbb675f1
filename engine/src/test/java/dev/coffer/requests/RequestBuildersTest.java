package dev.coffer.requests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coffer.AttributeValue;
import dev.coffer.Condition;
import dev.coffer.DeleteItemRequest;
import dev.coffer.Item;
import dev.coffer.Key;
import dev.coffer.Projection;
import dev.coffer.PutItemRequest;
import dev.coffer.Query;
import dev.coffer.QueryRequest;
import dev.coffer.ReturnValue;
import dev.coffer.ReturnValuesOnConditionCheckFailure;
import dev.coffer.Scan;
import dev.coffer.ScanRequest;
import dev.coffer.Select;
import dev.coffer.Update;
import dev.coffer.UpdateItemRequest;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The request value types as a user outside {@code dev.coffer} sees them (this test's package is
 * another one on purpose): the members Query and Scan requests share, and those the three item
 * writes share, live in package-private base classes, yet every builder method and accessor is
 * callable on the public types, chains in the request's own builder type, and is found by
 * reflection on the public types; builders round-trip through {@code toBuilder()}, every field
 * takes part in {@code equals} and {@code hashCode}, and the defaults are DynamoDB's.
 */
class RequestBuildersTest {
  private static final Condition IS_A = Condition.path("a").eq(AttributeValue.n(1));
  private static final Condition HAS_B = Condition.attributeExists("b");
  private static final Projection PROJECTION = Projection.attributes("a", "b");

  @Test
  void queryAndScanRequestsShareFilterProjectionSelectAndConsistentRead() {
    // inherited builder methods first, then the request's own: the chain keeps its type
    QueryRequest q =
        QueryRequest.builder()
            .filter(IS_A)
            .projection(PROJECTION)
            .select(Select.SPECIFIC_ATTRIBUTES)
            .consistentRead(true)
            .query(Query.partition("p").limit(5))
            .build();
    assertThat(q.filter()).isEqualTo(IS_A);
    assertThat(q.projection()).isEqualTo(PROJECTION);
    assertThat(q.select()).isEqualTo(Select.SPECIFIC_ATTRIBUTES);
    assertThat(q.consistentRead()).isTrue();
    assertThat(q.query()).isEqualTo(Query.partition("p").limit(5));
    assertThat(q.toBuilder().build()).isEqualTo(q).hasSameHashCodeAs(q);
    assertThat(q.toString())
        .startsWith("QueryRequest[" + q.query())
        .contains(", filter=" + IS_A, ", projection=" + PROJECTION, ", select=SPECIFIC_ATTRIBUTES");
    for (QueryRequest other :
        List.of(
            q.toBuilder().query(Query.partition("o")).build(),
            q.toBuilder().filter(HAS_B).build(),
            q.toBuilder().projection(null).build(),
            q.toBuilder().select(Select.COUNT).build(),
            q.toBuilder().consistentRead(false).build())) {
      assertThat(other).isNotEqualTo(q);
    }
    assertThatThrownBy(() -> QueryRequest.builder().filter(IS_A).build())
        .isInstanceOf(NullPointerException.class)
        .hasMessage("query");

    ScanRequest s =
        ScanRequest.builder()
            .select(Select.COUNT)
            .filter(HAS_B)
            .consistentRead(true)
            .scan(Scan.all().limit(3))
            .build();
    assertThat(s.filter()).isEqualTo(HAS_B);
    assertThat(s.projection()).isNull();
    assertThat(s.select()).isEqualTo(Select.COUNT);
    assertThat(s.consistentRead()).isTrue();
    assertThat(s.toBuilder().build()).isEqualTo(s).hasSameHashCodeAs(s);
    assertThat(s.toString())
        .isEqualTo("ScanRequest[" + s.scan() + ", filter=" + HAS_B + ", select=COUNT]");
    assertThat(s.toBuilder().consistentRead(false).build()).isNotEqualTo(s);
    assertThat(s.toBuilder().projection(PROJECTION).build()).isNotEqualTo(s);
    ScanRequest plain = ScanRequest.builder().build();
    assertThat(plain.scan()).isEqualTo(Scan.all());
    assertThat(plain.filter()).isNull();
    assertThat(plain.select()).isNull();
    assertThat(plain.consistentRead()).isFalse();
    assertThat(plain).isEqualTo(ScanRequest.builder().scan(null).build());
  }

  @Test
  void itemWritesShareConditionReturnValuesAndReturnValuesOnConditionCheckFailure() {
    Item item = Item.builder().string("pk", "k").number("a", 1).build();
    PutItemRequest put =
        PutItemRequest.builder()
            .condition(IS_A)
            .returnValues(ReturnValue.ALL_OLD)
            .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)
            .item(item)
            .build();
    assertThat(put.item()).isEqualTo(item);
    assertThat(put.condition()).isEqualTo(IS_A);
    assertThat(put.returnValues()).isEqualTo(ReturnValue.ALL_OLD);
    assertThat(put.returnValuesOnConditionCheckFailure())
        .isEqualTo(ReturnValuesOnConditionCheckFailure.ALL_OLD);
    assertThat(put.toBuilder().build()).isEqualTo(put).hasSameHashCodeAs(put);
    assertThat(put.toString())
        .isEqualTo(
            "PutItemRequest[item=" + item + ", condition=" + IS_A + ", returnValues=ALL_OLD]");
    assertThat(put.toBuilder().item(item.toBuilder().number("a", 2).build()).build())
        .isNotEqualTo(put);
    assertThat(put.toBuilder().condition(HAS_B).build()).isNotEqualTo(put);
    assertThat(put.toBuilder().returnValues(ReturnValue.NONE).build()).isNotEqualTo(put);
    assertThat(
            put.toBuilder()
                .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.NONE)
                .build())
        .isNotEqualTo(put);
    PutItemRequest plainPut = PutItemRequest.builder().item(item).build();
    assertThat(plainPut.condition()).isNull();
    assertThat(plainPut.returnValues()).isEqualTo(ReturnValue.NONE);
    assertThat(plainPut.returnValuesOnConditionCheckFailure())
        .isEqualTo(ReturnValuesOnConditionCheckFailure.NONE);
    assertThat(plainPut.toString())
        .isEqualTo("PutItemRequest[item=" + item + ", returnValues=NONE]");
    assertThatThrownBy(() -> PutItemRequest.builder().condition(IS_A).build())
        .isInstanceOf(NullPointerException.class)
        .hasMessage("item");

    DeleteItemRequest delete =
        DeleteItemRequest.builder().returnValues(ReturnValue.ALL_OLD).key(Key.of("k")).build();
    assertThat(delete.key()).isEqualTo(Key.of("k"));
    assertThat(delete.condition()).isNull();
    assertThat(delete.toBuilder().build()).isEqualTo(delete).hasSameHashCodeAs(delete);
    assertThat(delete.toBuilder().key(Key.of("j")).build()).isNotEqualTo(delete);
    assertThat(delete.toBuilder().condition(IS_A).build()).isNotEqualTo(delete);
    assertThat(delete.toString())
        .isEqualTo("DeleteItemRequest[key=" + Key.of("k") + ", returnValues=ALL_OLD]");
    assertThatThrownBy(() -> DeleteItemRequest.builder().build())
        .isInstanceOf(NullPointerException.class)
        .hasMessage("key");

    Update add = Update.builder().add("a", AttributeValue.n(1)).build();
    UpdateItemRequest update =
        UpdateItemRequest.builder()
            .condition(HAS_B)
            .returnValues(ReturnValue.UPDATED_NEW)
            .key(Key.of("k"))
            .update(add)
            .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)
            .build();
    assertThat(update.update()).isEqualTo(add);
    assertThat(update.returnValues()).isEqualTo(ReturnValue.UPDATED_NEW);
    assertThat(update.toBuilder().build()).isEqualTo(update).hasSameHashCodeAs(update);
    assertThat(update.toBuilder().update(null).build()).isNotEqualTo(update);
    assertThat(update.toBuilder().key(Key.of("j")).build()).isNotEqualTo(update);
    assertThat(update.toString())
        .isEqualTo(
            "UpdateItemRequest[key="
                + Key.of("k")
                + ", update="
                + add
                + ", condition="
                + HAS_B
                + ", returnValues=UPDATED_NEW]");
    // equal requests of different kinds are not equal
    assertThat(DeleteItemRequest.builder().key(Key.of("k")).build())
        .isNotEqualTo(UpdateItemRequest.builder().key(Key.of("k")).build());
  }

  /** Frameworks that build requests by reflection find the shared members on the public types. */
  @Test
  void sharedMembersAreReachableByReflectionOnThePublicTypes() throws Exception {
    Method filter = QueryRequest.Builder.class.getMethod("filter", Condition.class);
    assertThat(Modifier.isPublic(filter.getDeclaringClass().getModifiers())).isTrue();
    QueryRequest.Builder b = QueryRequest.builder().query(Query.partition("p"));
    assertThat(filter.invoke(b, IS_A)).isSameAs(b);
    assertThat(QueryRequest.class.getMethod("filter").invoke(b.build())).isEqualTo(IS_A);
    Method returnValues =
        UpdateItemRequest.Builder.class.getMethod("returnValues", ReturnValue.class);
    UpdateItemRequest.Builder u = UpdateItemRequest.builder().key(Key.of("k"));
    assertThat(returnValues.invoke(u, ReturnValue.ALL_NEW)).isSameAs(u);
    assertThat(UpdateItemRequest.class.getMethod("returnValues").invoke(u.build()))
        .isEqualTo(ReturnValue.ALL_NEW);
  }
}
