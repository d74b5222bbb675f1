package dev.coffer.bench;

import dev.coffer.kms.DataKey;
import dev.coffer.kms.EncryptionContext;
import dev.coffer.kms.KeyManagement.CreateKeyRequest;
import dev.coffer.kms.KeyProvider;
import dev.coffer.kms.SecretBytes;
import dev.coffer.kms.WrappedKey;
import dev.coffer.kms.audit.AuditSink;
import dev.coffer.kms.aws.AwsKmsKeyProvider;
import dev.coffer.kms.aws.RetrySettings;
import dev.coffer.kms.endpoint.KmsEndpoint;
import dev.coffer.kms.local.LocalKeyProvider;
import dev.coffer.kms.memory.InMemoryKeyProvider;
import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * Data-key unwrap latency: one {@link KeyProvider#decrypt(WrappedKey, EncryptionContext)} (KMS
 * {@code Decrypt}) of a 256-bit data key wrapped by {@code GenerateDataKey} under the encryption
 * context the engine uses for a table's page key ({@code store, table, purpose=page, version}),
 * then destroying the returned plaintext. What opening a store, or a table after a rotation, pays
 * per wrapped key.
 *
 * <ul>
 *   <li>{@code memory}: {@link InMemoryKeyProvider}, the key ring in memory.
 *   <li>{@code local}: {@link LocalKeyProvider} over a keystore file opened with a raw 256-bit key
 *       (no Argon2id); each call first checks the keystore file for changes by other processes.
 *   <li>{@code aws-kms}: {@link AwsKmsKeyProvider} (AWS SDK for Java v2, URL-connection HTTP
 *       client, SigV4) talking over loopback HTTP to a {@link KmsEndpoint} serving an in-memory key
 *       ring: the SDK's and the HTTP round trip's cost, without a network. Real AWS KMS adds the
 *       network round trip (typically milliseconds) and its own service time.
 * </ul>
 *
 * <p>Audit sinks are off on every provider and on the endpoint's key ring, so the time is the
 * operation, not logging. Single-threaded.
 *
 * <p>Run:
 *
 * <pre>
 * ./mvnw -B -ntp verify -pl bench -am -DskipTests
 * java -jar bench/target/benchmarks.jar KeyUnwrapBenchmark -f 1 -wi 1 -w 1 -i 3 -r 1
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@Threads(1)
public class KeyUnwrapBenchmark {
  static final String MEMORY = "memory";
  static final String LOCAL = "local";
  static final String AWS_KMS = "aws-kms";
  private static final String ACCESS_KEY = "AKIACOFFERBENCH00000";
  private static final String SECRET_KEY = "coffer-bench-secret-access-key";

  @Param({MEMORY, LOCAL, AWS_KMS})
  public String provider;

  private final List<AutoCloseable> toClose = new ArrayList<>();
  private Path dir;
  private KeyProvider keys;
  private WrappedKey wrapped;
  private EncryptionContext context;

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    String keyId;
    switch (provider) {
      case MEMORY:
        {
          InMemoryKeyProvider p = InMemoryKeyProvider.builder().auditSink(AuditSink.none()).build();
          toClose.add(p);
          keyId = p.createKey(CreateKeyRequest.withDescription("coffer bench unwrap")).keyId();
          keys = p;
          break;
        }
      case LOCAL:
        {
          dir = BenchData.scratchDir("coffer-unwrap-");
          byte[] raw = new byte[32];
          new SecureRandom().nextBytes(raw);
          LocalKeyProvider p =
              LocalKeyProvider.builder()
                  .keystore(dir.resolve("keystore"))
                  .rawKey(SecretBytes.wrap(raw))
                  .auditSink(AuditSink.none())
                  .build();
          toClose.add(p);
          keyId = p.createKey(CreateKeyRequest.withDescription("coffer bench unwrap")).keyId();
          keys = p;
          break;
        }
      case AWS_KMS:
        {
          InMemoryKeyProvider ring =
              InMemoryKeyProvider.builder().auditSink(AuditSink.none()).build();
          toClose.add(ring);
          keyId = ring.createKey(CreateKeyRequest.withDescription("coffer bench unwrap")).arn();
          KmsEndpoint endpoint =
              KmsEndpoint.builder().keys(ring).credentials(ACCESS_KEY, SECRET_KEY, "root").start();
          toClose.add(0, endpoint);
          AwsKmsKeyProvider p =
              AwsKmsKeyProvider.builder()
                  .region(endpoint.region())
                  .endpointOverride(endpoint.endpointUri())
                  .credentialsProvider(
                      StaticCredentialsProvider.create(
                          AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
                  .retrySettings(RetrySettings.none())
                  .auditSink(AuditSink.none())
                  .build();
          toClose.add(0, p);
          keys = p;
          break;
        }
      default:
        throw new IllegalArgumentException("unknown provider " + provider);
    }
    context =
        EncryptionContext.of(
            "store",
            "00112233445566778899aabbccddeeff",
            "table",
            "ffeeddccbbaa99887766554433221100",
            "purpose",
            "page",
            "version",
            "1");
    try (DataKey dk = keys.generateDataKey(keyId, context)) {
      wrapped = dk.wrapped();
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() throws Exception {
    for (AutoCloseable c : toClose) {
      c.close();
    }
    toClose.clear();
    if (dir != null) {
      BenchData.deleteRecursively(dir);
    }
  }

  @Benchmark
  public int unwrap() {
    try (SecretBytes plaintext = keys.decrypt(wrapped, context)) {
      return plaintext.length();
    }
  }
}
