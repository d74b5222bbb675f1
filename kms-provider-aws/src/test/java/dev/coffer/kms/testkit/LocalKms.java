package dev.coffer.kms.testkit;

import dev.coffer.kms.ManagedKeyProvider;
import dev.coffer.kms.audit.AuditRecord;
import dev.coffer.kms.aws.AwsKmsKeyProvider;
import dev.coffer.kms.aws.RetrySettings;
import dev.coffer.kms.endpoint.KmsEndpoint;
import dev.coffer.kms.memory.InMemoryKeyProvider;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;

/**
 * A {@link KmsEndpoint} over a fresh {@link InMemoryKeyProvider} for tests, with one access key per
 * principal name ({@link #accessKeyId(String)}, {@link #secret(String)}), SDK clients and {@code
 * aws-kms} providers for them, and the key ring's audit records.
 */
public final class LocalKms implements AutoCloseable {
  public static final String OWNER = "root";

  private final ManagedKeyProvider keys;
  private final KmsEndpoint endpoint;
  private final List<AuditRecord> ringAudit;
  private final List<AuditRecord> providerAudit = new CopyOnWriteArrayList<>();
  private final List<AutoCloseable> toClose = new CopyOnWriteArrayList<>();
  private final Clock clock;

  private LocalKms(ManagedKeyProvider keys, List<AuditRecord> ringAudit, Clock clock) {
    this.clock = clock;
    this.keys = keys;
    this.ringAudit = ringAudit;
    this.endpoint =
        KmsEndpoint.builder()
            .keys(keys)
            .credentials(accessKeyId(OWNER), secret(OWNER), OWNER)
            .start();
  }

  /**
   * Starts an endpoint over a new in-memory key ring that (like the providers' audit records) reads
   * time from {@code clock}; signatures are checked against the system clock, as the SDK signs with
   * it.
   */
  public static LocalKms start(Clock clock) {
    List<AuditRecord> audit = new CopyOnWriteArrayList<>();
    return new LocalKms(
        InMemoryKeyProvider.builder().clock(clock).auditSink(audit::add).build(), audit, clock);
  }

  public static LocalKms start() {
    return start(Clock.systemUTC());
  }

  /**
   * Starts an endpoint over {@code keys} (acting as the account root), whose audit records go to
   * {@code ringAudit}. The caller closes {@code keys} after this.
   */
  public static LocalKms start(ManagedKeyProvider keys, List<AuditRecord> ringAudit, Clock clock) {
    return new LocalKms(keys, ringAudit, clock);
  }

  public static String accessKeyId(String principal) {
    return "AKIA" + principal.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "X");
  }

  public static String secret(String principal) {
    return "secret/" + principal + "/EXAMPLEKEY";
  }

  /** The keys behind the endpoint, acting as the account root. */
  public ManagedKeyProvider keys() {
    return keys;
  }

  public KmsEndpoint endpoint() {
    return endpoint;
  }

  /** Audit records of the key ring (the "KMS side"). */
  public List<AuditRecord> ringAudit() {
    return ringAudit;
  }

  /** Audit records of the aws-kms providers made by {@link #provider(String)}. */
  public List<AuditRecord> providerAudit() {
    return providerAudit;
  }

  /** Registers {@code principal}'s access key (idempotent). */
  public LocalKms principal(String principal) {
    endpoint.addCredentials(accessKeyId(principal), secret(principal), principal);
    return this;
  }

  /** An SDK client (no SDK retries) signing as {@code principal}. */
  public KmsClient client(String principal) {
    principal(principal);
    return client(accessKeyId(principal), secret(principal));
  }

  /** An SDK client (no SDK retries) with any credentials. */
  public KmsClient client(String accessKeyId, String secret) {
    KmsClient c =
        KmsClient.builder()
            .endpointOverride(endpoint.endpointUri())
            .region(Region.of(endpoint.region()))
            .credentialsProvider(
                StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKeyId, secret)))
            .httpClientBuilder(
                UrlConnectionHttpClient.builder()
                    .connectionTimeout(Duration.ofSeconds(2))
                    .socketTimeout(Duration.ofSeconds(10)))
            .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
            .build();
    toClose.add(c);
    return c;
  }

  /** An aws-kms provider through the endpoint acting as {@code principal}. */
  public AwsKmsKeyProvider provider(String principal) {
    principal(principal);
    AwsKmsKeyProvider p =
        AwsKmsKeyProvider.builder()
            .region(endpoint.region())
            .endpointOverride(endpoint.endpointUri())
            .credentialsProvider(
                StaticCredentialsProvider.create(
                    AwsBasicCredentials.create(accessKeyId(principal), secret(principal))))
            .principal(keys.asPrincipal(principal).principal())
            .retrySettings(
                RetrySettings.builder().maxAttempts(3).baseDelay(Duration.ofMillis(1)).build())
            .auditSink(providerAudit::add)
            .clock(clock)
            .build();
    toClose.add(p);
    return p;
  }

  @Override
  public void close() {
    for (AutoCloseable c : toClose) {
      try {
        c.close();
      } catch (Exception e) {
        // best effort
      }
    }
    endpoint.close();
  }
}
