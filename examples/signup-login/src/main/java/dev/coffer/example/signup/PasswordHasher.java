package dev.coffer.example.signup;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * Argon2id password hashes in the PHC string form that the reference implementation, libsodium,
 * argon2-cffi and Spring Security write: {@code $argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>} (salt
 * and hash in base64 without padding).
 *
 * <p>A password is hashed, never encrypted: the application must be able to check a password, never
 * to read one back. The parameters are OWASP's recommended minimum for Argon2id (19 MiB of memory,
 * 2 passes, 1 lane), a 16-byte random salt per hash and a 32-byte output. {@link #verify} reads the
 * parameters from the stored string, so they can be raised later without breaking existing hashes,
 * and refuses strings whose parameters are outside sane bounds (a stored hash must not be able to
 * make a log-in use gigabytes of memory).
 *
 * <p>Thread-safe.
 */
public final class PasswordHasher {
  /** Memory in KiB (19 MiB), passes and lanes: OWASP's Password Storage Cheat Sheet, Argon2id. */
  public static final int MEMORY_KIB = 19 * 1024;

  public static final int ITERATIONS = 2;
  public static final int PARALLELISM = 1;
  private static final int SALT_BYTES = 16;
  private static final int HASH_BYTES = 32;

  /** The longest password accepted (characters); Argon2 takes any length, a web form should not. */
  public static final int MAX_PASSWORD_CHARS = 1024;

  private static final Pattern PHC =
      Pattern.compile(
          "\\$argon2id\\$v=19\\$m=(\\d{1,7}),t=(\\d{1,2}),p=(\\d{1,2})\\$([A-Za-z0-9+/]{11,64})\\$([A-Za-z0-9+/]{22,128})");
  private static final Base64.Encoder B64 = Base64.getEncoder().withoutPadding();
  private static final Base64.Decoder B64_DECODE = Base64.getDecoder();

  private final SecureRandom random = new SecureRandom();

  /** A new hash of {@code password} under a fresh random salt, as a PHC string. */
  public String hash(String password) {
    byte[] salt = new byte[SALT_BYTES];
    random.nextBytes(salt);
    byte[] hash = argon2id(password, salt, MEMORY_KIB, ITERATIONS, PARALLELISM, HASH_BYTES);
    try {
      return "$argon2id$v=19$m="
          + MEMORY_KIB
          + ",t="
          + ITERATIONS
          + ",p="
          + PARALLELISM
          + "$"
          + B64.encodeToString(salt)
          + "$"
          + B64.encodeToString(hash);
    } finally {
      Arrays.fill(hash, (byte) 0);
    }
  }

  /**
   * Whether {@code password} matches {@code phc}, compared in constant time.
   *
   * @throws IllegalArgumentException when {@code phc} is not an Argon2id PHC string with parameters
   *     within bounds (memory 8 KiB to 1 GiB, 1 to 10 passes, 1 to 16 lanes)
   */
  public boolean verify(String password, String phc) {
    Matcher m = PHC.matcher(phc);
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "not an Argon2id PHC string ($argon2id$v=19$m=..,t=..,p=..$salt$hash)");
    }
    int memory = Integer.parseInt(m.group(1));
    int iterations = Integer.parseInt(m.group(2));
    int parallelism = Integer.parseInt(m.group(3));
    if (memory < 8 * parallelism
        || memory > 1024 * 1024
        || iterations < 1
        || iterations > 10
        || parallelism < 1
        || parallelism > 16) {
      throw new IllegalArgumentException(
          "Argon2id parameters out of bounds: m="
              + memory
              + ",t="
              + iterations
              + ",p="
              + parallelism);
    }
    byte[] salt = B64_DECODE.decode(m.group(4));
    byte[] expected = B64_DECODE.decode(m.group(5));
    byte[] actual = argon2id(password, salt, memory, iterations, parallelism, expected.length);
    try {
      return MessageDigest.isEqual(actual, expected);
    } finally {
      Arrays.fill(actual, (byte) 0);
    }
  }

  static byte[] argon2id(
      String password, byte[] salt, int memoryKib, int iterations, int parallelism, int length) {
    if (password.length() > MAX_PASSWORD_CHARS) {
      throw new IllegalArgumentException(
          "passwords are at most " + MAX_PASSWORD_CHARS + " characters");
    }
    Argon2BytesGenerator generator = new Argon2BytesGenerator();
    generator.init(
        new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
            .withVersion(Argon2Parameters.ARGON2_VERSION_13)
            .withSalt(salt)
            .withMemoryAsKB(memoryKib)
            .withIterations(iterations)
            .withParallelism(parallelism)
            .build());
    byte[] utf8 = password.getBytes(StandardCharsets.UTF_8);
    byte[] out = new byte[length];
    try {
      generator.generateBytes(utf8, out);
    } finally {
      Arrays.fill(utf8, (byte) 0);
    }
    return out;
  }
}
