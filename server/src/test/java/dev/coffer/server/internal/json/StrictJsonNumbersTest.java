package dev.coffer.server.internal.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coffer.server.internal.dynamodb.DynamoDbProtocol;
import dev.coffer.server.internal.http.ProtocolHandler.Answer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * A number Jackson reads as a token but cannot convert (an exponent beyond an int) is a body error:
 * {@link StrictJson.JsonSyntaxException}, and a {@code SerializationException} (HTTP 400) from the
 * protocol, not a {@link NumberFormatException} answered 500 (found by {@code
 * DynamoDbProtocolFuzzTest}, docs/fuzzing.md).
 */
class StrictJsonNumbersTest {
  @Test
  void anExponentBeyondAnIntIsASyntaxError() {
    for (String body :
        new String[] {
          "{\"Limit\": 1E-4456786789}", "[1e99999999999]", "{\"a\": [0.5E+2147483648]}"
        }) {
      assertThatThrownBy(() -> StrictJson.parse(body.getBytes(StandardCharsets.UTF_8)))
          .as(body)
          .isInstanceOf(StrictJson.JsonSyntaxException.class)
          .hasMessageStartingWith(
              "The request body holds a number that cannot be read at line 1, column ");
    }
  }

  @Test
  void ordinaryNumbersStillParse() {
    assertThat(
            StrictJson.parse("[1e400, -2, 12345678901234567890]".getBytes(StandardCharsets.UTF_8))
                .toString())
        .isEqualTo("[1E+400,-2,12345678901234567890]");
  }

  @Test
  void theProtocolAnswersSerializationException() {
    DynamoDbProtocol protocol =
        new DynamoDbProtocol(null, "us-east-1", "111122223333", principal -> {});
    Answer a =
        protocol.handle(
            "DynamoDB_20120810.Scan",
            "Scan",
            "application/x-amz-json-1.0",
            "{\"TableName\": \"Music\", \"Limit\": 1E-4456786789}".getBytes(StandardCharsets.UTF_8),
            "root");
    assertThat(a.status()).isEqualTo(400);
    assertThat(new String(a.body(), StandardCharsets.UTF_8))
        .contains("\"__type\":\"com.amazon.coral.service#SerializationException\"")
        .contains("The request body holds a number that cannot be read");
  }
}
