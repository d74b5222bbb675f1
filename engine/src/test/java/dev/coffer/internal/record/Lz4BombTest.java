package dev.coffer.internal.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import org.junit.jupiter.api.Test;

/**
 * Found by {@code RecordCodecFuzzTest}: a {@code CompressedRecord} of one body byte that claimed a
 * raw length of 64 MB made {@link RecordFormat#body} allocate 64 MB before LZ4 refused the body. A
 * claim larger than LZ4 can expand the body (255 times) is now refused before anything is
 * allocated.
 */
class Lz4BombTest {
  @Test
  void aClaimedLengthLZ4CannotReachIsRefusedBeforeAllocating() {
    byte[] bomb = {
      0x08, 0x02, 0x10, 0x01, 0x18, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x20, 0x22, 0x01, 0x00
    };
    assertThatThrownBy(() -> RecordFormat.body(bomb))
        .isInstanceOf(IOException.class)
        .hasMessage("a compressed body of 1 bytes claims 67108864 bytes");
  }

  @Test
  void theMostCompressibleBodiesStillReadBack() throws IOException {
    byte[] zeros = new byte[1 << 20];
    byte[] plain = RecordFormat.compressedOrRaw(zeros);
    assertThat(plain.length).isLessThan(zeros.length / 200);
    assertThat(RecordFormat.body(plain)).isEqualTo(zeros);
  }
}
