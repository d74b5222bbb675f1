package dev.coffer.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The serve benchmark's pipeline on tiny counts (its numbers mean nothing here): every operation on
 * Coffer in-process, on {@code coffer serve} through the SDK's Apache client and the raw replaying
 * client, and on the floor (the SDK against a canned responder), each of which checks the answers
 * it gets (items found, partitions whole), and the report with the targets, the CPU columns and the
 * floor. dynalite is left out (the differential tests cover it).
 */
class ServeBenchmarkTest {
  @TempDir Path dir;

  @Test
  void theWholePipelineRunsAndReports() throws Exception {
    ServeOptions o =
        ServeOptions.parse(
            "--rounds=1",
            "--warmup=20",
            "--ops=50",
            "--threads=2",
            "--throughput-ops=40",
            "--partitions=5",
            "--targets=in-process,coffer-serve,floor",
            "--clients=apache,raw-http",
            "--scratch=" + dir);
    String report = ServeBenchmark.create(o).run();
    for (String row :
        new String[] {
          "| PutItem | in-process |",
          "| GetItem | coffer-serve[apache] |",
          "| Query | coffer-serve[raw-http] |",
          "| GetItem | floor[apache] |",
          "| GetItem | raw-http | n/a |"
        }) {
      assertThat(report).contains(row);
    }
    assertThat(report).containsPattern("\\| Query \\| apache \\| n/a \\| -?[0-9.]+ µs \\(rounds");
    // the floor's row in the targets table, and what the SDK's Apache client sent it
    assertThat(report)
        .containsPattern("\\| PutItem \\| apache \\| n/a \\| .* \\| [0-9.]+ µs \\|\\n");
    assertThat(report).contains("X-Amz-Target: DynamoDB_20120810.");
    // server CPU is counted for coffer serve (its threads are in this JVM)
    assertThat(report)
        .containsPattern(
            "\\| GetItem \\| coffer-serve\\[apache\\] \\| [0-9.]+ \\| [0-9.]+ \\| [0-9.]+ \\| [0-9.]+ \\|");
  }

  @Test
  void optionsAreChecked() {
    assertThatThrownBy(() -> ServeOptions.parse("--ops=0"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ServeOptions.parse("--nonsense=1"))
        .hasMessageContaining("unknown option");
    assertThatThrownBy(() -> ServeOptions.parse("ops")).hasMessageContaining("--name=value");
  }
}
