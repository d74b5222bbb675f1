package dev.coffer.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coffer.Item;
import dev.coffer.Key;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every peer does the same work: items in, the same items out; the settings the comparison relies
 * on.
 */
class PeerBenchmarkTest {
  @ParameterizedTest
  @ValueSource(
      strings = {"rocksdb", "coffer-cache-off", "h2-mvstore-aes", "sqlcipher", "sqlite-plain"})
  void everyPeerReturnsTheItemsItWasGiven(String store) throws Exception {
    byte[][] payloads = BenchData.payloads(256, false, 1, BenchData.COMPRESSIBLE);
    try (PeerBenchmark.Peer peer = PeerBenchmark.Peer.create(store)) {
      peer.load(List.of(BenchData.item(1, -1, payloads[1]), BenchData.item(2, -1, payloads[2])));
      peer.settle();
      Item overwrite = BenchData.item(2, -1, payloads[3]);
      peer.put(overwrite);

      assertThat(peer.get(Key.of(BenchData.partitionKey(1))))
          .isEqualTo(BenchData.item(1, -1, payloads[1]));
      assertThat(peer.get(Key.of(BenchData.partitionKey(2)))).isEqualTo(overwrite);
    }
  }

  @Test
  void h2CommitsEachPutInTheCallingThread() throws Exception {
    try (PeerBenchmark.H2MvStorePeer peer =
        (PeerBenchmark.H2MvStorePeer) PeerBenchmark.Peer.create("h2-mvstore-aes")) {
      peer.put(BenchData.item(1, -1, new byte[100]));

      assertThat(peer.hasUnsavedChanges()).as("nothing left for a background commit").isFalse();
      assertThat(Thread.getAllStackTraces().keySet())
          .extracting(Thread::getName)
          .noneMatch(n -> n.startsWith("H2-") || n.contains("MVStore background"));
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"sqlcipher", "sqlite-plain"})
  void sqliteGetsTheBlockCacheOfRocksDb(String store) throws Exception {
    try (PeerBenchmark.SqlitePeer peer =
        (PeerBenchmark.SqlitePeer) PeerBenchmark.Peer.create(store)) {
      assertThat(peer.cacheBytes()).isEqualTo(EngineRocksOptions.get().blockCacheBytes());
    }
  }
}
