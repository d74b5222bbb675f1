package dev.coffer.internal.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.coffer.AttributeValue;
import dev.coffer.CorruptionException;
import dev.coffer.Item;
import java.util.Arrays;

/**
 * Fuzz target: a stored item or attribute value read back from bytes, as the engine reads what it
 * finds inside an opened page: protobuf's parser ({@code dev.coffer.proto.Item.parseFrom}), then
 * {@link ItemCodec#fromProto}.
 *
 * <p><b>Documented exceptions:</b> {@link InvalidProtocolBufferException} from protobuf's parser
 * (bytes that are not the message; the page layer turns it into a {@link CorruptionException}), and
 * {@link CorruptionException} from {@link ItemCodec} ("A stored item is malformed: ..."), never a
 * {@link dev.coffer.ValidationException}, an {@link IllegalArgumentException} or a {@link
 * StackOverflowError}. What decodes must be a valid value that encodes and decodes to itself.
 *
 * <p><b>Input:</b> the first byte picks the message: even an {@code Item}, odd one {@code
 * AttributeValue}; the rest is its protobuf encoding.
 */
public class ItemCodecFuzzTest {
  @FuzzTest(maxDuration = "30s")
  void fuzz(byte[] input) {
    check(input);
  }

  /** The check of one input (see the class comment). */
  public static void check(byte[] input) {
    if (input.length == 0) {
      return;
    }
    byte[] body = Arrays.copyOfRange(input, 1, input.length);
    try {
      if ((input[0] & 1) == 0) {
        // the protobuf message stays qualified: its name clashes with dev.coffer.Item
        Item item = ItemCodec.fromProto(dev.coffer.proto.Item.parseFrom(body));
        assertThat(ItemCodec.fromProto(ItemCodec.toProto(item))).isEqualTo(item);
        assertThat(Item.of(item.attributes())).isEqualTo(item);
        assertThat(ItemSizes.sizeOf(item)).isNotNegative();
        assertThat(item.toString()).isNotEmpty();
      } else {
        // the protobuf message stays qualified: its name clashes with dev.coffer.AttributeValue
        AttributeValue v = ItemCodec.fromProto(dev.coffer.proto.AttributeValue.parseFrom(body));
        assertThat(ItemCodec.fromProto(ItemCodec.toProto(v))).isEqualTo(v);
        assertThat(v.nestingLevels()).isBetween(1, AttributeValue.MAX_NESTING_LEVELS);
        assertThat(v.toString()).isNotEmpty();
      }
    } catch (InvalidProtocolBufferException e) {
      // documented: not the message
    } catch (CorruptionException e) {
      assertThat(e.getMessage()).startsWith("A stored item is malformed: ");
    }
  }
}
