package dev.coffer.kms.local;

import com.google.protobuf.ByteString;
import dev.coffer.kms.SecretBytes;
import dev.coffer.kms.internal.AesGcm;
import dev.coffer.proto.Argon2idParams;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * Derives a keystore key from a passphrase with Argon2id (RFC 9106, Bouncy Castle), and checks the
 * cost parameters read from a file before spending memory on them. Stateless and thread-safe.
 */
final class Argon2id {
  /**
   * Default memory cost: 64 MiB. With the defaults one derivation took ~0.2-0.3 s warm and ~0.5 s
   * in a fresh JVM on the 2-vCPU EPYC build machine (docs/key-providers.md).
   */
  static final int DEFAULT_MEMORY_KIB = 64 * 1024;

  /** Default number of passes. */
  static final int DEFAULT_ITERATIONS = 2;

  /** Default lanes. */
  static final int DEFAULT_PARALLELISM = 1;

  /** Largest memory cost accepted, from a builder or from a file: 1 GiB. */
  static final int MAX_MEMORY_KIB = 1024 * 1024;

  static final int MAX_ITERATIONS = 64;
  static final int MAX_PARALLELISM = 16;

  /**
   * The floors a new keystore's costs must meet: OWASP's minimum Argon2id configuration (19 MiB, 2
   * passes, 1 lane); files written with lower costs by earlier versions still open.
   */
  static final int MIN_MEMORY_KIB = 19 * 1024;

  static final int MIN_ITERATIONS = 2;
  static final int SALT_BYTES = 16;
  static final int MAX_SALT_BYTES = 64;

  private Argon2id() {}

  /** Fresh parameters with a random salt. */
  static Argon2idParams newParams(int memoryKib, int iterations, int parallelism) {
    String problem = newKeystoreProblem(memoryKib, iterations, parallelism);
    if (problem != null) {
      throw new IllegalArgumentException(problem);
    }
    byte[] salt = AesGcm.randomBytes(SALT_BYTES);
    return Argon2idParams.newBuilder()
        .setSalt(ByteString.copyFrom(salt))
        .setMemoryKib(memoryKib)
        .setIterations(iterations)
        .setParallelism(parallelism)
        .build();
  }

  /**
   * Why these costs are refused for a new keystore (below the floors, or out of bounds), or null.
   */
  static String newKeystoreProblem(long memoryKib, long iterations, long parallelism) {
    if (memoryKib < MIN_MEMORY_KIB || iterations < MIN_ITERATIONS) {
      return "Argon2id costs below OWASP's minimum ("
          + MIN_MEMORY_KIB
          + " KiB and "
          + MIN_ITERATIONS
          + " passes) are refused for a new keystore, not "
          + memoryKib
          + " KiB and "
          + iterations
          + " passes";
    }
    return problem(memoryKib, iterations, parallelism);
  }

  /**
   * Why these costs are refused (out of the bounds a file may hold), or null when they are
   * acceptable.
   */
  static String problem(long memoryKib, long iterations, long parallelism) {
    if (parallelism < 1 || parallelism > MAX_PARALLELISM) {
      return "Argon2id parallelism must be between 1 and "
          + MAX_PARALLELISM
          + ", not "
          + parallelism;
    }
    if (iterations < 1 || iterations > MAX_ITERATIONS) {
      return "Argon2id iterations must be between 1 and " + MAX_ITERATIONS + ", not " + iterations;
    }
    if (memoryKib < 8L * parallelism || memoryKib > MAX_MEMORY_KIB) {
      return "Argon2id memory must be between 8 KiB per lane and "
          + MAX_MEMORY_KIB
          + " KiB, not "
          + memoryKib;
    }
    return null;
  }

  /** Whether parameters read from a file are within the accepted bounds. */
  static boolean acceptable(Argon2idParams p) {
    return p.getSalt().size() >= SALT_BYTES
        && p.getSalt().size() <= MAX_SALT_BYTES
        && problem(
                Integer.toUnsignedLong(p.getMemoryKib()),
                Integer.toUnsignedLong(p.getIterations()),
                Integer.toUnsignedLong(p.getParallelism()))
            == null;
  }

  /** The 256-bit key for {@code passphrase} under {@code params}. Every temporary byte is wiped. */
  static SecretBytes derive(char[] passphrase, Argon2idParams params) {
    byte[] password = utf8(passphrase);
    byte[] salt = params.getSalt().toByteArray();
    byte[] out = new byte[AesGcm.KEY_BYTES];
    try {
      Argon2BytesGenerator generator = new Argon2BytesGenerator();
      generator.init(
          new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
              .withVersion(Argon2Parameters.ARGON2_VERSION_13)
              .withSalt(salt)
              .withMemoryAsKB(params.getMemoryKib())
              .withIterations(params.getIterations())
              .withParallelism(params.getParallelism())
              .build());
      generator.generateBytes(password, out);
      return SecretBytes.wrap(out);
    } catch (RuntimeException e) {
      SecretBytes.wipe(out);
      throw e;
    } finally {
      SecretBytes.wipe(password);
    }
  }

  /** UTF-8 bytes of {@code chars} without leaving an unwiped copy behind. */
  private static byte[] utf8(char[] chars) {
    ByteBuffer buffer = StandardCharsets.UTF_8.encode(CharBuffer.wrap(chars));
    byte[] out = new byte[buffer.remaining()];
    buffer.get(out);
    if (buffer.hasArray()) {
      Arrays.fill(buffer.array(), (byte) 0);
    }
    return out;
  }
}
