package dev.coffer.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The interleaved data-plane harness end to end on tiny data: every method runs on Coffer, the
 * table has a row per method and a ratio against its baseline for each target, and the file given
 * by {@code --out} holds the same table. Nothing about speed is asserted.
 */
class DataPlaneInterleavedTest {
  @TempDir Path dir;

  @Test
  void measuresEveryMethodAgainstItsBaseline() throws Exception {
    Path out = dir.resolve("dataplane.md");
    String table =
        DataPlaneInterleaved.run(
            new String[] {
              "--partitions=3", "--rounds=2", "--warmup-rounds=1", "--ops=20", "--out=" + out
            });
    for (String method :
        new String[] {
          "put", "conditionalPut", "updateSet", "updateAdd", "put10", "transact10", "queryFilter"
        }) {
      assertThat(table).contains("| " + method + " | ");
    }
    assertThat(table).contains("vs put |", "vs put10 |", "<= 1.1x: ", "<= 1.2x: ", "<= 1.0x: ");
    assertThat(Files.readString(out)).isEqualTo(table);
  }
}
