package dev.coffer.kms.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coffer.kms.DataKey;
import dev.coffer.kms.EncryptionContext;
import dev.coffer.kms.KeyDescription;
import dev.coffer.kms.KeyManagement.CreateKeyRequest;
import dev.coffer.kms.KeyProviderUnavailableException;
import dev.coffer.kms.SecretBytes;
import dev.coffer.kms.audit.AuditSink;
import dev.coffer.kms.endpoint.KmsEndpoint;
import dev.coffer.kms.memory.InMemoryKeyProvider;
import dev.coffer.kms.testkit.LocalKms;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * The {@code aws-kms} provider against the local KMS endpoint ({@code KmsEndpoint}, from {@code
 * coffer-server} in test scope): an endpoint that went away, many callers at once, and the region
 * the provider signs for.
 */
class ProviderOverEndpointTest {
  private static final EncryptionContext CTX =
      EncryptionContext.of("store", "s", "purpose", "page");

  @Test
  void afterTheEndpointClosesCallsAreUnavailable() {
    LocalKms kms = LocalKms.start();
    KeyDescription key = kms.keys().createKey(CreateKeyRequest.withDescription("k"));
    AwsKmsKeyProvider p = kms.provider(LocalKms.OWNER);
    p.describeKey(key.arn());
    kms.endpoint().close();
    assertThatThrownBy(() -> p.describeKey(key.arn()))
        .isInstanceOf(KeyProviderUnavailableException.class);
    kms.close();
  }

  @Test
  void manyCallersAtOnce() throws Exception {
    try (LocalKms kms = LocalKms.start()) {
      KeyDescription key = kms.keys().createKey(CreateKeyRequest.withDescription("k"));
      AwsKmsKeyProvider p = kms.provider(LocalKms.OWNER);
      ExecutorService pool = Executors.newFixedThreadPool(8);
      try {
        List<Future<Boolean>> results = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
          results.add(
              pool.submit(
                  () -> {
                    try (DataKey dk = p.generateDataKey(key.arn(), CTX);
                        SecretBytes back = p.decrypt(dk.wrapped(), CTX)) {
                      return back.contentEquals(dk.plaintext());
                    }
                  }));
        }
        for (Future<Boolean> f : results) {
          assertThat(f.get(60, TimeUnit.SECONDS)).isTrue();
        }
      } finally {
        pool.shutdownNow();
      }
    }
  }

  @Test
  void theProviderSignsForTheRegionOfTheKeysArn() {
    InMemoryKeyProvider keys = InMemoryKeyProvider.builder().auditSink(AuditSink.none()).build();
    try (KmsEndpoint london =
        KmsEndpoint.builder()
            .keys(keys)
            .region("eu-west-2")
            .credentials("AKIALONDON", "london-secret", "root")
            .start()) {
      String arn;
      try (var root = keys.asPrincipal("root", "eu-west-2")) {
        arn = root.createKey(CreateKeyRequest.withDescription("uk")).arn();
      }
      assertThat(arn).startsWith("arn:aws:kms:eu-west-2:111122223333:key/");
      // Configured for us-east-1 but given a eu-west-2 ARN, the provider signs for eu-west-2.
      try (AwsKmsKeyProvider p =
          AwsKmsKeyProvider.builder()
              .region("us-east-1")
              .endpointOverride(london.endpointUri())
              .retrySettings(RetrySettings.none())
              .auditSink(AuditSink.none())
              .credentialsProvider(
                  StaticCredentialsProvider.create(
                      AwsBasicCredentials.create("AKIALONDON", "london-secret")))
              .build()) {
        try (DataKey dk = p.generateDataKey(arn, CTX)) {
          assertThat(dk.wrapped().keyId()).isEqualTo(arn);
          p.decrypt(dk.wrapped(), CTX).close();
        }
      }
    }
  }
}
