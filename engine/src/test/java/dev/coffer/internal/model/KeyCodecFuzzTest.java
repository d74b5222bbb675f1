package dev.coffer.internal.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.coffer.AttributeType;
import dev.coffer.AttributeValue;
import dev.coffer.CorruptionException;
import java.util.Arrays;

/**
 * Fuzz target: a stored sort key decoded from bytes ({@link KeyCodec#decodeSortKey}), as the engine
 * reads the sort keys of an opened page.
 *
 * <p><b>Documented exceptions:</b> {@link CorruptionException} ("A stored number key is malformed")
 * for bytes that are no number key; S and B keys decode from any bytes. Never a {@link
 * NumberFormatException}, {@link dev.coffer.ValidationException} or {@link
 * ArrayIndexOutOfBoundsException}. A decoded key encodes and decodes to itself.
 *
 * <p><b>Input:</b> the first byte picks the key type ({@code mod 3}: S, N, B); the rest is the
 * encoded key.
 */
public class KeyCodecFuzzTest {
  private static final AttributeType[] TYPES = {AttributeType.S, AttributeType.N, AttributeType.B};

  @FuzzTest(maxDuration = "30s")
  void fuzz(byte[] input) {
    check(input);
  }

  /** The check of one input (see the class comment). */
  public static void check(byte[] input) {
    if (input.length == 0) {
      return;
    }
    AttributeType type = TYPES[(input[0] & 0xFF) % 3];
    byte[] encoded = Arrays.copyOfRange(input, 1, input.length);
    AttributeValue v;
    try {
      v = KeyCodec.decodeSortKey(type, encoded);
    } catch (CorruptionException e) {
      assertThat(type).isEqualTo(AttributeType.N);
      assertThat(e.getMessage()).isEqualTo("A stored number key is malformed");
      return;
    }
    assertThat(v.type()).isEqualTo(type);
    assertThat(KeyCodec.decodeSortKey(type, KeyCodec.encodeSortKey(v))).isEqualTo(v);
    assertThat(KeyCodec.partitionKeyBytes(v)).isNotEmpty();
    assertThat(KeyCodec.keySizeBytes(v)).isNotNegative();
  }
}
