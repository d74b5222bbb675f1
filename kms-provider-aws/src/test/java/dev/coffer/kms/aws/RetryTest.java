package dev.coffer.kms.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.coffer.kms.DataKey;
import dev.coffer.kms.EncryptionContext;
import dev.coffer.kms.KeyProviderException;
import dev.coffer.kms.KeyProviderUnavailableException;
import dev.coffer.kms.NotFoundException;
import dev.coffer.kms.ThrottlingException;
import dev.coffer.kms.audit.AuditOutcome;
import dev.coffer.kms.audit.AuditRecord;
import dev.coffer.kms.testkit.ScriptedKmsServer;
import dev.coffer.kms.testkit.ScriptedKmsServer.Reply;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * Retries of the aws-kms provider over HTTP: throttling and dropped connections are retried with
 * bounded backoff; errors that are not retryable are not; a service that never recovers gives a
 * retryable exception after the configured number of attempts. Backoff is tiny so no test waits.
 */
class RetryTest {
  private static final String KEY =
      "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";
  private static final EncryptionContext CTX =
      EncryptionContext.of("store", "s1", "purpose", "index");
  private static final RetrySettings FAST =
      RetrySettings.builder()
          .maxAttempts(5)
          .baseDelay(Duration.ofMillis(1))
          .maxDelay(Duration.ofMillis(4))
          .maxTotalTime(Duration.ofSeconds(30))
          .build();

  private static Reply dataKey() {
    String plaintext = Base64.getEncoder().encodeToString(new byte[32]);
    String blob = Base64.getEncoder().encodeToString(new byte[] {9, 9, 9});
    return Reply.json(
        200,
        "{\"CiphertextBlob\":\""
            + blob
            + "\",\"Plaintext\":\""
            + plaintext
            + "\",\"KeyId\":\""
            + KEY
            + "\"}");
  }

  @Test
  void throttlingIsRetriedUntilItSucceeds() {
    List<AuditRecord> audit = new CopyOnWriteArrayList<>();
    try (ScriptedKmsServer server =
            ScriptedKmsServer.start(
                n -> n < 3 ? Reply.error(400, "ThrottlingException", "Rate exceeded") : dataKey());
        AwsKmsKeyProvider p = KmsErrorMappingTest.scriptedProvider(server, FAST, audit::add);
        DataKey dk = p.generateDataKey(KEY, CTX)) {
      assertThat(dk.wrapped().keyId()).isEqualTo(KEY);
      assertThat(server.requests()).isEqualTo(4);
      assertThat(audit)
          .singleElement()
          .satisfies(
              r -> {
                assertThat(r.outcome()).isEqualTo(AuditOutcome.SUCCESS);
                assertThat(r.message()).isEqualTo("succeeded after 4 attempts");
              });
    }
  }

  @Test
  void throttlingThatNeverEndsGivesUpAfterMaxAttempts() {
    List<AuditRecord> audit = new CopyOnWriteArrayList<>();
    try (ScriptedKmsServer server =
            ScriptedKmsServer.start(n -> Reply.error(400, "ThrottlingException", "Rate exceeded"));
        AwsKmsKeyProvider p = KmsErrorMappingTest.scriptedProvider(server, FAST, audit::add)) {
      ThrottlingException e =
          catchThrowableOfType(ThrottlingException.class, () -> p.generateDataKey(KEY, CTX));
      assertThat(e.retryable()).isTrue();
      assertThat(e.getMessage()).isEqualTo("Rate exceeded");
      assertThat(server.requests()).isEqualTo(5);
      assertThat(audit)
          .singleElement()
          .satisfies(
              r -> {
                assertThat(r.outcome()).isEqualTo(AuditOutcome.FAILED);
                assertThat(r.errorCode()).isEqualTo("ThrottlingException");
                assertThat(r.message()).startsWith("after 5 attempts: ");
              });
    }
  }

  @Test
  void droppedConnectionsAreRetriedUntilTheServiceAnswers() {
    try (ScriptedKmsServer server =
            ScriptedKmsServer.start(n -> n < 2 ? Reply.dropConnection() : dataKey());
        AwsKmsKeyProvider p = KmsErrorMappingTest.scriptedProvider(server, FAST);
        DataKey dk = p.generateDataKey(KEY, CTX)) {
      assertThat(dk.plaintext().length()).isEqualTo(32);
      assertThat(server.requests()).isEqualTo(3);
    }
  }

  @Test
  void aServiceThatNeverAnswersGivesABoundedRetryableUnavailableError() {
    try (ScriptedKmsServer server = ScriptedKmsServer.start(n -> Reply.dropConnection());
        AwsKmsKeyProvider p = KmsErrorMappingTest.scriptedProvider(server, FAST)) {
      KeyProviderUnavailableException e =
          catchThrowableOfType(
              KeyProviderUnavailableException.class, () -> p.generateDataKey(KEY, CTX));
      assertThat(e.retryable()).isTrue();
      assertThat(e.errorCode()).isEqualTo("KeyUnavailableException");
      assertThat(e.getMessage()).startsWith("AWS KMS could not be reached for kms:GenerateDataKey");
      // Each provider attempt is one SDK attempt (SDK retries are off); the JDK's HTTP client may
      // resend a POST once on a connection that closed before answering.
      assertThat(server.requests()).isBetween(5, 10);
    }
  }

  @Test
  void nothingListensThereIsUnavailableToo() {
    int port;
    try (ScriptedKmsServer server = ScriptedKmsServer.start(n -> Reply.dropConnection())) {
      port = server.uri().getPort();
    }
    try (AwsKmsKeyProvider p =
        AwsKmsKeyProvider.builder()
            .region("us-east-1")
            .endpointOverride(URI.create("http://127.0.0.1:" + port))
            .credentialsProvider(
                StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIATEST", "secret")))
            .retrySettings(
                RetrySettings.builder().maxAttempts(2).baseDelay(Duration.ofMillis(1)).build())
            .auditSink(r -> {})
            .build()) {
      assertThat(catchThrowableOfType(KeyProviderException.class, () -> p.describeKey(KEY)))
          .isInstanceOf(KeyProviderUnavailableException.class);
    }
  }

  @Test
  void errorsThatAreNotRetryableAreThrownAtOnce() {
    try (ScriptedKmsServer server =
            ScriptedKmsServer.start(n -> Reply.error(400, "NotFoundException", "no such key"));
        AwsKmsKeyProvider p = KmsErrorMappingTest.scriptedProvider(server, FAST)) {
      assertThat(catchThrowableOfType(NotFoundException.class, () -> p.generateDataKey(KEY, CTX)))
          .isNotNull();
      assertThat(server.requests()).isEqualTo(1);
    }
  }

  // ------------------------------------------------------------ the retrier alone

  @Test
  void backoffIsFullJitterUnderAnExponentialCap() {
    RetrySettings s =
        RetrySettings.builder()
            .baseDelay(Duration.ofMillis(100))
            .maxDelay(Duration.ofMillis(1000))
            .build();
    Retrier r = new Retrier(s);
    long ms = 1_000_000L;
    for (int i = 0; i < 200; i++) {
      assertThat(r.backoffNanos(1)).isBetween(0L, 100 * ms);
      assertThat(r.backoffNanos(2)).isBetween(0L, 200 * ms);
      assertThat(r.backoffNanos(4)).isBetween(0L, 800 * ms);
      assertThat(r.backoffNanos(5)).isBetween(0L, 1000 * ms);
      assertThat(r.backoffNanos(60)).isBetween(0L, 1000 * ms);
    }
  }

  @Test
  void theTotalTimeBoundStopsRetriesBeforeTheAttemptBound() {
    long[] now = {0};
    List<Long> sleeps = new ArrayList<>();
    RetrySettings s =
        RetrySettings.builder()
            .maxAttempts(100)
            .baseDelay(Duration.ofMillis(100))
            .maxDelay(Duration.ofMillis(100))
            .maxTotalTime(Duration.ofMillis(1000))
            .build();
    Retrier r =
        new Retrier(
            s,
            nanos -> {
              sleeps.add(nanos);
              now[0] += nanos;
            },
            () -> now[0] += 150_000_000L);
    Retrier.Failure f =
        catchThrowableOfType(
            Retrier.Failure.class,
            () ->
                r.run(
                    () -> {
                      throw new ThrottlingException("slow down", null, "kms:Decrypt");
                    }));
    assertThat(f.attempts).isLessThan(10);
    assertThat(f.error).isInstanceOf(ThrottlingException.class);
    assertThat(now[0]).isLessThanOrEqualTo(2_000_000_000L);
  }

  @Test
  void settingsAreCheckedWhenSet() {
    assertThat(
            catchThrowableOfType(
                IllegalArgumentException.class, () -> RetrySettings.builder().maxAttempts(0)))
        .hasMessageContaining("maxAttempts must be at least 1");
    assertThat(
            catchThrowableOfType(
                IllegalArgumentException.class,
                () -> RetrySettings.builder().baseDelay(Duration.ofMillis(-1))))
        .hasMessageContaining("baseDelay");
    assertThat(RetrySettings.none().maxAttempts()).isEqualTo(1);
  }
}
