package dev.coffer.internal.keys;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SealBudgetTest {
  @Test
  void asksForAFlushHalfAnIntervalAfterTheLastPersistedCount() {
    SealBudget b = SealBudget.fresh();
    int due = 0;
    for (long i = 0; i < 3 * SealBudget.PERSIST_INTERVAL; i++) {
      if (b.countOne()) {
        due++;
        b.persisted(b.count()); // the commit point
      }
    }
    assertThat(due).isEqualTo(6);
    assertThat(b.count()).isEqualTo(3 * SealBudget.PERSIST_INTERVAL);
    assertThat(b.flushDue()).isFalse();
  }

  @Test
  void aFlushStaysDueUntilItHappens() {
    SealBudget b = SealBudget.fresh();
    for (long i = 0; i < SealBudget.PERSIST_INTERVAL / 2 - 1; i++) {
      assertThat(b.countOne()).isFalse();
    }
    assertThat(b.countOne()).isTrue();
    assertThat(b.countOne()).isFalse(); // already due: not reported again
    assertThat(b.flushDue()).isTrue();
    b.persisted(b.count() - 1); // a flush that raced with one more seal
    assertThat(b.flushDue()).isFalse();
  }

  @Test
  void resumesOneIntervalAboveThePersistedCountAndPersistsBeforeItCanBePassed() {
    SealBudget b = SealBudget.resume(1000);
    assertThat(b.count()).isEqualTo(1000 + SealBudget.PERSIST_INTERVAL);
    assertThat(b.countOne()).isTrue(); // the resumed count is not durable yet
  }

  @Test
  void countsPastTwoToThe32WithoutRefusing() {
    // the old format-1 nonce budget stopped at 2^32 - 2^17; XAES-256-GCM seals have no such limit
    SealBudget b = SealBudget.resume((1L << 32) - 3 * SealBudget.PERSIST_INTERVAL);
    for (int i = 0; i < 3 * SealBudget.PERSIST_INTERVAL; i++) {
      if (b.countOne()) {
        b.persisted(b.count());
      }
    }
    assertThat(b.count()).isEqualTo((1L << 32) + SealBudget.PERSIST_INTERVAL);
    assertThat(b.persistedCount()).isGreaterThan(1L << 32);
  }
}
