package dev.coffer.internal.expression;

import static dev.coffer.internal.expression.Fixtures.fails;
import static dev.coffer.internal.expression.Fixtures.map;
import static dev.coffer.internal.expression.Fixtures.s;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** DynamoDB's checks of ExpressionAttributeNames and ExpressionAttributeValues themselves. */
class PlaceholdersTest {
  @Test
  void namesMap() {
    fails(() -> Placeholders.of(Map.of(), null), "ExpressionAttributeNames must not be empty");
    fails(
        () -> Placeholders.of(map("a", "a"), null),
        "ExpressionAttributeNames contains invalid key: Syntax error; key:" + " \"a\"");
    fails(
        () -> Placeholders.of(map("#", "a"), null),
        "ExpressionAttributeNames contains invalid key: Syntax error; key:" + " \"#\"");
    fails(
        () -> Placeholders.of(map("#a-b", "a"), null),
        "ExpressionAttributeNames contains invalid key: Syntax error;" + " key: \"#a-b\"");
    fails(
        () -> Placeholders.of(map("#" + "a".repeat(255), "a"), null),
        "ExpressionAttributeNames contains invalid key:"
            + " The expression attribute map contains a key that is too long; size of key: 256");
    fails(
        () -> Placeholders.of(map("#" + "a".repeat(255) + "-x", "a"), null),
        "ExpressionAttributeNames contains"
            + " invalid key: The expression attribute map contains a key that is too long; size of key: 258");
    fails(
        () -> Placeholders.of(map("#a", ""), null),
        "ExpressionAttributeNames contains invalid value: Empty" + " attribute name for key #a");
    Placeholders.of(map("#a_1", "x", "#1", "y", "#_", "z", "#" + "a".repeat(254), "w"), null);
  }

  @Test
  void valuesMap() {
    fails(() -> Placeholders.of(null, Map.of()), "ExpressionAttributeValues must not be empty");
    fails(
        () -> Placeholders.of(null, map("b", s("a"))),
        "ExpressionAttributeValues contains invalid key: Syntax error;" + " key: \"b\"");
    fails(
        () -> Placeholders.of(null, map(":", s("a"))),
        "ExpressionAttributeValues contains invalid key: Syntax error;" + " key: \":\"");
    fails(
        () -> Placeholders.of(null, map(":" + "a".repeat(255), s("a"))),
        "ExpressionAttributeValues contains invalid"
            + " key: The expression attribute map contains a key that is too long;");
    Placeholders.of(null, map(":123", s("x"), ":_", s("y")));
  }
}
