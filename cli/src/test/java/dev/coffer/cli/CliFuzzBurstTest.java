package dev.coffer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.coffer.cli.dynamodb.DynamoJsonFuzzTest;
import dev.coffer.cli.input.ShorthandFuzzTest;
import dev.coffer.cli.input.UserJsonFuzzTest;
import dev.coffer.cli.output.JmesPathQueryFuzzTest;
import dev.coffer.testkit.fuzz.FuzzBurst;
import dev.coffer.testkit.fuzz.FuzzTarget;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The command line's fuzz targets together, for the default build's short fuzzing burst (execution
 * fuzz-burst, docs/fuzzing.md), and the minimizer for their findings. Adding a target: one line in
 * {@link #BURST}; {@link #everyFuzzTestIsInTheBurst()} fails until it is there.
 */
@Tag("fuzz-burst")
public class CliFuzzBurstTest {
  static final FuzzBurst BURST =
      FuzzBurst.of(
          FuzzTarget.of(UserJsonFuzzTest.class, UserJsonFuzzTest::check),
          FuzzTarget.of(DynamoJsonFuzzTest.class, DynamoJsonFuzzTest::check),
          FuzzTarget.of(ShorthandFuzzTest.class, ShorthandFuzzTest::check),
          FuzzTarget.of(JmesPathQueryFuzzTest.class, JmesPathQueryFuzzTest::check));

  static Stream<Arguments> seeds() {
    return BURST.seeds();
  }

  @MethodSource("seeds")
  @FuzzTest(maxDuration = "10s")
  void burst(byte[] input) {
    BURST.run(input);
  }

  @Test
  void everyFuzzTestIsInTheBurst() {
    assertThat(BURST.missingFrom(CliFuzzBurstTest.class)).isEmpty();
  }

  /** {@code -Dfuzz.minimize=TargetFuzzTest:path/to/crash-file} writes {@code crash-file.min}. */
  @Test
  @EnabledIfSystemProperty(named = "fuzz.minimize", matches = ".+")
  void minimize() throws Exception {
    System.out.println(BURST.minimize(System.getProperty("fuzz.minimize")));
  }
}
