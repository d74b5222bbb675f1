package dev.coffer.internal.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Issue 15, finding 7: {@link AeadKey#getEncoded()} hands out the key or nothing. A destroy racing
 * with it must never make it return zeros or a half-wiped key (the check and the copy are one
 * step).
 */
class AeadKeyTest {
  private static final byte FILL = 0x5A;
  private static final int KEY_BYTES = AeadKey.LENGTH_BYTES;

  private static byte[] filled() {
    byte[] b = new byte[KEY_BYTES];
    Arrays.fill(b, FILL);
    return b;
  }

  @Test
  void aDestroyedKeyIsRefusedAndPrintsNothing() {
    AeadKey key = AeadKey.wrap(filled());
    assertThat(key.getEncoded()).containsOnly(FILL);
    assertThat(key.toString()).doesNotContain("5a").isEqualTo("AeadKey[redacted]");
    key.destroy();
    assertThat(key.isDestroyed()).isTrue();
    assertThatThrownBy(key::getEncoded)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("destroyed");
  }

  /**
   * Two threads race, many times over: one copies the key out as fast as it can, the other wipes
   * it. Every copy handed out is the whole key; after the wipe, copies are refused.
   */
  @Test
  void aDestroyRacingWithACopyNeverLeaksZerosOrAHalfWipedKey() throws Exception {
    int rounds = 20_000;
    AtomicInteger torn = new AtomicInteger();
    AtomicInteger handedOut = new AtomicInteger();
    AeadKey[] keys = new AeadKey[rounds];
    for (int r = 0; r < rounds; r++) {
      keys[r] = AeadKey.wrap(filled());
    }
    CyclicBarrier start = new CyclicBarrier(2);
    CountDownLatch done = new CountDownLatch(1);
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Thread reader =
        new Thread(
            () -> {
              try {
                for (int r = 0; r < rounds; r++) {
                  start.await();
                  AeadKey key = keys[r];
                  while (true) {
                    byte[] copy;
                    try {
                      copy = key.getEncoded();
                    } catch (IllegalStateException destroyed) {
                      break;
                    }
                    handedOut.incrementAndGet();
                    for (byte b : copy) {
                      if (b != FILL) {
                        torn.incrementAndGet();
                        break;
                      }
                    }
                  }
                }
              } catch (Throwable t) {
                failure.set(t);
              } finally {
                done.countDown();
              }
            });
    reader.start();
    for (int r = 0; r < rounds; r++) {
      AeadKey key = keys[r];
      start.await();
      for (int spin = r % 64; spin > 0; spin--) {
        Thread.onSpinWait(); // vary where in the reader's copy the wipe lands
      }
      key.destroy();
    }
    done.await();
    assertThat(failure.get()).isNull();
    assertThat(handedOut.get()).isPositive();
    assertThat(torn.get()).as("copies with zeros among %d handed out", handedOut.get()).isZero();
  }

  @Test
  void derivedKeysAreWipedWithTheKeyTheyCameFrom() {
    AeadKey parent = AeadKey.wrap(new byte[32]);
    AeadKey derived = AeadKey.wrap(new byte[32]);
    parent.destroyWith(derived);
    assertThat(derived.isDestroyed()).isFalse();
    parent.destroy();
    assertThat(derived.isDestroyed()).isTrue();
    AeadKey late = AeadKey.wrap(new byte[32]);
    assertThatThrownBy(() -> parent.destroyWith(late)).isInstanceOf(IllegalStateException.class);
    assertThat(late.isDestroyed()).isTrue();
  }
}
