package dev.coffer.kms.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.coffer.kms.AccessDeniedException;
import dev.coffer.kms.AlreadyExistsException;
import dev.coffer.kms.DataKey;
import dev.coffer.kms.DisabledException;
import dev.coffer.kms.EncryptionContext;
import dev.coffer.kms.IncorrectKeyException;
import dev.coffer.kms.InvalidArnException;
import dev.coffer.kms.InvalidCiphertextException;
import dev.coffer.kms.KeyDescription;
import dev.coffer.kms.KeyManagement.CreateKeyRequest;
import dev.coffer.kms.KeyProviderException;
import dev.coffer.kms.KeyProviderUnavailableException;
import dev.coffer.kms.KmsInvalidStateException;
import dev.coffer.kms.KmsValidationException;
import dev.coffer.kms.LimitExceededException;
import dev.coffer.kms.MalformedPolicyDocumentException;
import dev.coffer.kms.NotFoundException;
import dev.coffer.kms.ThrottlingException;
import dev.coffer.kms.UnsupportedKeyOperationException;
import dev.coffer.kms.WrappedKey;
import dev.coffer.kms.audit.AuditOutcome;
import dev.coffer.kms.audit.AuditRecord;
import dev.coffer.kms.testkit.LocalKms;
import dev.coffer.kms.testkit.ScriptedKmsServer;
import dev.coffer.kms.testkit.ScriptedKmsServer.Reply;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.kms.KmsClient;

/**
 * Every KMS error reaches the caller as the SPI exception of the same name with KMS's message:
 * through the real SDK over HTTP to the local endpoint, and from a scripted server for the errors
 * the endpoint cannot produce.
 */
class KmsErrorMappingTest {
  private static final EncryptionContext CTX =
      EncryptionContext.of("store", "s1", "purpose", "catalog");

  private LocalKms kms;
  private AwsKmsKeyProvider owner;
  private KeyDescription key;

  @BeforeEach
  void setUp() {
    kms = LocalKms.start();
    owner = kms.provider(LocalKms.OWNER);
    key = kms.keys().createKey(CreateKeyRequest.withDescription("k"));
  }

  @AfterEach
  void tearDown() {
    kms.close();
  }

  // ------------------------------------------------------------ through the provider

  @Test
  void accessDenied() {
    WrappedKey w = owner.generateDataKeyWithoutPlaintext(key.arn(), CTX);
    AccessDeniedException e =
        catchThrowableOfType(
            AccessDeniedException.class, () -> kms.provider("bob").decrypt(w, CTX));
    assertThat(e.errorCode()).isEqualTo("AccessDeniedException");
    assertThat(e.getMessage())
        .isEqualTo(
            "User: arn:aws:iam::111122223333:user/bob is not authorized to perform:"
                + " kms:Decrypt on resource: "
                + key.arn()
                + " because no resource-based policy allows the kms:Decrypt action");
    assertThat(e.retryable()).isFalse();
    assertThat(e.action()).isEqualTo("kms:Decrypt");
    assertThat(kms.providerAudit())
        .last()
        .satisfies(r -> assertThat(r.outcome()).isEqualTo(AuditOutcome.DENIED));
  }

  @Test
  void disabled() {
    WrappedKey w = owner.generateDataKeyWithoutPlaintext(key.arn(), CTX);
    kms.keys().disableKey(key.keyId());
    assertThatThrownBy(() -> owner.decrypt(w, CTX))
        .isInstanceOf(DisabledException.class)
        .hasMessage(key.arn() + " is disabled.");
  }

  @Test
  void kmsInvalidState() {
    WrappedKey w = owner.generateDataKeyWithoutPlaintext(key.arn(), CTX);
    kms.keys().scheduleKeyDeletion(key.keyId(), 7);
    assertThatThrownBy(() -> owner.decrypt(w, CTX))
        .isInstanceOf(KmsInvalidStateException.class)
        .hasMessage(key.arn() + " is pending deletion.")
        .satisfies(
            e ->
                assertThat(((KeyProviderException) e).errorCode())
                    .isEqualTo("KMSInvalidStateException"));
  }

  @Test
  void notFound() {
    String missing = "arn:aws:kms:us-east-1:111122223333:key/" + UUID.randomUUID();
    assertThatThrownBy(() -> owner.describeKey(missing))
        .isInstanceOf(NotFoundException.class)
        .hasMessage("Key '" + missing + "' does not exist");
  }

  @Test
  void invalidCiphertext() {
    assertThatThrownBy(() -> owner.decrypt(WrappedKey.of(key.arn(), new byte[] {1, 2, 3}), CTX))
        .isInstanceOf(InvalidCiphertextException.class)
        .hasMessageContaining("not a valid ciphertext");
  }

  @Test
  void incorrectKey() {
    KeyDescription other = kms.keys().createKey(CreateKeyRequest.withDescription("other"));
    try (DataKey dk = owner.generateDataKey(key.arn(), CTX)) {
      assertThatThrownBy(
              () -> owner.decrypt(WrappedKey.of(other.arn(), dk.wrapped().ciphertextBlob()), CTX))
          .isInstanceOf(IncorrectKeyException.class)
          .hasMessageContaining("does not identify a CMK");
    }
  }

  @Test
  void invalidArn() {
    assertThatThrownBy(() -> owner.describeKey("arn:aws:sqs:us-east-1:111122223333:queue"))
        .isInstanceOf(InvalidArnException.class)
        .hasMessageContaining("Invalid arn");
  }

  @Test
  void validation() {
    assertThatThrownBy(() -> owner.generateDataKey("x".repeat(2049), CTX))
        .isInstanceOf(KmsValidationException.class)
        .hasMessageContaining("1 validation error detected")
        .hasMessageContaining("keyId");
  }

  // ------------------------------------------------------------ through the SDK, mapped

  @Test
  void limitExceeded() {
    KmsClient c = kms.client(LocalKms.OWNER);
    for (int i = 0; i < 25; i++) {
      c.rotateKeyOnDemand(r -> r.keyId(key.keyId()));
    }
    assertThat(mapped(() -> c.rotateKeyOnDemand(r -> r.keyId(key.keyId()))))
        .isInstanceOf(LimitExceededException.class)
        .hasMessageContaining("limit of 25 on-demand rotations");
  }

  @Test
  void alreadyExists() {
    KmsClient c = kms.client(LocalKms.OWNER);
    c.createAlias(r -> r.aliasName("alias/a").targetKeyId(key.keyId()));
    assertThat(mapped(() -> c.createAlias(r -> r.aliasName("alias/a").targetKeyId(key.keyId()))))
        .isInstanceOf(AlreadyExistsException.class)
        .hasMessage(
            "An alias with the name arn:aws:kms:us-east-1:111122223333:alias/a already exists");
  }

  @Test
  void malformedPolicyDocument() {
    KmsClient c = kms.client(LocalKms.OWNER);
    assertThat(mapped(() -> c.putKeyPolicy(r -> r.keyId(key.keyId()).policy("{not json"))))
        .isInstanceOf(MalformedPolicyDocumentException.class)
        .hasMessageContaining("not valid JSON");
  }

  @Test
  void unsupportedOperation() {
    KmsClient c = kms.client(LocalKms.OWNER);
    assertThat(mapped(() -> c.createKey(r -> r.keySpec("RSA_2048"))))
        .isInstanceOf(UnsupportedKeyOperationException.class)
        .hasMessageContaining("RSA_2048");
  }

  @Test
  void unknownAccessKeyIsUnrecognizedClient() {
    KmsClient c = kms.client("AKIANOBODY", "whatever");
    SdkException raw = catchThrowableOfType(SdkException.class, () -> c.listKeys());
    assertThat(((AwsServiceException) raw).awsErrorDetails().errorCode())
        .isEqualTo("UnrecognizedClientException");
    assertThat(KmsErrorMapper.map(raw, null, "kms:ListKeys"))
        .isInstanceOf(AccessDeniedException.class)
        .hasMessage(
            "UnrecognizedClientException: The security token included in the request is invalid.");
  }

  @Test
  void wrongSecretIsInvalidSignature() {
    KmsClient c = kms.client(LocalKms.accessKeyId(LocalKms.OWNER), "not-the-secret");
    SdkException raw = catchThrowableOfType(SdkException.class, () -> c.listKeys());
    assertThat(((AwsServiceException) raw).awsErrorDetails().errorCode())
        .isEqualTo("InvalidSignatureException");
    assertThat(KmsErrorMapper.map(raw, null, "kms:ListKeys"))
        .isInstanceOf(AccessDeniedException.class)
        .hasMessageStartingWith(
            "InvalidSignatureException: The request signature we calculated does not match");
  }

  @Test
  void providerWithUnknownCredentialsFailsClosedWithAccessDenied() {
    AwsKmsKeyProvider stranger =
        AwsKmsKeyProvider.builder()
            .region("us-east-1")
            .endpointOverride(kms.endpoint().endpointUri())
            .credentialsProvider(
                StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIANOBODY", "x")))
            .auditSink(r -> {})
            .build();
    try (stranger) {
      assertThatThrownBy(() -> stranger.generateDataKey(key.arn(), CTX))
          .isInstanceOf(AccessDeniedException.class)
          .hasMessageContaining("UnrecognizedClientException");
    }
  }

  @Test
  void missingCredentialsAreAClientErrorThatIsNotRetried() {
    try (AwsKmsKeyProvider p =
        AwsKmsKeyProvider.builder()
            .region("us-east-1")
            .endpointOverride(kms.endpoint().endpointUri())
            .credentialsProvider(
                () -> {
                  throw SdkClientException.create(
                      "Unable to load credentials from any of the providers in the chain");
                })
            .auditSink(r -> {})
            .build()) {
      KeyProviderException e =
          catchThrowableOfType(KeyProviderException.class, () -> p.describeKey(key.arn()));
      assertThat(e.getClass()).isEqualTo(KeyProviderException.class);
      assertThat(e.errorCode()).isEqualTo("SdkClientException");
      assertThat(e.getMessage()).contains("Unable to load credentials");
      assertThat(e.retryable()).isFalse();
    }
  }

  private static KeyProviderException mapped(Runnable sdkCall) {
    SdkException e = catchThrowableOfType(SdkException.class, sdkCall::run);
    assertThat(e).as("the SDK call should fail").isNotNull();
    return KmsErrorMapper.map(e, null, "test");
  }

  // ------------------------------------------------------------ from a scripted server

  static Stream<Arguments> scriptedErrors() {
    return Stream.of(
        Arguments.of(
            400, "ThrottlingException", ThrottlingException.class, "ThrottlingException", true),
        Arguments.of(
            500,
            "KeyUnavailableException",
            KeyProviderUnavailableException.class,
            "KeyUnavailableException",
            true),
        Arguments.of(
            500,
            "KMSInternalException",
            KeyProviderUnavailableException.class,
            "KeyUnavailableException",
            true),
        Arguments.of(
            500,
            "DependencyTimeoutException",
            KeyProviderUnavailableException.class,
            "KeyUnavailableException",
            true),
        Arguments.of(
            400,
            "LimitExceededException",
            LimitExceededException.class,
            "LimitExceededException",
            false),
        Arguments.of(
            400,
            "AccessDeniedException",
            AccessDeniedException.class,
            "AccessDeniedException",
            false),
        Arguments.of(400, "DisabledException", DisabledException.class, "DisabledException", false),
        Arguments.of(
            400,
            "KMSInvalidStateException",
            KmsInvalidStateException.class,
            "KMSInvalidStateException",
            false),
        Arguments.of(400, "NotFoundException", NotFoundException.class, "NotFoundException", false),
        Arguments.of(
            400,
            "InvalidCiphertextException",
            InvalidCiphertextException.class,
            "InvalidCiphertextException",
            false),
        Arguments.of(
            400,
            "IncorrectKeyException",
            IncorrectKeyException.class,
            "IncorrectKeyException",
            false),
        Arguments.of(
            400, "ValidationException", KmsValidationException.class, "ValidationException", false),
        Arguments.of(
            400,
            "InvalidKeyUsageException",
            KmsValidationException.class,
            "ValidationException",
            false),
        Arguments.of(
            400,
            "UnrecognizedClientException",
            AccessDeniedException.class,
            "AccessDeniedException",
            false),
        Arguments.of(
            400,
            "SomethingNewException",
            KeyProviderException.class,
            "SomethingNewException",
            false));
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("scriptedErrors")
  void scriptedKmsErrorIsMappedWithItsMessage(
      int status,
      String type,
      Class<? extends KeyProviderException> expected,
      String code,
      boolean retryable) {
    try (ScriptedKmsServer server =
            ScriptedKmsServer.start(n -> Reply.error(status, type, "message from KMS " + type));
        AwsKmsKeyProvider p = scriptedProvider(server, RetrySettings.none())) {
      KeyProviderException e =
          catchThrowableOfType(
              KeyProviderException.class,
              () ->
                  p.generateDataKey(
                      "arn:aws:kms:us-east-1:111122223333:key/" + UUID.randomUUID(), CTX));
      assertThat(e).isExactlyInstanceOf(expected);
      assertThat(e.errorCode()).isEqualTo(code);
      assertThat(e.getMessage()).contains("message from KMS " + type);
      assertThat(e.retryable()).isEqualTo(retryable);
      assertThat(e.action()).isEqualTo("kms:GenerateDataKey");
      assertThat(server.requests()).isEqualTo(1);
    }
  }

  @Test
  void aKmsThatDecryptsWithAnotherKeyIsRefusedAndAuditedOnce() {
    String expected = "arn:aws:kms:us-east-1:111122223333:key/" + UUID.randomUUID();
    String other = "arn:aws:kms:us-east-1:111122223333:key/" + UUID.randomUUID();
    String b64 = Base64.getEncoder().encodeToString(new byte[32]);
    List<AuditRecord> audit = new CopyOnWriteArrayList<>();
    try (ScriptedKmsServer server =
            ScriptedKmsServer.start(
                n ->
                    n == 0
                        ? Reply.json(
                            200, "{\"KeyId\":\"" + other + "\",\"Plaintext\":\"" + b64 + "\"}")
                        : Reply.json(
                            200,
                            "{\"CiphertextBlob\":\""
                                + b64
                                + "\",\"SourceKeyId\":\""
                                + other
                                + "\",\"KeyId\":\""
                                + expected
                                + "\"}"));
        AwsKmsKeyProvider p = scriptedProvider(server, RetrySettings.defaults(), audit::add)) {
      WrappedKey w = WrappedKey.of(expected, new byte[] {1, 2, 3});
      assertThatThrownBy(() -> p.decrypt(w, CTX))
          .isInstanceOf(IncorrectKeyException.class)
          .hasMessageContaining(other)
          .hasMessageContaining(expected);
      assertThatThrownBy(() -> p.reEncrypt(w, CTX, expected))
          .isInstanceOf(IncorrectKeyException.class)
          .hasMessageContaining("re-encrypted from key " + other);
      assertThat(server.requests()).isEqualTo(2);
      assertThat(audit)
          .hasSize(2)
          .allSatisfy(
              r -> {
                assertThat(r.outcome()).isEqualTo(AuditOutcome.FAILED);
                assertThat(r.errorCode()).isEqualTo("IncorrectKeyException");
              });
    }
  }

  @Test
  void statusWithoutErrorNameIsMappedByStatus() {
    assertStatusMapsTo(503, KeyProviderUnavailableException.class);
    assertStatusMapsTo(429, ThrottlingException.class);
  }

  private static void assertStatusMapsTo(
      int status, Class<? extends KeyProviderException> expected) {
    try (ScriptedKmsServer server = ScriptedKmsServer.start(n -> Reply.json(status, "{}"));
        AwsKmsKeyProvider p = scriptedProvider(server, RetrySettings.none())) {
      assertThatThrownBy(() -> p.describeKey("arn:aws:kms:us-east-1:111122223333:key/x"))
          .isExactlyInstanceOf(expected);
    }
  }

  static AwsKmsKeyProvider scriptedProvider(ScriptedKmsServer server, RetrySettings retry) {
    return scriptedProvider(server, retry, r -> {});
  }

  static AwsKmsKeyProvider scriptedProvider(
      ScriptedKmsServer server, RetrySettings retry, Consumer<AuditRecord> audit) {
    return AwsKmsKeyProvider.builder()
        .region("us-east-1")
        .endpointOverride(server.uri())
        .credentialsProvider(
            StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIATEST", "secret")))
        .retrySettings(retry)
        .auditSink(audit::accept)
        .build();
  }
}
