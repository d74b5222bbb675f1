package dev.coffer.bench;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.modes.GCMBlockCipher;
import org.bouncycastle.crypto.modes.GCMModeCipher;
import org.bouncycastle.crypto.params.AEADParameters;
import org.bouncycastle.crypto.params.KeyParameter;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Sealing and opening one message with an AEAD, per cipher and message size: the cost a page pays
 * for encryption, and how close Coffer's page cipher gets to the bare JDK AES-GCM.
 *
 * <p>Every seal draws a fresh random 96-bit nonce and binds 73 bytes of associated data (the length
 * of a page's); the output is {@code nonce || ciphertext || tag} in a newly allocated array. Where
 * the nonces come from matters as much as the cipher ({@code SecureRandom} costs 170-400 ns per
 * nonce here, which alone once moved the 256 B seal ratio from 0.92x to 1.28x; {@link
 * NonceBenchmark} measures the generators), so the benchmark has two baselines. Since issue 15 the
 * page cipher reads 96 bits of every record's nonce from the kernel (one {@code read} of {@code
 * /dev/urandom}, so that a cloned process does not repeat them): {@code jdk-aes-gcm-os-nonces} does
 * the same, and the page cipher against it is the equal-nonce comparison (what XAES-256-GCM and the
 * envelope cost). {@code jdk-aes-gcm} and the other ciphers draw from {@link BenchNonces}, a
 * per-thread user-space CTR_DRBG (the engine's nonce source before issue 15): the page cipher
 * against it gives the whole cost of issue 15's nonces, the system call included. Opens cycle
 * through a ring of messages sealed in setup, because the JDK's ChaCha20-Poly1305 refuses a re-init
 * with the key and nonce it was last initialised with, even to decrypt.
 *
 * <ul>
 *   <li>{@code jdk-aes-gcm}: {@code Cipher.getInstance("AES/GCM/NoPadding")}, AES-256: the baseline
 *       (AES-NI intrinsics), nonces from {@link BenchNonces}.
 *   <li>{@code jdk-aes-gcm-os-nonces}: the same cipher, each nonce read from the kernel as the page
 *       cipher's are ({@code NativePRNGNonBlocking.generateSeed}): the equal-nonce baseline.
 *   <li>{@code bc-aes-gcm}: Bouncy Castle's lightweight {@link GCMModeCipher} over {@code
 *       AESEngine}, AES-256 (pure Java).
 *   <li>{@code jdk-chacha20-poly1305}: {@code Cipher.getInstance("ChaCha20-Poly1305")}.
 *   <li>{@code coffer-page}: the engine's page cipher ({@code
 *       dev.coffer.internal.record.PageCipher}), envelope header and associated data included: see
 *       {@link CofferPageSealer}.
 * </ul>
 *
 * <p>Run (allocation per operation with {@code -prof gc}):
 *
 * <pre>
 * ./mvnw -B -ntp verify -pl bench -am -DskipTests
 * java -jar bench/target/benchmarks.jar CipherBenchmark -prof gc -rf json -rff cipher.json
 * java -jar bench/target/benchmarks.jar CipherBenchmark -p size=4096,16384 \
 *     -p cipher=jdk-aes-gcm,jdk-aes-gcm-os-nonces,coffer-page
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class CipherBenchmark {
  static final int NONCE_BYTES = 12;
  static final int TAG_BYTES = 16;
  static final int AD_BYTES = 73; // the length of the engine's page associated data
  private static final int RING = 8;

  @Param({
    "jdk-aes-gcm",
    "jdk-aes-gcm-os-nonces",
    "bc-aes-gcm",
    "jdk-chacha20-poly1305",
    "coffer-page"
  })
  public String cipher;

  @Param({"256", "1024", "4096", "16384", "65536"})
  public int size;

  private Sealer sealer;
  private byte[] plaintext;
  private final byte[][] sealed = new byte[RING][];
  private int next;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    SecureRandom random = new SecureRandom();
    byte[] key = new byte[32];
    random.nextBytes(key);
    byte[] associatedData = new byte[AD_BYTES];
    random.nextBytes(associatedData);
    sealer = Sealer.create(cipher, key, associatedData);
    plaintext = new byte[size];
    random.nextBytes(plaintext);
    for (int i = 0; i < RING; i++) {
      sealed[i] = sealer.seal(plaintext);
    }
    byte[] opened = sealer.open(sealed[0]);
    if (!Arrays.equals(opened, plaintext)) {
      throw new IllegalStateException(cipher + " does not round-trip");
    }
    next = 1; // never re-open the message opened last (ChaCha20-Poly1305 refuses it)
  }

  @Benchmark
  public byte[] seal() throws Exception {
    return sealer.seal(plaintext);
  }

  @Benchmark
  public byte[] open() throws Exception {
    byte[] message = sealed[next];
    next = (next + 1) & (RING - 1);
    return sealer.open(message);
  }

  /** One AEAD under one key with fixed associated data; seal makes its own nonce. */
  interface Sealer {
    byte[] seal(byte[] plaintext) throws Exception;

    byte[] open(byte[] sealed) throws Exception;

    static Sealer create(String name, byte[] key, byte[] associatedData) throws Exception {
      switch (name) {
        case "jdk-aes-gcm":
          return new JdkAesGcm(key, associatedData, nonce -> BenchNonces.current().next(nonce));
        case "jdk-aes-gcm-os-nonces":
          return new JdkAesGcm(key, associatedData, osNonces());
        case "bc-aes-gcm":
          return new BouncyCastleAesGcm(key, associatedData);
        case "jdk-chacha20-poly1305":
          return new JdkChaCha20Poly1305(key, associatedData);
        case "coffer-page":
          return new CofferPageSealer(key, associatedData);
        default:
          throw new IllegalArgumentException("unknown cipher " + name);
      }
    }
  }

  /** Fills a nonce. */
  interface Nonces {
    void next(byte[] nonce);
  }

  /**
   * Every nonce read from the kernel, as the engine's {@code NonceSource} reads the per-record half
   * of its nonces: {@code NativePRNGNonBlocking}'s {@code generateSeed} is one {@code read} of
   * {@code /dev/urandom} per call.
   */
  static Nonces osNonces() throws GeneralSecurityException {
    SecureRandom os = SecureRandom.getInstance("NativePRNGNonBlocking");
    return nonce -> {
      byte[] fresh = os.generateSeed(nonce.length);
      System.arraycopy(fresh, 0, nonce, 0, nonce.length);
    };
  }

  /** The baselines: JDK AES-256-GCM, 128-bit tag, nonces from the given source. */
  static final class JdkAesGcm implements Sealer {
    private final Cipher cipher;
    private final SecretKeySpec key;
    private final byte[] associatedData;
    private final Nonces nonces;

    JdkAesGcm(byte[] key, byte[] associatedData, Nonces nonces) throws GeneralSecurityException {
      this.cipher = Cipher.getInstance("AES/GCM/NoPadding");
      this.key = new SecretKeySpec(key, "AES");
      this.associatedData = associatedData;
      this.nonces = nonces;
    }

    @Override
    public byte[] seal(byte[] plaintext) throws GeneralSecurityException {
      byte[] out = new byte[NONCE_BYTES + plaintext.length + TAG_BYTES];
      byte[] nonce = new byte[NONCE_BYTES];
      nonces.next(nonce);
      System.arraycopy(nonce, 0, out, 0, NONCE_BYTES);
      cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BYTES * 8, nonce));
      cipher.updateAAD(associatedData);
      cipher.doFinal(plaintext, 0, plaintext.length, out, NONCE_BYTES);
      return out;
    }

    @Override
    public byte[] open(byte[] sealed) throws GeneralSecurityException {
      cipher.init(
          Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BYTES * 8, sealed, 0, NONCE_BYTES));
      cipher.updateAAD(associatedData);
      return cipher.doFinal(sealed, NONCE_BYTES, sealed.length - NONCE_BYTES);
    }
  }

  /** Bouncy Castle's lightweight (pure Java) AES-256-GCM, nonces from {@link BenchNonces}. */
  static final class BouncyCastleAesGcm implements Sealer {
    private final GCMModeCipher cipher = GCMBlockCipher.newInstance(AESEngine.newInstance());
    private final KeyParameter key;
    private final byte[] associatedData;

    BouncyCastleAesGcm(byte[] key, byte[] associatedData) {
      this.key = new KeyParameter(key);
      this.associatedData = associatedData;
    }

    @Override
    public byte[] seal(byte[] plaintext) throws InvalidCipherTextException {
      byte[] out = new byte[NONCE_BYTES + plaintext.length + TAG_BYTES];
      byte[] nonce = new byte[NONCE_BYTES];
      BenchNonces.current().next(nonce);
      System.arraycopy(nonce, 0, out, 0, NONCE_BYTES);
      cipher.init(true, new AEADParameters(key, TAG_BYTES * 8, nonce, associatedData));
      int n = cipher.processBytes(plaintext, 0, plaintext.length, out, NONCE_BYTES);
      cipher.doFinal(out, NONCE_BYTES + n);
      return out;
    }

    @Override
    public byte[] open(byte[] sealed) throws InvalidCipherTextException {
      byte[] nonce = Arrays.copyOf(sealed, NONCE_BYTES);
      cipher.init(false, new AEADParameters(key, TAG_BYTES * 8, nonce, associatedData));
      byte[] out = new byte[sealed.length - NONCE_BYTES - TAG_BYTES];
      int n = cipher.processBytes(sealed, NONCE_BYTES, sealed.length - NONCE_BYTES, out, 0);
      cipher.doFinal(out, n);
      return out;
    }
  }

  /** JDK ChaCha20-Poly1305 (RFC 8439), 96-bit nonce from {@link BenchNonces}, 128-bit tag. */
  static final class JdkChaCha20Poly1305 implements Sealer {
    private final Cipher cipher;
    private final SecretKeySpec key;
    private final byte[] associatedData;

    JdkChaCha20Poly1305(byte[] key, byte[] associatedData) throws GeneralSecurityException {
      this.cipher = Cipher.getInstance("ChaCha20-Poly1305");
      this.key = new SecretKeySpec(key, "ChaCha20");
      this.associatedData = associatedData;
    }

    @Override
    public byte[] seal(byte[] plaintext) throws GeneralSecurityException {
      byte[] out = new byte[NONCE_BYTES + plaintext.length + TAG_BYTES];
      byte[] nonce = new byte[NONCE_BYTES];
      BenchNonces.current().next(nonce);
      System.arraycopy(nonce, 0, out, 0, NONCE_BYTES);
      cipher.init(Cipher.ENCRYPT_MODE, key, new IvParameterSpec(nonce));
      cipher.updateAAD(associatedData);
      cipher.doFinal(plaintext, 0, plaintext.length, out, NONCE_BYTES);
      return out;
    }

    @Override
    public byte[] open(byte[] sealed) throws GeneralSecurityException {
      cipher.init(Cipher.DECRYPT_MODE, key, new IvParameterSpec(sealed, 0, NONCE_BYTES));
      cipher.updateAAD(associatedData);
      return cipher.doFinal(sealed, NONCE_BYTES, sealed.length - NONCE_BYTES);
    }
  }
}
