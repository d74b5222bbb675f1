package dev.coffer.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Both sides of {@link ReencryptBenchmark} end in the same state: the RocksDB rewrite ends with a
 * forced compaction of every file because Coffer's re-encryption does. This checks the second half:
 * after {@code rotateDataKey()} + {@code reencrypt()} no SST file of the store from before the pass
 * is still live. If the engine stops compacting (a compaction filter instead, issue 14 part 3),
 * this fails, and {@code ReencryptBenchmark}'s baseline must stop compacting with it; the same
 * holds for {@link ItemStore#compactFully()}, which relies on it.
 */
class ReencryptEndStateTest {
  private static Set<String> sstFiles(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      return files
          .map(p -> p.getFileName().toString())
          .filter(n -> n.endsWith(".sst"))
          .collect(Collectors.toSet());
    }
  }

  @Test
  void reencryptionRewritesEveryFileOfTheTable() throws IOException {
    byte[][] payloads = BenchData.payloads(256, true, 1);
    try (ItemStore store = ItemStore.create(ItemStore.COFFER_CACHE_OFF, true, 0)) {
      for (int round = 0; round < 3; round++) { // several SST files
        for (int i = 0; i < 2000; i++) {
          store.put(BenchData.item(i / 100, i % 100, payloads[(i + round) % payloads.length]));
        }
        store.settle();
      }
      Set<String> before = sstFiles(store.dir());
      assertThat(before).isNotEmpty();

      store.compactFully();

      Set<String> after = sstFiles(store.dir());
      assertThat(after).isNotEmpty().doesNotContainAnyElementsOf(before);
    }
  }
}
