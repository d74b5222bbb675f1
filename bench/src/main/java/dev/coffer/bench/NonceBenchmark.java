package dev.coffer.bench;

import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The cost of one 12-byte GCM nonce from each generator a cipher could draw from: why {@link
 * CipherBenchmark} gives every cipher the same source. Not a target; a reference for reading the
 * cipher ratios (moved here from the engine's former {@code SealCostMain}).
 *
 * <ul>
 *   <li>{@code ctr-drbg}: {@link BenchNonces}, the algorithm of the engine's page cipher before
 *       issue 15 (per-thread SP 800-90A CTR_DRBG, one AES-CTR request per 341 nonces); the page
 *       cipher now reads each record's nonce from the kernel, as {@code NativePRNGNonBlocking}'s
 *       {@code generateSeed} does (not measured here: see {@code jdk-aes-gcm-os-nonces} in {@link
 *       CipherBenchmark}).
 *   <li>{@code default}: {@code new SecureRandom()} (NativePRNG on Linux).
 *   <li>{@code NativePRNGNonBlocking}, {@code DRBG}, {@code SHA1PRNG}: {@code
 *       SecureRandom.getInstance(name)}.
 * </ul>
 *
 * <pre>
 * java -jar bench/target/benchmarks.jar NonceBenchmark
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class NonceBenchmark {
  @Param({"ctr-drbg", "default", "NativePRNGNonBlocking", "DRBG", "SHA1PRNG"})
  public String source;

  private final byte[] nonce = new byte[CipherBenchmark.NONCE_BYTES];
  private SecureRandom random;
  private BenchNonces drbg;

  @Setup
  public void setUp() throws NoSuchAlgorithmException {
    switch (source) {
      case "ctr-drbg":
        drbg = BenchNonces.current();
        break;
      case "default":
        random = new SecureRandom();
        break;
      default:
        random = SecureRandom.getInstance(source);
    }
  }

  @Benchmark
  public byte[] nonce() {
    if (drbg != null) {
      drbg.next(nonce);
    } else {
      random.nextBytes(nonce);
    }
    return nonce;
  }
}
