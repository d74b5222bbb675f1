package dev.coffer.internal.record;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/**
 * Issue 15, leftover: the {@code Mac} that computes a ClientRequestToken's digest keeps the token
 * key XORed with HMAC's inner and outer pads, which the JDK never wipes. {@link
 * TokenRecords#digest(Mac, java.security.Key, String)} keys it again with an all-zero key once the
 * digest is computed, which writes the new pads over the old ones: afterwards the {@code Mac}
 * computes exactly HMAC under the zero key, so nothing derived from the token key is left in it.
 */
class TokenDigestWipeTest {
  private static byte[] hmac(byte[] key, byte[] message) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(key, "HmacSHA256"));
    return mac.doFinal(message);
  }

  @Test
  void theDigestsMacIsLeftKeyedWithZerosSoItHoldsNoPadOfTheTokenKey() throws Exception {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    Mac mac = Mac.getInstance("HmacSHA256");
    byte[] digest =
        TokenRecords.digest(mac, new SecretKeySpec(key, "HmacSHA256"), "token-of-the-caller");
    byte[] expected = hmac(key, "token-of-the-caller".getBytes(StandardCharsets.UTF_8));
    assertThat(digest).isEqualTo(Arrays.copyOf(expected, RecordKeys.TOKEN_DIGEST_BYTES));
    // the Mac's only key-dependent state is its pads: it now computes HMAC under the zero key
    byte[] probe = "probe".getBytes(StandardCharsets.UTF_8);
    assertThat(mac.doFinal(probe)).isEqualTo(hmac(new byte[32], probe));
    assertThat(mac.doFinal(probe)).isNotEqualTo(hmac(key, probe));
  }
}
