package dev.coffer.testkit.fuzz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** The fuzzing support: bytes to text and back, the burst's dispatch, the minimizer. */
class FuzzSupportTest {
  @Test
  void textIsUtf8WithLoneSurrogatesReachable() {
    assertThat(FuzzText.of("héllo 😀".getBytes(StandardCharsets.UTF_8))).isEqualTo("héllo 😀");
    assertThat(FuzzText.of(new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80})).isEqualTo("\ud800");
    assertThat(FuzzText.of(new byte[] {(byte) 0xFF, 'a', (byte) 0xC0, (byte) 0x80}))
        .isEqualTo("\ufffda\ufffd\ufffd");
    for (String s : new String[] {"", "a\ud800b", "\udc00", "😀\ud83d", "plain"}) {
      assertThat(FuzzText.of(FuzzText.bytes(s))).as(s).isEqualTo(s);
    }
  }

  @Test
  void theBurstDispatchesOnTheFirstByte() {
    StringBuilder seen = new StringBuilder();
    FuzzBurst burst =
        FuzzBurst.of(
            FuzzTarget.of(String.class, b -> seen.append("A").append(b.length)),
            FuzzTarget.of(Integer.class, b -> seen.append("B").append(b.length)));
    burst.run(new byte[] {0, 1, 2});
    burst.run(new byte[] {3});
    burst.run(new byte[0]);
    assertThat(seen.toString()).isEqualTo("A2B0");
  }

  @Test
  void theMinimizerKeepsTheFailure() {
    Consumer<byte[]> target =
        b -> {
          if (new String(b, StandardCharsets.ISO_8859_1).contains("BAD")) {
            throw new IllegalStateException("bad");
          }
        };
    byte[] min =
        FuzzMinimizer.minimize(
            target, "xxxxxxxxBxAxDyyyyBADzzzzzzzzzzzzzz".getBytes(StandardCharsets.ISO_8859_1));
    assertThat(new String(min, StandardCharsets.ISO_8859_1)).isEqualTo("BAD");
    assertThat(FuzzMinimizer.failure(target, min)).startsWith("java.lang.IllegalStateException @ ");
    assertThatThrownBy(() -> FuzzMinimizer.minimize(target, new byte[] {1}))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
