package dev.coffer.cli.input;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import dev.coffer.cli.CliInputException;
import dev.coffer.cli.ErrorLines;
import dev.coffer.testkit.fuzz.FuzzText;

/**
 * Fuzz target: the JSON a user gives the command line ({@link UserJson#parse}, {@link
 * UserJson#parameter}).
 *
 * <p><b>Documented exceptions:</b> {@link UserJson.InvalidJsonException} from {@code parse} and
 * {@link CliInputException} ({@code Error parsing parameter '--item': Invalid JSON: ...}) from
 * {@code parameter}, never Jackson's own exceptions or a {@link StackOverflowError}; the message is
 * one printable line of at most 1000 characters ({@link ErrorLines}). What parses prints back as
 * JSON that parses to the same tree.
 *
 * <p><b>Input:</b> the JSON text ({@link FuzzText}).
 */
public class UserJsonFuzzTest {
  @FuzzTest(maxDuration = "30s")
  void fuzz(byte[] input) {
    check(input);
  }

  /** The check of one input (see the class comment). */
  public static void check(byte[] input) {
    String text = FuzzText.of(input);
    JsonNode node;
    try {
      node = UserJson.parse(text);
    } catch (UserJson.InvalidJsonException e) {
      ErrorLines.assertPrintableLine(e.getMessage());
      try {
        UserJson.parameter("--item", "--item-value", text);
        throw new AssertionError("parse refused what parameter accepted: " + text);
      } catch (CliInputException p) {
        assertThat(p.getMessage()).startsWith("Error parsing parameter '--item': Invalid JSON: ");
        ErrorLines.assertPrintableLine(p.getMessage());
      }
      return;
    }
    assertThat(UserJson.parse(node.toString())).isEqualTo(node);
    assertThat(UserJson.parameter("--item", "--item-value", text)).isEqualTo(node);
  }
}
