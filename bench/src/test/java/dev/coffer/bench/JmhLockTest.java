package dev.coffer.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16 item 8: the benchmark smoke runs must not fail while another JMH run holds JMH's
 * machine-wide lock ({@code <java.io.tmpdir>/jmh.lock}). The build runs them with the settings of
 * this test JVM ({@code -Djmh.ignoreLock=true} from Surefire's configuration); here two JMH runs
 * with those settings overlap each other while a third party holds the lock they would take, and
 * both finish with a result. A run without the setting, as a control, is refused: the held lock is
 * the one JMH checks.
 *
 * <p>The runs are child JVMs whose {@code java.io.tmpdir} is a fresh directory, so the lock this
 * test holds is theirs and not the real {@code /tmp/jmh.lock} of other benchmark runs on the
 * machine.
 */
class JmhLockTest {
  @TempDir Path tmp;

  private Process start(String name, String ignoreLock) throws IOException {
    Path java = Paths.get(System.getProperty("java.home"), "bin", "java");
    List<String> cmd =
        new ArrayList<>(
            List.of(
                java.toString(),
                "-cp",
                System.getProperty("java.class.path"),
                "-Djava.io.tmpdir=" + tmp,
                "-Dcoffer.bench.dir=" + tmp.resolve("scratch"),
                "-Djmh.ignoreLock=" + ignoreLock,
                "org.openjdk.jmh.Main",
                "NonceBenchmark",
                "-p",
                "source=ctr-drbg",
                "-f",
                "0",
                "-wi",
                "0",
                "-i",
                "3",
                "-r",
                "300ms",
                "-rf",
                "json",
                "-rff",
                tmp.resolve(name + ".json").toString()));
    return new ProcessBuilder(cmd)
        .redirectErrorStream(true)
        .redirectOutput(tmp.resolve(name + ".log").toFile())
        .start();
  }

  private String log(String name) throws IOException {
    return new String(Files.readAllBytes(tmp.resolve(name + ".log")), StandardCharsets.UTF_8);
  }

  @Test
  void twoSmokeRunsOverlapWhileAnotherRunHoldsTheLock() throws Exception {
    String ignoreLock = System.getProperty("jmh.ignoreLock", "false");
    assertThat(ignoreLock)
        .as("the build's setting for JMH's lock (bench/pom.xml, Surefire)")
        .isEqualTo("true");
    try (FileChannel channel =
            FileChannel.open(
                tmp.resolve("jmh.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock held = channel.lock()) {
      Process a = start("a", ignoreLock);
      Process b = start("b", ignoreLock);
      boolean overlapped = a.isAlive() && b.isAlive();
      assertThat(a.waitFor(120, TimeUnit.SECONDS)).as("run a finished").isTrue();
      assertThat(b.waitFor(120, TimeUnit.SECONDS)).as("run b finished").isTrue();

      assertThat(overlapped).as("both runs were running at once").isTrue();
      assertThat(a.exitValue()).as(log("a")).isZero();
      assertThat(b.exitValue()).as(log("b")).isZero();
      ObjectMapper json = new ObjectMapper();
      for (String name : List.of("a", "b")) {
        JsonNode results = json.readTree(tmp.resolve(name + ".json").toFile());
        assertThat(results).hasSize(1);
        assertThat(results.get(0).path("primaryMetric").path("score").asDouble()).isPositive();
      }

      Process control = start("control", "false");
      assertThat(control.waitFor(120, TimeUnit.SECONDS)).isTrue();
      assertThat(control.exitValue()).isNotZero();
      assertThat(log("control")).contains("Unable to acquire the JMH lock");
      assertThat(held.isValid()).isTrue();
    }
  }
}
