package dev.coffer.torture;

import dev.coffer.Coffer;
import dev.coffer.CofferOptions;
import dev.coffer.kms.KeyManagement.CreateKeyRequest;
import dev.coffer.kms.aws.AwsKmsKeyProvider;
import dev.coffer.kms.aws.RetrySettings;
import dev.coffer.kms.endpoint.KmsEndpoint;
import dev.coffer.kms.memory.FaultInjector;
import dev.coffer.kms.memory.InMemoryKeyProvider;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * The aws-kms provider, through a {@link FaultyProxy}, against the KMS-compatible endpoint over an
 * in-memory key ring: faults on the wire (the proxy) and behind it (the ring's fault injection,
 * which the endpoint answers as KMS errors). The provider retries twice more on a retryable error
 * and times out reads after 300 ms. Two master keys, A and B. Not thread-safe.
 */
final class AwsKmsRig implements AutoCloseable {
  static final String ACCESS_KEY = "AKIDTORTURE";
  static final String SECRET = "torture-secret";
  static final Duration READ_TIMEOUT = Duration.ofMillis(300);

  final InMemoryKeyProvider ring;
  final KmsEndpoint endpoint;
  final FaultyProxy proxy;
  final AuditLog providerAudit = new AuditLog();
  final AwsKmsKeyProvider aws;
  final TriggeredProvider provider;
  final String keyA;
  final String keyB;

  AwsKmsRig() throws IOException {
    ring = InMemoryKeyProvider.builder().auditSink(new AuditLog()).build();
    keyA = ring.createKey(CreateKeyRequest.withDescription("a")).arn();
    keyB = ring.createKey(CreateKeyRequest.withDescription("b")).arn();
    endpoint = KmsEndpoint.builder().keys(ring).credentials(ACCESS_KEY, SECRET, "root").start();
    proxy = FaultyProxy.start(endpoint.endpointUri());
    aws = provider(proxy.uri(), providerAudit);
    provider = new TriggeredProvider(aws);
  }

  /**
   * An aws-kms provider with the rig's credentials and retry settings, against {@code endpoint}.
   */
  static AwsKmsKeyProvider provider(URI endpoint, AuditLog audit) {
    return AwsKmsKeyProvider.builder()
        .region("us-east-1")
        .endpointOverride(endpoint)
        .credentialsProvider(
            StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET)))
        .connectTimeout(Duration.ofSeconds(2))
        .readTimeout(READ_TIMEOUT)
        .retrySettings(
            RetrySettings.builder()
                .maxAttempts(3)
                .baseDelay(Duration.ofMillis(5))
                .maxDelay(Duration.ofMillis(20))
                .maxTotalTime(Duration.ofSeconds(5))
                .build())
        .auditSink(audit)
        .build();
  }

  /** Opens {@code dir} through the faulty network. */
  Coffer open(Path dir, String masterKey, Duration accessCheckInterval, AuditLog engineAudit) {
    return Coffer.open(
        dir,
        CofferOptions.builder()
            .keyProvider(provider)
            .masterKeyId(masterKey)
            .accessCheckInterval(accessCheckInterval)
            .auditSink(engineAudit)
            .build());
  }

  /** Ends every fault, on the wire and behind it. */
  void heal() {
    proxy.heal();
    FaultInjector.of(ring).clear();
  }

  @Override
  public void close() throws IOException {
    aws.close();
    proxy.close();
    endpoint.close();
  }
}
