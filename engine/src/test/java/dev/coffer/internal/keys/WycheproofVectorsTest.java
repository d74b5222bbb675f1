package dev.coffer.internal.keys;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Wycheproof vectors for the primitives the engine uses: HKDF-SHA256 ({@link Hkdf}), HMAC-SHA256
 * ({@link PartitionTokens}) and the JDK's AES-GCM under the parameters the page cipher uses
 * (256-bit key, 96-bit nonce, 128-bit tag). Every valid vector must pass and every invalid one must
 * be rejected. The folder comes only from the system property {@code coffer.wycheproof.dir}, which
 * the parent pom sets from its {@code wycheproof.dir} property (relative to the project; override
 * with {@code -Dwycheproof.dir=...}); without it each test is skipped with a message. Each test
 * prints how many vectors of its file ran and were skipped.
 */
class WycheproofVectorsTest {
  private static final HexFormat HEX = HexFormat.of();

  private static JsonNode load(String file) throws IOException {
    String dir = System.getProperty("coffer.wycheproof.dir");
    Path path = dir == null || dir.isBlank() ? null : Path.of(dir, file);
    if (path == null || !Files.isRegularFile(path)) {
      String why =
          "Wycheproof vectors not found: "
              + (path == null ? "coffer.wycheproof.dir is not set" : path + " is absent")
              + " (the build sets it from the wycheproof.dir property; run with -Dwycheproof.dir=<folder>); skipping";
      System.out.println(why);
      Assumptions.assumeTrue(false, why);
    }
    return new ObjectMapper().readTree(path.toFile());
  }

  private static void report(String file, int run, int skipped, String why) {
    System.out.printf(
        "Wycheproof %s: %d vectors run, %d skipped%s%n",
        file, run, skipped, skipped == 0 ? "" : " (" + why + ")");
  }

  private static byte[] hex(JsonNode test, String field) {
    return HEX.parseHex(test.get(field).asText());
  }

  @Test
  void hkdfSha256() throws IOException {
    int valid = 0;
    int invalid = 0;
    for (JsonNode group : load("hkdf_sha256_test.json").get("testGroups")) {
      for (JsonNode t : group.get("tests")) {
        boolean expectValid = t.get("result").asText().equals("valid");
        byte[] out;
        try {
          out = Hkdf.derive(hex(t, "ikm"), hex(t, "salt"), hex(t, "info"), t.get("size").asInt());
        } catch (IllegalArgumentException e) {
          out = null;
        }
        boolean passed = out != null && Arrays.equals(out, hex(t, "okm"));
        assertThat(passed)
            .as("tcId %s (%s)", t.get("tcId"), t.get("comment"))
            .isEqualTo(expectValid);
        if (expectValid) {
          valid++;
        } else {
          invalid++;
        }
      }
    }
    report("hkdf_sha256_test.json", valid + invalid, 0, "");
    assertThat(valid).isGreaterThan(50);
    assertThat(invalid).isGreaterThan(0);
  }

  @Test
  void hmacSha256() throws IOException {
    int checked = 0;
    for (JsonNode group : load("hmac_sha256_test.json").get("testGroups")) {
      int tagBytes = group.get("tagSize").asInt() / 8;
      for (JsonNode t : group.get("tests")) {
        boolean expectValid = t.get("result").asText().equals("valid");
        byte[] key = hex(t, "key");
        boolean passed;
        if (key.length == 0) {
          passed = false; // the JDK refuses empty HMAC keys; Coffer's index keys are 32 bytes
        } else {
          byte[] mac = Arrays.copyOf(new PartitionTokens(key).hmac(hex(t, "msg")), tagBytes);
          passed = MessageDigest.isEqual(mac, hex(t, "tag"));
        }
        assertThat(passed)
            .as("tcId %s (%s)", t.get("tcId"), t.get("comment"))
            .isEqualTo(expectValid);
        checked++;
      }
    }
    report("hmac_sha256_test.json", checked, 0, "");
    assertThat(checked).isGreaterThan(50);
  }

  @Test
  void partitionTokensAreTheFirst16BytesOfTheHmac() {
    byte[] key = new byte[32];
    key[0] = 1;
    PartitionTokens tokens = new PartitionTokens(key);
    assertThat(tokens.token(new byte[] {1, 'a'}))
        .isEqualTo(Arrays.copyOf(tokens.hmac(new byte[] {1, 'a'}), 16));
    tokens.destroy();
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> tokens.token(new byte[] {1}))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void aesGcmWithThePageCipherParameters() throws IOException {
    int checked = 0;
    int skipped = 0;
    for (JsonNode group : load("aes_gcm_test.json").get("testGroups")) {
      if (group.get("keySize").asInt() != 256
          || group.get("ivSize").asInt() != 96
          || group.get("tagSize").asInt() != 128) {
        skipped += group.get("tests").size();
        continue;
      }
      for (JsonNode t : group.get("tests")) {
        boolean expectValid = t.get("result").asText().equals("valid");
        byte[] ct = hex(t, "ct");
        byte[] tag = hex(t, "tag");
        byte[] input = Arrays.copyOf(ct, ct.length + tag.length);
        System.arraycopy(tag, 0, input, ct.length, tag.length);
        boolean passed;
        try {
          Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
          c.init(
              Cipher.DECRYPT_MODE,
              new SecretKeySpec(hex(t, "key"), "AES"),
              new GCMParameterSpec(128, hex(t, "iv")));
          c.updateAAD(hex(t, "aad"));
          passed = Arrays.equals(c.doFinal(input), hex(t, "msg"));
        } catch (GeneralSecurityException e) {
          passed = false;
        }
        assertThat(passed)
            .as("tcId %s (%s)", t.get("tcId"), t.get("comment"))
            .isEqualTo(expectValid);
        checked++;
      }
    }
    report(
        "aes_gcm_test.json",
        checked,
        skipped,
        "key, nonce or tag size other than the page cipher's 256/96/128 bits");
    assertThat(checked).isGreaterThan(20);
  }

  @Test
  void derivedKeysDependOnEveryInput() {
    byte[] dk = new byte[32];
    byte[] s = new byte[16];
    byte[] t = new byte[16];
    byte[] base = KeyDerivation.pageKey(dk, s, t, 1).getEncoded();
    assertThat(KeyDerivation.pageKey(dk, s, t, 2).getEncoded()).isNotEqualTo(base);
    byte[] t2 = t.clone();
    t2[15] = 1;
    assertThat(KeyDerivation.pageKey(dk, s, t2, 1).getEncoded()).isNotEqualTo(base);
    assertThat(KeyDerivation.catalogKey(dk, s).getEncoded()).isNotEqualTo(base);
  }
}
