package dev.coffer.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.util.zip.Deflater;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class BenchDataTest {
  @ParameterizedTest
  @CsvSource({"256, random", "1024, random", "256, compressible", "1024, compressible"})
  void itemsEncodeToExactlyTheRequestedSize(int itemBytes, String kind) {
    byte[][] plain = BenchData.payloads(itemBytes, false, 1, kind);
    byte[][] sorted = BenchData.payloads(itemBytes, true, 1, kind);

    assertThat(BenchData.encode(BenchData.item(123_456, -1, plain[0]))).hasSize(itemBytes);
    assertThat(BenchData.encode(BenchData.item(999, 42, sorted[0]))).hasSize(itemBytes);
  }

  @ParameterizedTest
  @ValueSource(longs = {0, 1, 99_999, 999_999})
  void keysHaveFixedWidthAndSortNumerically(long i) {
    assertThat(BenchData.rowKey(i)).hasSize(BenchData.KEY_BYTES);
    assertThat(BenchData.partitionKey(i)).isEqualTo(String.format("p%023d", i));
    assertThat(BenchData.sortKey((int) (i % 100_000)))
        .isEqualTo(String.format("s%05d", i % 100_000));
  }

  @ParameterizedTest
  @ValueSource(ints = {256, 1024})
  void itemsRoundTripThroughTheCodec(int itemBytes) {
    byte[] payload = BenchData.payloads(itemBytes, true, 2)[7];
    var item = BenchData.item(5, 6, payload);

    assertThat(BenchData.decode(BenchData.encode(item))).isEqualTo(item);
  }

  /** Deflate's output size over the input size, for a pool of payloads concatenated. */
  private static double deflateRatio(byte[][] pool) {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    for (int i = 0; i < 16; i++) {
      all.writeBytes(pool[i]);
    }
    byte[] in = all.toByteArray();
    Deflater d = new Deflater();
    d.setInput(in);
    d.finish();
    byte[] out = new byte[in.length * 2];
    int n = d.deflate(out);
    d.end();
    return n / (double) in.length;
  }

  @Test
  void compressiblePayloadsCompressLikeTextAndRandomOnesDoNot() {
    assertThat(deflateRatio(BenchData.payloads(1024, false, 3, BenchData.COMPRESSIBLE)))
        .isLessThan(0.5);
    assertThat(deflateRatio(BenchData.payloads(1024, false, 3, BenchData.RANDOM)))
        .isGreaterThan(0.99);
  }

  @Test
  void anUnknownPayloadKindIsRefused() {
    assertThatThrownBy(() -> BenchData.payloads(256, false, 1, "zeros"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("zeros");
  }
}
