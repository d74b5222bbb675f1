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
 * digest is computed. What this test shows: the digest is the HMAC under the token key, and
 * afterwards the {@code Mac} computes HMAC under the zero key, not under the token key (its keyed
 * state is the zero key's). It cannot show where the old pads' bytes went: that the JDK's HMAC
 * writes the new pads into the same two arrays, over the old ones, is the JDK's implementation
 * ({@code HmacCore} keeps them in two final arrays), not something a test of the API can see.
 */
class TokenDigestMacRekeyTest {
  private static byte[] hmac(byte[] key, byte[] message) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(key, "HmacSHA256"));
    return mac.doFinal(message);
  }

  @Test
  void afterADigestTheMacComputesHmacUnderTheZeroKeyNotTheTokenKey() throws Exception {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    Mac mac = Mac.getInstance("HmacSHA256");
    byte[] digest =
        TokenRecords.digest(mac, new SecretKeySpec(key, "HmacSHA256"), "token-of-the-caller");
    byte[] expected = hmac(key, "token-of-the-caller".getBytes(StandardCharsets.UTF_8));
    assertThat(digest).isEqualTo(Arrays.copyOf(expected, RecordKeys.TOKEN_DIGEST_BYTES));
    // the Mac is keyed with the zero key now: it computes HMAC under it, not under the token key
    byte[] probe = "probe".getBytes(StandardCharsets.UTF_8);
    assertThat(mac.doFinal(probe)).isEqualTo(hmac(new byte[32], probe));
    assertThat(mac.doFinal(probe)).isNotEqualTo(hmac(key, probe));
  }
}
