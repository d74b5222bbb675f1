package dev.coffer.internal.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SealBudgetTest {
  @Test
  void asksForPersistenceAtEveryInterval() {
    SealBudget b = SealBudget.fresh();
    int persists = 0;
    for (long i = 0; i < 3 * SealBudget.PERSIST_INTERVAL; i++) {
      persists += b.countOne() ? 1 : 0;
    }
    assertThat(persists).isEqualTo(3);
    assertThat(b.count()).isEqualTo(3 * SealBudget.PERSIST_INTERVAL);
  }

  @Test
  void resumesOneIntervalAboveThePersistedCountSoACrashCanOnlyOverCount() {
    assertThat(SealBudget.resume(1000).count()).isEqualTo(1000 + SealBudget.PERSIST_INTERVAL);
  }

  @Test
  void refusesBeforeTwoToThe32() {
    SealBudget b = SealBudget.resume(SealBudget.LIMIT - SealBudget.PERSIST_INTERVAL - 2);
    b.countOne();
    assertThatThrownBy(b::countOne).isInstanceOf(IllegalStateException.class);
    assertThat(b.count()).isLessThan(1L << 32);
  }
}
