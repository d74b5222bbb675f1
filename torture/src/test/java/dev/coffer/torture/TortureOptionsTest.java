package dev.coffer.torture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The command line of the torture: every option, and a clear message for each bad one. */
class TortureOptionsTest {
  @Test
  void everyOptionIsRead() {
    TortureOptions o =
        TortureOptions.parse(
            new String[] {
              "--cycles",
              "7",
              "--seed",
              "42",
              "--duration",
              "90s",
              "--min-cycles",
              "3",
              "--dir",
              "x/y",
              "--finish-jobs",
              "20",
              "--quiet"
            });
    assertThat(o.cycles()).isEqualTo(7);
    assertThat(o.seed()).isEqualTo(42);
    assertThat(o.duration()).isEqualTo(Duration.ofSeconds(90));
    assertThat(o.minCycles()).isEqualTo(3);
    assertThat(o.dir()).isEqualTo(Path.of("x/y"));
    assertThat(o.defaultDir()).isFalse();
    assertThat(o.finishJobsPercent()).isEqualTo(20);
    assertThat(o.progress()).isFalse();
  }

  @Test
  void defaultsAreFiftyCyclesInANewDirectoryUnderTarget() {
    TortureOptions o = TortureOptions.parse(new String[0]);
    assertThat(o.cycles()).isEqualTo(50);
    assertThat(o.duration()).isEqualTo(Duration.ZERO);
    assertThat(o.defaultDir()).isTrue();
    assertThat(o.dir().toString()).startsWith("target/torture-" + o.seed() + "-");
    assertThat(TortureOptions.parseDuration("30m")).isEqualTo(Duration.ofMinutes(30));
    assertThat(TortureOptions.parseDuration("2h")).isEqualTo(Duration.ofHours(2));
  }

  @Test
  void badOptionsAreNamed() {
    assertThatThrownBy(() -> TortureOptions.parse(new String[] {"--cycles"}))
        .hasMessage("option --cycles needs a value");
    assertThatThrownBy(() -> TortureOptions.parse(new String[] {"--cycles", "many"}))
        .hasMessage("option --cycles needs a number, not 'many'");
    assertThatThrownBy(() -> TortureOptions.parse(new String[] {"--cycles", "0"}))
        .hasMessage("cycles must be at least 1, was 0");
    assertThatThrownBy(() -> TortureOptions.parse(new String[] {"--duration", "5 minutes"}))
        .hasMessageContaining("a duration is a number followed by s, m or h");
    assertThatThrownBy(() -> TortureOptions.parse(new String[] {"--fast", "yes"}))
        .hasMessage("unknown option --fast");
    assertThatThrownBy(() -> TortureOptions.parse(new String[] {"--finish-jobs", "101"}))
        .hasMessage("finish-jobs must be 0 to 100, was 101");
  }
}
