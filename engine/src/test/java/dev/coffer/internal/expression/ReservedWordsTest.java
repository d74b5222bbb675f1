package dev.coffer.internal.expression;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.coffer.AttributeValue;
import dev.coffer.ValidationException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/**
 * Every one of DynamoDB's 573 reserved words is refused bare, in any case, in every expression
 * kind.
 */
class ReservedWordsTest {
  private static List<String> words() throws IOException {
    try (InputStream in = ReservedWords.class.getResourceAsStream("reserved-words.txt")) {
      List<String> words = new ArrayList<>();
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        if (!line.isBlank() && !line.startsWith("#")) {
          words.add(line.trim());
        }
      }
      return words;
    }
  }

  @Test
  void everyReservedWordIsRefusedBare() throws IOException {
    List<String> words = words();
    assertThat(words).hasSize(573).doesNotHaveDuplicates();
    Set<String> conditionKeywords = ConditionParser.KEYWORDS;
    Set<String> updateKeywords = UpdateParser.KEYWORDS;
    for (String upper : words) {
      for (String word :
          List.of(
              upper,
              upper.toLowerCase(Locale.ROOT),
              upper.charAt(0) + upper.substring(1).toLowerCase(Locale.ROOT))) {
        String reserved = "Attribute name is a reserved keyword; reserved keyword: " + word;
        if (!conditionKeywords.contains(upper)) {
          assertThat(
                  message(
                      () ->
                          ExpressionParser.condition(
                              "a." + word + " = :v",
                              ExpressionKind.FILTER,
                              Placeholders.of(null, Map.of(":v", AttributeValue.n(1))))))
              .isEqualTo("Invalid FilterExpression: " + reserved);
        }
        if (!updateKeywords.contains(upper)) {
          assertThat(message(() -> ExpressionParser.update("REMOVE " + word, Placeholders.none())))
              .isEqualTo("Invalid UpdateExpression: " + reserved);
        }
        assertThat(message(() -> ExpressionParser.projection("x, " + word, Placeholders.none())))
            .isEqualTo("Invalid ProjectionExpression: " + reserved);
        assertThat(ReservedWords.isReserved(word)).isTrue();
        // through a placeholder the word is an ordinary name
        assertThat(ExpressionParser.projection("#w", Placeholders.of(Map.of("#w", word), null)))
            .containsExactly(DocPath.of(word));
      }
    }
  }

  @Test
  void grammarKeywordsAreSyntaxErrorsWhereTheyCannotBeNames() {
    for (String k : ConditionParser.KEYWORDS) {
      assertThat(
              message(
                  () ->
                      ExpressionParser.condition(
                          k.toLowerCase(Locale.ROOT) + " = :v",
                          ExpressionKind.CONDITION,
                          Placeholders.of(null, Map.of(":v", AttributeValue.n(1))))))
          .startsWith("Invalid ConditionExpression: Syntax error; token: ");
    }
    for (String k : UpdateParser.KEYWORDS) {
      assertThat(message(() -> ExpressionParser.update("REMOVE " + k, Placeholders.none())))
          .startsWith("Invalid UpdateExpression: Syntax error; token: ");
    }
  }

  private static String message(ThrowingCallable call) {
    Throwable t = catchThrowable(call);
    assertThat(t).isInstanceOf(ValidationException.class);
    return t.getMessage();
  }
}
