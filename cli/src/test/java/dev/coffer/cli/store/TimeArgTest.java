package dev.coffer.cli.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coffer.cli.CliInputException;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The time forms of {@code audit --since/--until}. */
class TimeArgTest {
  private static final Instant NOW = Instant.parse("2026-11-23T18:00:00Z");

  private static Instant parse(String v) {
    return TimeArg.parse("--since", v, NOW);
  }

  @Test
  void relativeTimes() {
    assertThat(parse("90s")).isEqualTo("2026-11-23T17:58:30Z");
    assertThat(parse("15m")).isEqualTo("2026-11-23T17:45:00Z");
    assertThat(parse("1h")).isEqualTo("2026-11-23T17:00:00Z");
    assertThat(parse("2d")).isEqualTo("2026-11-21T18:00:00Z");
    assertThat(parse("1w")).isEqualTo("2026-11-16T18:00:00Z");
  }

  @Test
  void isoTimes() {
    assertThat(parse("2026-11-23T17:00:00Z")).isEqualTo("2026-11-23T17:00:00Z");
    assertThat(parse("2026-11-23T18:00:00+01:00")).isEqualTo("2026-11-23T17:00:00Z");
    assertThat(parse("2026-11-23T17:00:00")).isEqualTo("2026-11-23T17:00:00Z");
    assertThat(parse("2026-11-23")).isEqualTo("2026-11-23T00:00:00Z");
  }

  @Test
  void anythingElseIsAUsageError() {
    assertThatThrownBy(() -> parse("yesterday"))
        .isInstanceOf(CliInputException.class)
        .hasMessageStartingWith("Error parsing parameter '--since': Expected an ISO-8601 time");
    assertThatThrownBy(() -> parse("1y")).isInstanceOf(CliInputException.class);
  }
}
