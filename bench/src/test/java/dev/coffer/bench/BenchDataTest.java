package dev.coffer.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BenchDataTest {
  @ParameterizedTest
  @ValueSource(ints = {256, 1024})
  void itemsEncodeToExactlyTheRequestedSize(int itemBytes) {
    byte[][] plain = BenchData.payloads(itemBytes, false, 1);
    byte[][] sorted = BenchData.payloads(itemBytes, true, 1);

    assertThat(BenchData.encode(BenchData.item(123_456, -1, plain[0]))).hasSize(itemBytes);
    assertThat(BenchData.encode(BenchData.item(999, 42, sorted[0]))).hasSize(itemBytes);
  }

  @ParameterizedTest
  @ValueSource(longs = {0, 1, 99_999, 999_999})
  void keysHaveFixedWidthAndSortNumerically(long i) {
    assertThat(BenchData.rowKey(i)).hasSize(BenchData.KEY_BYTES);
    assertThat(BenchData.partitionKey(i)).isEqualTo(String.format("p%023d", i));
    assertThat(BenchData.sortKey((int) (i % 100_000))).isEqualTo(String.format("s%05d", i % 100_000));
  }

  @ParameterizedTest
  @ValueSource(ints = {256, 1024})
  void itemsRoundTripThroughTheCodec(int itemBytes) {
    byte[] payload = BenchData.payloads(itemBytes, true, 2)[7];
    var item = BenchData.item(5, 6, payload);

    assertThat(BenchData.decode(BenchData.encode(item))).isEqualTo(item);
  }
}
