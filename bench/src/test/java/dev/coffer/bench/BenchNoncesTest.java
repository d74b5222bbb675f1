package dev.coffer.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Set;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/**
 * The user-space baseline ciphers' nonces come from SP 800-90A CTR_DRBG (AES-256, no df, 4092-byte
 * requests), the engine's nonce algorithm before issue 15: checked against the standard written
 * block by block.
 */
class BenchNoncesTest {
  private static SecureRandom fixed(byte fill) {
    return new SecureRandom() {
      private static final long serialVersionUID = 1L;

      @Override
      public void nextBytes(byte[] bytes) {
        Arrays.fill(bytes, fill);
      }
    };
  }

  /** SP 800-90A 10.2.1 CTR_DRBG (AES-256, no df), block by block as in the standard. */
  private static final class Reference {
    byte[] key = new byte[32];
    byte[] v = new byte[16];

    Reference(byte[] seed) throws Exception {
      update(seed);
    }

    private byte[] block() throws Exception {
      BenchNonces.increment(v);
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
  void matchesTheStandardsAlgorithmWithTheEnginesRequestSize() throws Exception {
    byte[] seed = new byte[48];
    Arrays.fill(seed, (byte) 0x5a);
    Reference ref = new Reference(seed);
    BenchNonces source = new BenchNonces(fixed((byte) 0x5a));
    for (int request = 0; request < 3; request++) {
      byte[] expected = ref.generate(BenchNonces.REQUEST_BYTES);
      for (int off = 0; off < BenchNonces.REQUEST_BYTES; off += 12) {
        byte[] nonce = new byte[12];
        source.next(nonce);
        assertThat(HexFormat.of().formatHex(nonce))
            .isEqualTo(HexFormat.of().formatHex(Arrays.copyOfRange(expected, off, off + 12)));
      }
    }
  }

  @Test
  void noncesDoNotRepeat() {
    Set<String> seen = new HashSet<>();
    BenchNonces s = BenchNonces.current();
    for (int i = 0; i < 100_000; i++) {
      byte[] n = new byte[12];
      s.next(n);
      assertThat(seen.add(HexFormat.of().formatHex(n))).isTrue();
    }
  }
}
