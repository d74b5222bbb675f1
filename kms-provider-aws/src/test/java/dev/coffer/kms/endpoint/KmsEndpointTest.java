package dev.coffer.kms.endpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coffer.kms.DataKey;
import dev.coffer.kms.EncryptionContext;
import dev.coffer.kms.KeyDescription;
import dev.coffer.kms.KeyManagement.CreateKeyRequest;
import dev.coffer.kms.KeyProviderUnavailableException;
import dev.coffer.kms.SecretBytes;
import dev.coffer.kms.aws.AwsKmsKeyProvider;
import dev.coffer.kms.memory.InMemoryKeyProvider;
import dev.coffer.kms.testkit.LocalKms;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The endpoint's life cycle, builder checks and concurrent use. */
class KmsEndpointTest {
  private static final EncryptionContext CTX = EncryptionContext.of("store", "s", "purpose", "page");

  @Test
  void itListensOnLoopbackOnAFreePort() {
    try (KmsEndpoint kms = KmsEndpoint.builder().keys(InMemoryKeyProvider.create()).start()) {
      assertThat(kms.endpointUri().getHost()).isEqualTo("127.0.0.1");
      assertThat(kms.port()).isPositive();
      assertThat(kms.endpointUri().toString()).isEqualTo("http://127.0.0.1:" + kms.port());
      assertThat(kms.region()).isEqualTo("us-east-1");
    }
  }

  @Test
  void theBuilderChecksItsSettings() {
    assertThatThrownBy(() -> KmsEndpoint.builder().start())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("keys");
    assertThatThrownBy(() -> KmsEndpoint.builder().port(70000)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> KmsEndpoint.builder().credentials("", "s", "bob"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> KmsEndpoint.builder().credentials("A", "s", "bob").credentials("A", "t", "eve"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("already");
    assertThatThrownBy(() -> KmsEndpoint.builder().account("12")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void afterCloseClientsGetAnUnavailableError() {
    LocalKms kms = LocalKms.start();
    KeyDescription key = kms.keys().createKey(CreateKeyRequest.withDescription("k"));
    AwsKmsKeyProvider p = kms.provider(LocalKms.OWNER);
    p.describeKey(key.arn());
    kms.endpoint().close();
    assertThatThrownBy(() -> p.describeKey(key.arn())).isInstanceOf(KeyProviderUnavailableException.class);
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
          results.add(pool.submit(() -> {
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
}
