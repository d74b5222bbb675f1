package dev.coffer.internal.record;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

/** The numbering rule of delta records ({@link DeltaSequence}). */
class DeltaSequenceTest {
  private static final long E = DeltaSequence.epochStart(5_000);

  @Test
  void aRecordFollowsByOneOrByStartingALaterEpoch() {
    assertThat(DeltaSequence.follows(E + 3, E + 3)).isTrue();
    assertThat(DeltaSequence.follows(E + 3, E + 4)).as("one removed").isFalse();
    assertThat(DeltaSequence.follows(E + 3, E + 2)).as("replayed").isFalse();
    long later = DeltaSequence.epochStart(6_000);
    assertThat(DeltaSequence.follows(E + 3, later)).as("a later epoch's first").isTrue();
    assertThat(DeltaSequence.follows(E + 3, later + 1)).as("a later epoch's second").isFalse();
    assertThat(DeltaSequence.follows(later, E)).as("an earlier epoch's first").isFalse();
  }

  @Property(tries = 200)
  void epochsFromTheWriteSequenceLieAboveEveryFormat2Number(
      @ForAll @LongRange(min = 0, max = 1L << 40) long seq,
      @ForAll @LongRange(min = 1, max = (1L << 48) + (1L << 30)) long format2) {
    long start = DeltaSequence.epochStart(seq);
    assertThat(DeltaSequence.follows(format2, start)).isTrue();
    assertThat(DeltaSequence.counter(start)).isZero();
    assertThat(DeltaSequence.epochStart(seq + 1)).isGreaterThan(start);
    assertThat(start).isPositive();
  }

  @Test
  void aCounterThatOverflowsCarriesIntoAnEpochBelowTheNextOneTaken() {
    long last =
        E + (1L << DeltaSequence.COUNTER_BITS) - 1; // 2^20 records in one epoch: 2^20 writes
    assertThat(DeltaSequence.follows(last, last + 1)).isTrue();
    assertThat(DeltaSequence.epochStart(5_000 + (1L << DeltaSequence.COUNTER_BITS)))
        .isGreaterThan(last + 1);
  }
}
