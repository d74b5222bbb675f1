package dev.coffer.internal.record;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coffer.internal.keys.AeadKey;
import java.security.SecureRandom;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Issue 15, derived XAES keys: the bytes of a key derived per salt are wiped when it is evicted
 * from its thread's cache, when the key it came from is destroyed (the store's close), and when its
 * thread ends (before, a dead thread's keys were dropped unwiped); a closed store's keys leave a
 * live thread's cache at its next derivation.
 */
class XaesKeyWipeTest {
  private static final SecureRandom RANDOM = new SecureRandom();

  private static AeadKey newKey() {
    byte[] k = new byte[32];
    RANDOM.nextBytes(k);
    return AeadKey.wrap(k);
  }

  /** A nonce whose salt is {@code salt} (the rest random). */
  private static byte[] nonce(int salt) {
    byte[] n = new byte[Xaes256Gcm.NONCE_BYTES];
    RANDOM.nextBytes(n);
    for (int i = 0; i < Xaes256Gcm.SALT_BYTES; i++) {
      n[i] = 0;
    }
    n[0] = (byte) (salt >>> 24);
    n[1] = (byte) (salt >>> 16);
    n[2] = (byte) (salt >>> 8);
    n[3] = (byte) salt;
    return n;
  }

  /** Seals a few bytes under {@code key} with {@code nonce}: derives (or reuses) its key. */
  private static void seal(AeadKey key, byte[] nonce) {
    byte[] plaintext = {1, 2, 3};
    byte[] out = new byte[Xaes256Gcm.NONCE_BYTES + plaintext.length + RecordFormat.TAG_BYTES];
    System.arraycopy(nonce, 0, out, 0, Xaes256Gcm.NONCE_BYTES);
    Xaes256Gcm.sealInto(key, out, 0, Xaes256Gcm.NONCE_BYTES, new byte[] {9}, plaintext);
  }

  private static boolean allZero(byte[] bytes) {
    for (byte b : bytes) {
      if (b != 0) {
        return false;
      }
    }
    return true;
  }

  @Test
  void anEvictedKeyIsWiped() {
    AeadKey key = newKey();
    byte[] first = nonce(1);
    seal(key, first);
    byte[] raw = Xaes256Gcm.cachedKeyBytes(key, first, 0);
    assertThat(raw).isNotNull();
    assertThat(allZero(raw)).isFalse();
    for (int salt = 2; salt <= Xaes256Gcm.CACHED_KEYS + 1; salt++) {
      seal(key, nonce(salt));
    }
    assertThat(Xaes256Gcm.cachedKeyBytes(key, first, 0)).as("evicted").isNull();
    assertThat(allZero(raw)).as("the evicted key's bytes are wiped").isTrue();
    key.destroy();
  }

  @Test
  void destroyingTheKeyWipesItsDerivedKeysAndTheThreadDropsThemAtItsNextDerivation() {
    AeadKey closed = newKey();
    byte[][] nonces = new byte[5][];
    byte[][] raws = new byte[5][];
    for (int salt = 0; salt < 5; salt++) {
      nonces[salt] = nonce(100 + salt);
      seal(closed, nonces[salt]);
      raws[salt] = Xaes256Gcm.cachedKeyBytes(closed, nonces[salt], 0);
    }
    closed.destroy(); // the store's close
    for (byte[] raw : raws) {
      assertThat(allZero(raw)).isTrue();
    }
    AeadKey open = newKey();
    seal(open, nonce(7));
    for (byte[] n : nonces) {
      assertThat(Xaes256Gcm.cachedKeyBytes(closed, n, 0))
          .as("the closed store's keys left this thread's cache")
          .isNull();
    }
    open.destroy();
  }

  /**
   * A thread that ends leaves its cache to the garbage collector: a cleaner wipes its keys once it
   * is unreachable. The test asks for collections until that happened (no time is asserted).
   */
  @Test
  void theKeysOfAThreadThatEndedAreWiped() throws Exception {
    AeadKey key = newKey(); // stays alive: its weak hold on the derived key does not wipe it
    AtomicReference<byte[]> raw = new AtomicReference<>();
    Thread t =
        new Thread(
            () -> {
              byte[] n = nonce(42);
              seal(key, n);
              raw.set(Xaes256Gcm.cachedKeyBytes(key, n, 0));
            });
    t.start();
    t.join();
    assertThat(raw.get()).isNotNull();
    t = null;
    for (int i = 0; i < 500 && !allZero(raw.get()); i++) {
      System.gc();
      Thread.sleep(20);
    }
    assertThat(allZero(raw.get())).as("the ended thread's derived key is wiped").isTrue();
    assertThat(key.isDestroyed()).isFalse();
    key.destroy();
  }
}
