package dev.coffer.kms.endpoint;

import dev.coffer.kms.ManagedKeyProvider;
import dev.coffer.kms.audit.AuditRecord;
import dev.coffer.kms.memory.InMemoryKeyProvider;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;

/**
 * A {@link KmsEndpoint} over a fresh {@link InMemoryKeyProvider} (or given keys) for the endpoint's
 * tests, with one access key per principal name ({@link #accessKeyId(String)}, {@link
 * #secret(String)}), SDK clients for them, and the key ring's audit records. (The {@code aws-kms}
 * provider's tests, in {@code coffer-kms-provider-aws}, have their own, which adds providers.)
 */
final class LocalKms implements AutoCloseable {
  static final String OWNER = "root";

  private final ManagedKeyProvider keys;
  private final KmsEndpoint endpoint;
  private final List<AuditRecord> ringAudit;
  private final List<AutoCloseable> toClose = new CopyOnWriteArrayList<>();

  private LocalKms(
      ManagedKeyProvider keys,
      List<AuditRecord> ringAudit,
      UnaryOperator<KmsEndpoint.Builder> settings) {
    this.keys = keys;
    this.ringAudit = ringAudit;
    this.endpoint =
        settings
            .apply(
                KmsEndpoint.builder()
                    .keys(keys)
                    .credentials(accessKeyId(OWNER), secret(OWNER), OWNER))
            .start();
  }

  /** An endpoint over a new in-memory key ring whose audit records go to {@link #ringAudit()}. */
  static LocalKms start() {
    return start(b -> b);
  }

  /** The same, with endpoint settings. */
  static LocalKms start(UnaryOperator<KmsEndpoint.Builder> settings) {
    List<AuditRecord> audit = new CopyOnWriteArrayList<>();
    return new LocalKms(
        InMemoryKeyProvider.builder().clock(Clock.systemUTC()).auditSink(audit::add).build(),
        audit,
        settings);
  }

  /**
   * An endpoint over {@code keys} (acting as the account root), whose audit records go to {@code
   * ringAudit}. The caller closes {@code keys} after this.
   */
  static LocalKms start(ManagedKeyProvider keys, List<AuditRecord> ringAudit, Clock clock) {
    return new LocalKms(keys, ringAudit, b -> b);
  }

  static String accessKeyId(String principal) {
    return "AKIA" + principal.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "X");
  }

  static String secret(String principal) {
    return "secret/" + principal + "/EXAMPLEKEY";
  }

  /** The keys behind the endpoint, acting as the account root. */
  ManagedKeyProvider keys() {
    return keys;
  }

  KmsEndpoint endpoint() {
    return endpoint;
  }

  /** Audit records of the key ring. */
  List<AuditRecord> ringAudit() {
    return ringAudit;
  }

  /** Registers {@code principal}'s access key (idempotent). */
  LocalKms principal(String principal) {
    endpoint.addCredentials(accessKeyId(principal), secret(principal), principal);
    return this;
  }

  /** An SDK client (no SDK retries) signing as {@code principal}. */
  KmsClient client(String principal) {
    principal(principal);
    return client(accessKeyId(principal), secret(principal));
  }

  /** An SDK client (no SDK retries) with any credentials. */
  KmsClient client(String accessKeyId, String secret) {
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
