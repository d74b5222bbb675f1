package dev.coffer.cli.input;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/**
 * Jackson's size limits are reported as what they are, and do not refuse what DynamoDB accepts: a
 * member name of 64 KB (an attribute name DynamoDB allows) reads; a name or number beyond the
 * limits is named as such, not as "nested more than 1000 levels deep" (found by the bad-input
 * matrix, docs/fuzzing.md).
 */
class UserJsonLimitsTest {
  @Test
  void aMemberNameOf64KilobytesReads() {
    String name = "n".repeat(65_535);
    assertThat(UserJson.parse("{\"" + name + "\": {\"S\": \"x\"}}").has(name)).isTrue();
  }

  @Test
  void aNameOverTheLimitIsNamedAsSuch() {
    assertThatThrownBy(
            () -> UserJson.parse("{\"" + "n".repeat(UserJson.MAX_NAME_CHARS + 1) + "\": 1}"))
        .isInstanceOf(UserJson.InvalidJsonException.class)
        .hasMessage("a member name is longer than " + UserJson.MAX_NAME_CHARS + " characters");
  }

  @Test
  void aNumberOverTheLimitIsNamedAsSuch() {
    assertThatThrownBy(() -> UserJson.parse("[" + "1".repeat(1001) + "]"))
        .isInstanceOf(UserJson.InvalidJsonException.class)
        .hasMessage("a number is longer than 1000 characters");
  }

  @Test
  void deepNestingIsStillNamedAsSuch() {
    assertThatThrownBy(() -> UserJson.parse("[".repeat(1001) + "]".repeat(1001)))
        .isInstanceOf(UserJson.InvalidJsonException.class)
        .hasMessage("nested more than 1000 levels deep");
  }
}
