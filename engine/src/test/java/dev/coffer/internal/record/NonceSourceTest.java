package dev.coffer.internal.record;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Set;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class NonceSourceTest {
  /** A fixed "entropy source", so the output can be checked against the standard's algorithm. */
  private static SecureRandom fixed(byte fill) {
    return new SecureRandom() {
      private static final long serialVersionUID = 1L;

      @Override
      public void nextBytes(byte[] bytes) {
        Arrays.fill(bytes, fill);
      }
    };
  }

  /** SP 800-90A 10.2.1 CTR_DRBG (AES-256, no df), written block by block as in the standard. */
  private static final class Reference {
    byte[] key = new byte[32];
    byte[] v = new byte[16];

    Reference(byte[] seed) throws Exception {
      update(seed);
    }

    private byte[] block() throws Exception {
      NonceSource.increment(v);
      Cipher ecb = Cipher.getInstance("AES/ECB/NoPadding");
      ecb.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"));
      return ecb.doFinal(v);
    }

    void update(byte[] provided) throws Exception {
      byte[] temp = new byte[48];
      for (int i = 0; i < 3; i++) {
        System.arraycopy(block(), 0, temp, 16 * i, 16);
      }
      for (int i = 0; i < 48; i++) {
        temp[i] ^= provided[i];
      }
      key = Arrays.copyOfRange(temp, 0, 32);
      v = Arrays.copyOfRange(temp, 32, 48);
    }

    byte[] generate(int n) throws Exception {
      byte[] out = new byte[n];
      for (int off = 0; off < n; off += 16) {
        byte[] b = block();
        System.arraycopy(b, 0, out, off, Math.min(16, n - off));
      }
      update(new byte[48]);
      return out;
    }
  }

  @Test
  void matchesTheStandardsAlgorithm() throws Exception {
    byte[] seed = new byte[48];
    Arrays.fill(seed, (byte) 0x5a);
    Reference ref = new Reference(seed);
    NonceSource source = new NonceSource(fixed((byte) 0x5a));
    for (int request = 0; request < 3; request++) {
      byte[] expected = ref.generate(NonceSource.REQUEST_BYTES);
      for (int off = 0; off < NonceSource.REQUEST_BYTES; off += 12) {
        byte[] nonce = new byte[12];
        source.next(nonce);
        assertThat(HexFormat.of().formatHex(nonce))
            .isEqualTo(HexFormat.of().formatHex(Arrays.copyOfRange(expected, off, off + 12)));
      }
    }
  }

  @Test
  void differentSeedsGiveDifferentStreamsAndNoncesDoNotRepeat() {
    NonceSource a = new NonceSource(fixed((byte) 1));
    NonceSource b = new NonceSource(fixed((byte) 2));
    byte[] x = new byte[12];
    byte[] y = new byte[12];
    a.next(x);
    b.next(y);
    assertThat(x).isNotEqualTo(y);
    Set<String> seen = new HashSet<>();
    NonceSource s = NonceSource.current();
    for (int i = 0; i < 200_000; i++) {
      byte[] n = new byte[12];
      s.next(n);
      assertThat(seen.add(HexFormat.of().formatHex(n))).isTrue();
    }
  }

  @Test
  void incrementCarriesThroughAllBytes() {
    byte[] v = new byte[16];
    Arrays.fill(v, (byte) 0xff);
    NonceSource.increment(v);
    assertThat(v).isEqualTo(new byte[16]);
  }
}
