package dev.coffer.kms.aws;

import dev.coffer.kms.AccessDeniedException;
import dev.coffer.kms.DataKey;
import dev.coffer.kms.EncryptionContext;
import dev.coffer.kms.IncorrectKeyException;
import dev.coffer.kms.KeyDescription;
import dev.coffer.kms.KeyProvider;
import dev.coffer.kms.KeyProviderException;
import dev.coffer.kms.KeyProviderUnavailableException;
import dev.coffer.kms.KeyState;
import dev.coffer.kms.KmsInvalidStateException;
import dev.coffer.kms.KmsValidationException;
import dev.coffer.kms.SecretBytes;
import dev.coffer.kms.UnsupportedKeyOperationException;
import dev.coffer.kms.WrappedKey;
import dev.coffer.kms.audit.AuditRecord;
import dev.coffer.kms.audit.AuditSink;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.KmsClientBuilder;
import software.amazon.awssdk.services.kms.model.AliasListEntry;
import software.amazon.awssdk.services.kms.model.DataKeySpec;
import software.amazon.awssdk.services.kms.model.DecryptResponse;
import software.amazon.awssdk.services.kms.model.GenerateDataKeyResponse;
import software.amazon.awssdk.services.kms.model.GetKeyRotationStatusResponse;
import software.amazon.awssdk.services.kms.model.KeyMetadata;
import software.amazon.awssdk.services.kms.model.ListAliasesResponse;
import software.amazon.awssdk.services.kms.model.ReEncryptResponse;

/*
 * Over 400 lines on purpose: one SPI method per KMS operation, each with its answer checks, and the
 * public nested Builder (kept nested: callers name AwsKmsKeyProvider.Builder), which also builds the
 * per-region clients. The endpoint rules live in EndpointRules.
 */

/**
 * A {@link KeyProvider} over AWS KMS (SDK for Java v2, {@code url-connection-client}). URI: {@code
 * aws-kms:<key ARN or alias ARN>}; see {@link AwsKmsKeyProviderFactory}.
 *
 * <p>Each SPI call is one KMS operation: {@code GenerateDataKey} ({@code KeySpec=AES_256}), {@code
 * Encrypt}, {@code Decrypt} (with {@code KeyId}; the key ARN KMS answers with must be the expected
 * one, else {@link IncorrectKeyException}), {@code ReEncrypt} (the plaintext key never leaves KMS)
 * and {@code DescribeKey} (plus {@code ListAliases} and {@code GetKeyRotationStatus} where the
 * caller may use them). The encryption context is sent as KMS's {@code EncryptionContext}.
 *
 * <p><b>Errors.</b> Every failure is a {@link KeyProviderException} subclass named as the KMS error
 * (KMS's message kept); network failures are {@link KeyProviderUnavailableException}. Throttling
 * and unavailability are retried as {@link RetrySettings} say; the SDK's own retries are switched
 * off on clients this class builds.
 *
 * <p><b>Audit.</b> One {@link AuditRecord} (source {@code aws-kms}) per call. Key material and
 * plaintext are never logged or audited.
 *
 * <p>Thread-safe. {@link #close()} closes the SDK client only when this provider built it.
 */
public final class AwsKmsKeyProvider implements KeyProvider {
  private static final String ALGORITHM = "SYMMETRIC_DEFAULT";

  private final KmsClient kms;
  private final boolean ownsClient;

  /** The region of {@link #kms} when this provider built it, else null. */
  private final String clientRegion;

  private final Function<String, KmsClient> clientFactory;

  /** Clients for the other regions key ARNs name, when this provider builds its clients. */
  private final Map<String, KmsClient> regionalClients;

  private final String defaultKeyId;
  private final String principal;
  private final AuditedCalls calls;
  private volatile boolean closed;

  private AwsKmsKeyProvider(Builder b, KmsClient kms, boolean ownsClient) {
    this.kms = kms;
    this.ownsClient = ownsClient;
    this.clientRegion = ownsClient ? b.resolvedRegion() : null;
    this.clientFactory = ownsClient ? b::buildClient : null;
    this.regionalClients = ownsClient ? new ConcurrentHashMap<>() : null;
    this.defaultKeyId = b.defaultKeyId;
    this.principal = b.principal == null ? "" : b.principal;
    this.calls =
        new AuditedCalls(new Retrier(b.retrySettings), b.auditSink, b.clock, this.principal);
  }

  public static Builder builder() {
    return new Builder();
  }

  @Override
  public String scheme() {
    return "aws-kms";
  }

  /**
   * The principal this provider reports in audit records, as configured; KMS itself knows the
   * caller by its credentials. Empty when none was configured.
   */
  @Override
  public String principal() {
    return principal;
  }

  /** The key ARN or alias ARN this provider was opened with, if any. */
  @Override
  public Optional<String> defaultKeyId() {
    return Optional.ofNullable(defaultKeyId);
  }

  @Override
  public DataKey generateDataKey(String keyId, EncryptionContext context) {
    String key = requireKey(keyId);
    Objects.requireNonNull(context, "context");
    GenerateDataKeyResponse r =
        calls.run(
            "kms:GenerateDataKey",
            key,
            context,
            () ->
                client(key)
                    .generateDataKey(
                        req ->
                            req.keyId(key)
                                .keySpec(DataKeySpec.AES_256)
                                .encryptionContext(context.asMap())),
            GenerateDataKeyResponse::keyId);
    return new DataKey(
        secret(r.plaintext()), WrappedKey.of(r.keyId(), r.ciphertextBlob().asByteArray()), 0);
  }

  /**
   * {@code GenerateDataKeyWithoutPlaintext} ({@code KeySpec=AES_256}): a new data key in wrapped
   * form only, for keys the caller will unwrap later (or elsewhere).
   */
  public WrappedKey generateDataKeyWithoutPlaintext(String keyId, EncryptionContext context) {
    String key = requireKey(keyId);
    Objects.requireNonNull(context, "context");
    var r =
        calls.run(
            "kms:GenerateDataKeyWithoutPlaintext",
            key,
            context,
            () ->
                client(key)
                    .generateDataKeyWithoutPlaintext(
                        req ->
                            req.keyId(key)
                                .keySpec(DataKeySpec.AES_256)
                                .encryptionContext(context.asMap())),
            x -> x.keyId());
    return WrappedKey.of(r.keyId(), r.ciphertextBlob().asByteArray());
  }

  @Override
  public WrappedKey encrypt(String keyId, SecretBytes plaintext, EncryptionContext context) {
    String key = requireKey(keyId);
    Objects.requireNonNull(context, "context");
    byte[] copy = plaintext.copyBytes();
    try {
      var r =
          calls.run(
              "kms:Encrypt",
              key,
              context,
              () ->
                  client(key)
                      .encrypt(
                          req ->
                              req.keyId(key)
                                  .plaintext(SdkBytes.fromByteArrayUnsafe(copy))
                                  .encryptionContext(context.asMap())),
              x -> x.keyId());
      return WrappedKey.of(r.keyId(), r.ciphertextBlob().asByteArray());
    } finally {
      SecretBytes.wipe(copy);
    }
  }

  @Override
  public SecretBytes decrypt(WrappedKey wrapped, EncryptionContext context) {
    Objects.requireNonNull(wrapped, "wrapped");
    Objects.requireNonNull(context, "context");
    String key = wrapped.keyId();
    byte[] blob = wrapped.ciphertextBlob();
    DecryptResponse r =
        calls.run(
            "kms:Decrypt",
            key,
            context,
            () ->
                client(key)
                    .decrypt(
                        req ->
                            req.keyId(key)
                                .ciphertextBlob(SdkBytes.fromByteArrayUnsafe(blob))
                                .encryptionContext(context.asMap())),
            DecryptResponse::keyId,
            answer -> {
              if (!sameKey(key, answer.keyId())) {
                SecretBytes.wipe(
                    answer.plaintext() == null ? null : answer.plaintext().asByteArrayUnsafe());
                throw new IncorrectKeyException(
                    "AWS KMS decrypted with key "
                        + answer.keyId()
                        + ", not with the expected key "
                        + key
                        + ".",
                    key,
                    "kms:Decrypt");
              }
            });
    return secret(r.plaintext());
  }

  @Override
  public WrappedKey reEncrypt(
      WrappedKey wrapped, EncryptionContext context, String destinationKeyId) {
    Objects.requireNonNull(wrapped, "wrapped");
    Objects.requireNonNull(context, "context");
    String dest = requireKey(destinationKeyId);
    String source = wrapped.keyId();
    byte[] blob = wrapped.ciphertextBlob();
    ReEncryptResponse r =
        calls.run(
            "kms:ReEncrypt",
            dest,
            context,
            () ->
                client(dest)
                    .reEncrypt(
                        req ->
                            req.ciphertextBlob(SdkBytes.fromByteArrayUnsafe(blob))
                                .sourceKeyId(source)
                                .sourceEncryptionContext(context.asMap())
                                .destinationKeyId(dest)
                                .destinationEncryptionContext(context.asMap())
                                .sourceEncryptionAlgorithm(ALGORITHM)
                                .destinationEncryptionAlgorithm(ALGORITHM)),
            ReEncryptResponse::keyId,
            answer -> {
              if (!sameKey(source, answer.sourceKeyId())) {
                throw new IncorrectKeyException(
                    "AWS KMS re-encrypted from key "
                        + answer.sourceKeyId()
                        + ", not from the expected key "
                        + source
                        + ".",
                    source,
                    "kms:ReEncrypt");
              }
            });
    return WrappedKey.of(r.keyId(), r.ciphertextBlob().asByteArray());
  }

  /**
   * {@code DescribeKey}, completed by {@code ListAliases} and {@code GetKeyRotationStatus} when the
   * caller may use them (else no aliases and rotation off). AWS does not reveal key versions:
   * {@link KeyDescription#currentKeyVersion()} is 0.
   */
  @Override
  public KeyDescription describeKey(String keyId) {
    String key = requireKey(keyId);
    KeyMetadata m =
        calls.run(
            "kms:DescribeKey",
            key,
            null,
            () -> client(key).describeKey(req -> req.keyId(key)).keyMetadata(),
            KeyMetadata::arn);
    KeyDescription.Builder d =
        KeyDescription.builder()
            .keyId(m.keyId())
            .arn(m.arn())
            .description(m.description())
            .state(state(m))
            .creationDate(m.creationDate())
            .deletionDate(m.deletionDate())
            .aliases(aliases(m.keyId(), m.arn()));
    GetKeyRotationStatusResponse rotation = rotation(m);
    if (rotation != null && Boolean.TRUE.equals(rotation.keyRotationEnabled())) {
      d.rotationEnabled(true)
          .rotationPeriodInDays(
              rotation.rotationPeriodInDays() == null ? 0 : rotation.rotationPeriodInDays())
          .nextRotationDate(rotation.nextRotationDate());
    }
    return d.build();
  }

  private List<String> aliases(String keyId, String keyArn) {
    List<String> out = new ArrayList<>();
    try {
      String marker = null;
      do {
        String m = marker;
        ListAliasesResponse r =
            calls.run(
                "kms:ListAliases",
                keyId,
                null,
                () -> client(keyArn).listAliases(req -> req.keyId(keyId).marker(m)),
                null);
        for (AliasListEntry a : r.aliases()) {
          out.add(a.aliasName());
        }
        marker = Boolean.TRUE.equals(r.truncated()) ? r.nextMarker() : null;
      } while (marker != null);
    } catch (AccessDeniedException | UnsupportedKeyOperationException e) {
      return List.of();
    }
    return out;
  }

  private GetKeyRotationStatusResponse rotation(KeyMetadata m) {
    if (state(m) == KeyState.PENDING_DELETION) {
      return null;
    }
    try {
      return calls.run(
          "kms:GetKeyRotationStatus",
          m.arn(),
          null,
          () -> client(m.arn()).getKeyRotationStatus(req -> req.keyId(m.arn())),
          null);
    } catch (AccessDeniedException
        | UnsupportedKeyOperationException
        | KmsInvalidStateException e) {
      return null;
    }
  }

  private static KeyState state(KeyMetadata m) {
    String s = m.keyStateAsString();
    if (s == null) {
      return Boolean.TRUE.equals(m.enabled()) ? KeyState.ENABLED : KeyState.DISABLED;
    }
    switch (s) {
      case "Enabled":
        return KeyState.ENABLED;
      case "Disabled":
        return KeyState.DISABLED;
      case "PendingDeletion":
      case "PendingReplicaDeletion":
        return KeyState.PENDING_DELETION;
      default:
        return KeyState.UNAVAILABLE;
    }
  }

  /**
   * Whether KMS's answer {@code actual} (a key ARN) is the key {@code expected} names. A key ARN
   * must match exactly, a key id must be the ARN's id; an alias cannot be checked here (KMS has
   * checked it, as the request named it).
   */
  static boolean sameKey(String expected, String actual) {
    if (actual == null) {
      return false;
    }
    if (KmsArn.isKeyArn(expected)) {
      return expected.equals(actual);
    }
    if (expected.startsWith("arn:") || expected.startsWith("alias/")) {
      return true;
    }
    return actual.endsWith(":key/" + expected);
  }

  private static SecretBytes secret(SdkBytes bytes) {
    return SecretBytes.wrap(bytes.asByteArrayUnsafe());
  }

  private static String requireKey(String keyId) {
    if (keyId == null || keyId.isBlank()) {
      throw new KmsValidationException(
          "A key id, key ARN, alias name or alias ARN is required.", null, null);
    }
    return keyId;
  }

  /**
   * The client for a call on {@code keyRef}: a key or alias ARN names its region, and the call is
   * signed for it (a client per region, built on first use with this provider's settings, when this
   * provider builds its clients); other references use the configured region.
   */
  private KmsClient client(String keyRef) {
    if (closed) {
      throw new KeyProviderException(
          "ProviderClosed", "The aws-kms provider is closed.", null, null, null);
    }
    if (regionalClients == null || keyRef == null || !keyRef.startsWith("arn:")) {
      return kms;
    }
    String[] parts = keyRef.split(":", 6);
    String region = parts.length == 6 && parts[2].equals("kms") ? parts[3] : "";
    if (region.isEmpty() || region.equals(clientRegion)) {
      return kms; // not a KMS ARN: AWS KMS answers for it
    }
    return regionalClients.computeIfAbsent(region, clientFactory);
  }

  /** Closes the SDK client if this provider built it; a client passed to the builder stays open. */
  @Override
  public void close() {
    if (!closed) {
      closed = true;
      if (ownsClient) {
        kms.close();
        regionalClients.values().forEach(KmsClient::close);
      }
    }
  }

  @Override
  public String toString() {
    return "AwsKmsKeyProvider[" + (defaultKeyId == null ? "no default key" : defaultKeyId) + "]";
  }

  /**
   * Builds an {@link AwsKmsKeyProvider}. Either {@link #kmsClient(KmsClient)} (the caller keeps
   * owning it) or the settings for a client this provider builds and closes: {@link
   * #region(String)} (else the region of {@link #defaultKeyId(String)}'s ARN, else the SDK's region
   * chain), {@link #endpointOverride(URI)}, {@link #credentialsProvider} (default chain).
   */
  public static final class Builder {
    private KmsClient kmsClient;
    private String region;
    private URI endpointOverride;
    private AwsCredentialsProvider credentialsProvider;
    private Duration connectTimeout = Duration.ofSeconds(2);
    private Duration readTimeout = Duration.ofSeconds(10);
    private RetrySettings retrySettings = RetrySettings.defaults();
    private AuditSink auditSink = AuditSink.slf4j();
    private Clock clock = Clock.systemUTC();
    private String defaultKeyId;
    private String principal;

    private Builder() {}

    /**
     * A client to use instead of building one. The caller keeps owning it: {@link #close()} does
     * not close it. Its retry settings are the caller's; turn the SDK's retries off to leave
     * retrying to {@link #retrySettings(RetrySettings)}.
     */
    public Builder kmsClient(KmsClient kmsClient) {
      this.kmsClient = Objects.requireNonNull(kmsClient, "kmsClient");
      return this;
    }

    /** The AWS region, e.g. {@code eu-west-1}. */
    public Builder region(String region) {
      if (region == null || region.isBlank()) {
        throw new IllegalArgumentException("region must not be blank");
      }
      this.region = region;
      return this;
    }

    /**
     * Another endpoint than AWS's, e.g. a VPC endpoint or a {@code KmsEndpoint} in tests. {@code
     * https} to any host; plain {@code http} only to a loopback host ({@code localhost}, {@code
     * 127.0.0.0/8}, {@code ::1}), since requests carry plaintext keys and signed credentials.
     *
     * @throws IllegalArgumentException another scheme, no host, or {@code http} to another host
     */
    public Builder endpointOverride(URI endpointOverride) {
      Objects.requireNonNull(endpointOverride, "endpointOverride");
      String problem = EndpointRules.problem(endpointOverride);
      if (problem != null) {
        throw new IllegalArgumentException(problem);
      }
      this.endpointOverride = endpointOverride;
      return this;
    }

    /** The credentials; the SDK's default chain when not set. */
    public Builder credentialsProvider(AwsCredentialsProvider credentialsProvider) {
      this.credentialsProvider = Objects.requireNonNull(credentialsProvider, "credentialsProvider");
      return this;
    }

    /** TCP connect timeout of the built client (default 2 s). */
    public Builder connectTimeout(Duration connectTimeout) {
      this.connectTimeout = positive(connectTimeout, "connectTimeout");
      return this;
    }

    /** Socket read timeout of the built client (default 10 s). */
    public Builder readTimeout(Duration readTimeout) {
      this.readTimeout = positive(readTimeout, "readTimeout");
      return this;
    }

    /** How retryable failures are retried (default {@link RetrySettings#defaults()}). */
    public Builder retrySettings(RetrySettings retrySettings) {
      this.retrySettings = Objects.requireNonNull(retrySettings, "retrySettings");
      return this;
    }

    /** Where audit records go (default SLF4J). */
    public Builder auditSink(AuditSink auditSink) {
      this.auditSink = Objects.requireNonNull(auditSink, "auditSink");
      return this;
    }

    /** The clock for audit record times. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** The key ARN or alias ARN used when the store names none ({@link #defaultKeyId()}). */
    public Builder defaultKeyId(String keyArnOrAliasArn) {
      this.defaultKeyId = KmsArn.parse(keyArnOrAliasArn).arn();
      return this;
    }

    /**
     * The principal name or ARN to report in audit records (KMS knows the caller by its
     * credentials).
     */
    public Builder principal(String principal) {
      this.principal = principal;
      return this;
    }

    public AwsKmsKeyProvider build() {
      if (kmsClient != null) {
        if (region != null || endpointOverride != null || credentialsProvider != null) {
          throw new IllegalStateException(
              "kmsClient was set: region, endpointOverride and credentialsProvider belong to that client");
        }
        return new AwsKmsKeyProvider(this, kmsClient, false);
      }
      try {
        return new AwsKmsKeyProvider(this, buildClient(resolvedRegion()), true);
      } catch (SdkException e) {
        throw new KmsValidationException(
            "Cannot build the AWS KMS client: " + e.getMessage(), defaultKeyId, null, e);
      }
    }

    /**
     * The region of the built client: the one set, else the default key ARN's, else null (the SDK's
     * chain).
     */
    String resolvedRegion() {
      return region != null
          ? region
          : defaultKeyId != null ? KmsArn.parse(defaultKeyId).region() : null;
    }

    /** A client with this builder's settings for {@code r} (null: the SDK's region chain). */
    KmsClient buildClient(String r) {
      KmsClientBuilder b =
          KmsClient.builder()
              .httpClientBuilder(
                  UrlConnectionHttpClient.builder()
                      .connectionTimeout(connectTimeout)
                      .socketTimeout(readTimeout))
              .overrideConfiguration(c -> c.retryStrategy(AwsRetryStrategy.doNotRetry()))
              .credentialsProvider(
                  credentialsProvider != null
                      ? credentialsProvider
                      : DefaultCredentialsProvider.builder().build());
      if (r != null) {
        b.region(Region.of(r));
      }
      if (endpointOverride != null) {
        b.endpointOverride(endpointOverride);
      }
      return b.build();
    }

    private static Duration positive(Duration d, String name) {
      Objects.requireNonNull(d, name);
      if (d.isZero() || d.isNegative()) {
        throw new IllegalArgumentException(name + " must be positive, was " + d);
      }
      return d;
    }
  }
}
