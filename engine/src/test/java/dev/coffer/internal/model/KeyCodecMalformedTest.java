package dev.coffer.internal.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coffer.AttributeType;
import dev.coffer.CorruptionException;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * Stored number keys that are not the encoding of a DynamoDB number are {@link
 * CorruptionException}s, never a {@link NumberFormatException} or a {@link
 * dev.coffer.ValidationException} (found by {@link KeyCodecFuzzTest}, docs/fuzzing.md).
 */
class KeyCodecMalformedTest {
  private static void refused(String hex) {
    assertThatThrownBy(() -> KeyCodec.decodeSortKey(AttributeType.N, HexFormat.of().parseHex(hex)))
        .as(hex)
        .isInstanceOf(CorruptionException.class)
        .hasMessage("A stored number key is malformed");
  }

  @Test
  void aDigitByteOutOfRangeIsCorruption() {
    refused("c0802600"); // positive, digit byte 0x00 would be digit -1 ('/' before the fix)
    refused("c0800b"); // digit byte 0x0B would be 10
    refused("c080800a");
    refused("40800000ff"); // negative, digit byte 0x00 would be 254
    refused("407fffeeff"); // 0xEE would be digit 16
  }

  @Test
  void aNegativeKeyWithoutDigitsIsCorruption() {
    refused("407fffff"); // tag, exponent and terminator only: BigInteger("") before the fix
  }

  @Test
  void aWellFormedNumberOutOfDynamoDbsRangeIsCorruption() {
    refused("c0" + "807f" + "02"); // 0.1 x 10^127 = 1E+126: overflow
    refused("c0" + "8001" + "0a".repeat(39)); // 39 significant digits
    refused("c0" + "0000" + "02"); // 1E-32769: underflow
  }

  @Test
  void wellFormedKeysStillDecode() {
    assertThat(KeyCodec.decodeSortKey(AttributeType.N, HexFormat.of().parseHex("80")).n())
        .isEqualTo("0");
    assertThat(KeyCodec.decodeSortKey(AttributeType.N, HexFormat.of().parseHex("c08002020306")).n())
        .isEqualTo("12.5");
    assertThat(
            KeyCodec.decodeSortKey(AttributeType.N, HexFormat.of().parseHex("407ffffdfcfbff")).n())
        .isEqualTo("-0.123");
  }
}
