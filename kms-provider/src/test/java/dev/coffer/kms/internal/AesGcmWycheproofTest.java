package dev.coffer.kms.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.crypto.AEADBadTagException;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;

/**
 * Runs Project Wycheproof's AES-GCM vectors through {@link AesGcm}: every vector with parameters it
 * supports (256-bit key, 96-bit IV, 128-bit tag) must seal to the expected ciphertext and open when
 * valid, and must be rejected when invalid. Vectors with other parameters are counted as skipped,
 * with the reason. The folder comes only from the system property {@code coffer.wycheproof.dir},
 * which the parent pom sets from its {@code wycheproof.dir} property (relative to the project;
 * override with {@code -Dwycheproof.dir=...}); without the file the test is skipped with a message.
 * The counts are printed.
 */
class AesGcmWycheproofTest {
  private static final HexFormat HEX = HexFormat.of();

  /**
   * {@code file} in the folder named by {@code dir} (the build property), or null when none is
   * named.
   */
  static Path vectors(String dir, String file) {
    return dir == null || dir.isBlank() ? null : Path.of(dir).resolve(file);
  }

  @Test
  void theFolderComesOnlyFromTheBuildProperty() {
    assertThat(vectors(null, "aes_gcm_test.json")).isNull();
    assertThat(vectors(" ", "aes_gcm_test.json")).isNull();
    assertThat(vectors("vectors", "aes_gcm_test.json"))
        .isEqualTo(Path.of("vectors", "aes_gcm_test.json"));
  }

  @Test
  void wycheproofAesGcmVectors() throws Exception {
    Path file = vectors(System.getProperty("coffer.wycheproof.dir"), "aes_gcm_test.json");
    if (file == null || !Files.isRegularFile(file)) {
      String why =
          "Wycheproof vectors not found: "
              + (file == null ? "coffer.wycheproof.dir is not set" : file + " is absent")
              + " (the build sets it from the wycheproof.dir property; run with -Dwycheproof.dir=<folder>); skipping";
      System.out.println(why);
      assumeTrue(false, why);
    }
    JsonNode root = new ObjectMapper().readTree(file.toFile());
    int valid = 0;
    int invalid = 0;
    Map<String, Integer> skipped = new TreeMap<>();
    List<String> failures = new ArrayList<>();
    for (JsonNode group : root.get("testGroups")) {
      int keySize = group.get("keySize").asInt();
      int ivSize = group.get("ivSize").asInt();
      int tagSize = group.get("tagSize").asInt();
      for (JsonNode t : group.get("tests")) {
        String reason = null;
        if (keySize != 256) {
          reason = "key size " + keySize + " bits (AesGcm is AES-256 only)";
        } else if (ivSize != 96) {
          reason = "IV size other than 96 bits (AesGcm uses 96-bit nonces only)";
        } else if (tagSize != 128) {
          reason = "tag size " + tagSize + " bits (AesGcm uses 128-bit tags only)";
        }
        if (reason != null) {
          skipped.merge(reason, 1, Integer::sum);
          continue;
        }
        String id = "tcId " + t.get("tcId").asInt() + " (" + t.get("comment").asText() + ")";
        byte[] key = HEX.parseHex(t.get("key").asText());
        byte[] iv = HEX.parseHex(t.get("iv").asText());
        byte[] aad = HEX.parseHex(t.get("aad").asText());
        byte[] msg = HEX.parseHex(t.get("msg").asText());
        byte[] ct = HEX.parseHex(t.get("ct").asText());
        byte[] tag = HEX.parseHex(t.get("tag").asText());
        byte[] sealed = concat(ct, tag);
        String result = t.get("result").asText();
        if (result.equals("valid")) {
          valid++;
          if (!Arrays.equals(AesGcm.seal(key, iv, msg, aad), sealed)) {
            failures.add(id + ": seal gave another ciphertext");
          }
          try {
            if (!Arrays.equals(AesGcm.open(key, iv, sealed, aad), msg)) {
              failures.add(id + ": open gave another plaintext");
            }
          } catch (AEADBadTagException e) {
            failures.add(id + ": valid vector rejected");
          }
        } else if (result.equals("invalid")) {
          invalid++;
          try {
            AesGcm.open(key, iv, sealed, aad);
            failures.add(id + ": invalid vector accepted");
          } catch (AEADBadTagException expected) {
            // rejected, as it must be
          }
        } else {
          skipped.merge("result '" + result + "'", 1, Integer::sum);
        }
      }
    }
    int skippedTotal = skipped.values().stream().mapToInt(Integer::intValue).sum();
    System.out.printf(
        "Wycheproof AES-GCM (%s): %d vectors run (%d valid, %d invalid), %d skipped: %s%n",
        file, valid + invalid, valid, invalid, skippedTotal, skipped);
    assertThat(failures).isEmpty();
    assertThat(valid + invalid).as("vectors run").isGreaterThan(0);
    assertThat(valid + invalid + skippedTotal).isEqualTo(root.get("numberOfTests").asInt());
  }

  @Test
  void rejectsWrongNonceLengthAndShortCiphertext() {
    byte[] key = new byte[32];
    assertThat(
            Assertions.catchThrowable(
                () -> AesGcm.open(key, new byte[16], new byte[32], new byte[0])))
        .isInstanceOf(AEADBadTagException.class);
    assertThat(
            Assertions.catchThrowable(
                () -> AesGcm.open(key, new byte[12], new byte[15], new byte[0])))
        .isInstanceOf(AEADBadTagException.class);
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
