package dev.coffer.cli.output;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import dev.coffer.cli.CliInputException;
import dev.coffer.cli.ErrorLines;
import dev.coffer.cli.input.UserJson;
import dev.coffer.testkit.fuzz.FuzzText;

/**
 * Fuzz target: {@code --query}, a JMESPath expression the user types ({@link
 * JmesPathQuery#compile}, then {@link JmesPathQuery#apply} to a response).
 *
 * <p><b>Documented exceptions:</b> {@link CliInputException} ({@code Bad value for --query ...}:
 * bad usage, exit 2) only, whether the expression does not compile or fails on the response; never
 * the library's own exceptions or a {@link StackOverflowError}. Messages are one printable line of
 * at most 1000 characters.
 *
 * <p><b>Input:</b> the expression ({@link FuzzText}).
 */
public class JmesPathQueryFuzzTest {
  private static final JsonNode RESPONSE =
      UserJson.parse(
          "{\"Items\": [{\"pk\": {\"S\": \"a\"}, \"n\": {\"N\": \"1\"},"
              + " \"l\": {\"L\": [{\"S\": \"x\"}, {\"BOOL\": true}]}}, {\"pk\": {\"S\": \"b\"}}], \"Count\": 2,"
              + " \"ScannedCount\": 2, \"ConsumedCapacity\": null, \"KeyMetadata\": {\"KeyId\": \"k\", \"Enabled\": true,"
              + " \"CreationDate\": 1.5, \"EncryptionAlgorithms\": [\"SYMMETRIC_DEFAULT\"]}}");

  @FuzzTest(maxDuration = "30s")
  void fuzz(byte[] input) {
    check(input);
  }

  /** The check of one input (see the class comment). */
  public static void check(byte[] input) {
    String text = FuzzText.of(input);
    try {
      JmesPathQuery.compile(text).apply(RESPONSE);
    } catch (CliInputException e) {
      assertThat(e.getMessage()).startsWith("Bad value for --query ");
      ErrorLines.assertPrintableLine(e.getMessage());
    }
  }
}
