package dev.coffer.server.internal.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class FrontSettingsTest {
  private final FrontSettings defaults =
      FrontSettings.defaults("t", 4, 256, 256, Duration.ofSeconds(10), false);

  @Test
  void eachWithChangesOneLimitAndKeepsTheOthers() {
    FrontSettings s =
        defaults
            .withWorkerThreads("threads", 8)
            .withQueueCapacity(9)
            .withMaxConnections(10)
            .withIdleTimeout(Duration.ofSeconds(11))
            .withHeaderReadTimeout(Duration.ofSeconds(12))
            .withRequestReadTimeout(Duration.ofSeconds(13))
            .withDrainTimeout(Duration.ofSeconds(14));
    assertThat(s)
        .isEqualTo(
            new FrontSettings(
                "t",
                8,
                9,
                10,
                Duration.ofSeconds(11),
                Duration.ofSeconds(12),
                Duration.ofSeconds(13),
                Duration.ofSeconds(14),
                false));
    assertThat(defaults.idleTimeout()).isEqualTo(Duration.ofSeconds(60));
    assertThat(defaults.headerReadTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(defaults.requestReadTimeout()).isEqualTo(Duration.ofSeconds(10));
  }

  @Test
  void outOfRangeValuesAreRefusedNamingTheOption() {
    assertThatThrownBy(() -> defaults.withWorkerThreads("workerThreads", 0))
        .hasMessage("workerThreads must be 1 to 1024, was 0");
    assertThatThrownBy(() -> defaults.withWorkerThreads("threads", 1025))
        .hasMessage("threads must be 1 to 1024, was 1025");
    assertThatThrownBy(() -> defaults.withQueueCapacity(1_000_001))
        .hasMessage("queueCapacity must be 1 to 1000000, was 1000001");
    assertThatThrownBy(() -> defaults.withMaxConnections(0))
        .hasMessage("maxConnections must be at least 1, was 0");
    assertThatThrownBy(() -> defaults.withIdleTimeout(Duration.ZERO))
        .hasMessage("idleTimeout must be positive, was PT0S");
    assertThatThrownBy(() -> defaults.withHeaderReadTimeout(Duration.ofSeconds(-1)))
        .hasMessage("headerReadTimeout must be positive, was PT-1S");
    assertThatThrownBy(() -> defaults.withRequestReadTimeout(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("requestReadTimeout");
    assertThatThrownBy(() -> defaults.withDrainTimeout(Duration.ZERO))
        .hasMessage("drainTimeout must be positive, was PT0S");
  }
}
