package dev.coffer;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.coffer.internal.catalog.CatalogEntryFuzzTest;
import dev.coffer.internal.catalog.SealedStateFuzzTest;
import dev.coffer.internal.model.ItemCodecFuzzTest;
import dev.coffer.internal.model.KeyCodecFuzzTest;
import dev.coffer.internal.model.NumberFuzzTest;
import dev.coffer.internal.record.RecordCodecFuzzTest;
import dev.coffer.testkit.fuzz.FuzzBurst;
import dev.coffer.testkit.fuzz.FuzzTarget;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The engine's fuzz targets together, for the default build's short fuzzing burst (execution
 * fuzz-burst, docs/fuzzing.md), and the minimizer for their findings. Adding a target: one line in
 * {@link #BURST}; {@link #everyFuzzTestIsInTheBurst()} fails until it is there.
 */
@Tag("fuzz-burst")
public class EngineFuzzBurstTest {
  static final FuzzBurst BURST =
      FuzzBurst.of(
          FuzzTarget.of(CatalogEntryFuzzTest.class, CatalogEntryFuzzTest::check),
          FuzzTarget.of(ExpressionFuzzTest.class, ExpressionFuzzTest::check),
          FuzzTarget.of(ItemCodecFuzzTest.class, ItemCodecFuzzTest::check),
          FuzzTarget.of(KeyCodecFuzzTest.class, KeyCodecFuzzTest::check),
          FuzzTarget.of(NumberFuzzTest.class, NumberFuzzTest::check),
          FuzzTarget.of(RecordCodecFuzzTest.class, RecordCodecFuzzTest::check),
          FuzzTarget.of(SealedStateFuzzTest.class, SealedStateFuzzTest::check));

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
    assertThat(BURST.missingFrom(EngineFuzzBurstTest.class)).isEmpty();
  }

  /** {@code -Dfuzz.minimize=TargetFuzzTest:path/to/crash-file} writes {@code crash-file.min}. */
  @Test
  @EnabledIfSystemProperty(named = "fuzz.minimize", matches = ".+")
  void minimize() throws Exception {
    System.out.println(BURST.minimize(System.getProperty("fuzz.minimize")));
  }
}
