package dev.coffer.kms.endpoint;

import dev.coffer.kms.ManagedKeyProvider;
import dev.coffer.server.internal.auth.AccessKeys;
import dev.coffer.server.internal.auth.SigV4Verifier;
import dev.coffer.server.internal.http.FrontSettings;
import dev.coffer.server.internal.http.HttpFront;
import dev.coffer.server.internal.kms.KmsProtocol;
import dev.coffer.server.internal.kms.KmsService;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A local, KMS-compatible HTTP endpoint: the AWS SDKs and the AWS CLI talk to it as to AWS KMS
 * ({@code endpointOverride(endpoint.endpointUri())}, {@code aws --endpoint-url ...}). In the {@code
 * coffer-server} artifact, on the same HTTP front as {@code coffer serve} (which serves the same
 * KMS protocol beside DynamoDB's).
 *
 * <pre>{@code
 * InMemoryKeyProvider keys = InMemoryKeyProvider.create();
 * try (KmsEndpoint kms = KmsEndpoint.builder()
 *     .keys(keys)
 *     .credentials("AKIAOWNER", "owner-secret", "root")
 *     .credentials("AKIABOB", "bob-secret", "bob")
 *     .start()) {
 *   KmsClient client = KmsClient.builder()
 *       .endpointOverride(kms.endpointUri())
 *       .region(Region.US_EAST_1)
 *       .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIAOWNER", "owner-secret")))
 *       .build();
 *   ...
 * }
 * }</pre>
 *
 * <p><b>Protocol.</b> AWS JSON 1.1: {@code POST /}, {@code Content-Type:
 * application/x-amz-json-1.1}, {@code X-Amz-Target: TrentService.<Operation>}, base64 blobs,
 * timestamps as epoch seconds, errors as HTTP 400 (500 for KMS's server-side errors) with {@code
 * {"__type": "<Name>Exception", "message": ...}}, using the error names KMS uses.
 *
 * <p><b>Authentication and authorization.</b> Every request must carry a valid SigV4 signature
 * ({@code Authorization} header form) made with one of the configured access keys, scoped to
 * service {@code kms} and the endpoint's region, and dated within 15 minutes of the endpoint's
 * clock; else {@code MissingAuthenticationTokenException}, {@code IncompleteSignatureException},
 * {@code UnrecognizedClientException} (unknown access key) or {@code InvalidSignatureException}.
 * The access key maps to a principal, and the operation runs as {@link
 * ManagedKeyProvider#asPrincipal(String, String) keys.asPrincipal(principal, region)}: key policies
 * (with the keystore's account policy), key states, limits and audit records are exactly those of
 * the keys behind it, and ARNs name the endpoint's region.
 *
 * <p><b>Operations.</b> CreateKey, DescribeKey, ListKeys, UpdateKeyDescription, CreateAlias,
 * UpdateAlias, DeleteAlias, ListAliases, TagResource, UntagResource, ListResourceTags, Encrypt,
 * Decrypt, ReEncrypt, GenerateDataKey, GenerateDataKeyWithoutPlaintext, GenerateRandom, EnableKey,
 * DisableKey, EnableKeyRotation, DisableKeyRotation, GetKeyRotationStatus, RotateKeyOnDemand,
 * ListKeyRotations, ScheduleKeyDeletion, CancelKeyDeletion, GetKeyPolicy, PutKeyPolicy,
 * ListKeyPolicies; other operations (grants, signing, ...) fail with {@code
 * UnknownOperationException}. Keys are symmetric AES-256 only: asking for asymmetric or HMAC keys,
 * custom key stores, multi-Region keys or DryRun fails with {@code UnsupportedOperationException}.
 *
 * <p><b>Limits.</b> Listens on 127.0.0.1 only. Operations run on a bounded pool of {@link
 * Builder#threads threads} with a bounded {@link Builder#queueCapacity queue} (beyond it: HTTP 503
 * {@code ThrottlingException}, which the SDKs retry); request bodies up to 1 MiB (beyond: 413),
 * headers up to 16 KiB; request headers must be complete within {@link Builder#headerReadTimeout}
 * of their first byte and a body within {@link Builder#requestReadTimeout} of its headers (else 408
 * and the connection closed), so clients that stall or trickle hold no thread and cannot stop the
 * others; idle connections close after {@link Builder#idleTimeout}. Responses go out with {@code
 * TCP_NODELAY}, headers and body in one write.
 *
 * <p>Thread-safe. {@link #close()} is graceful: new connections are refused at once, requests
 * already received finish (up to {@link Builder#drainTimeout}), then the threads stop.
 */
public final class KmsEndpoint implements AutoCloseable {
  private final String region;
  private final AccessKeys accessKeys;
  private final KmsService service;
  private final HttpFront front;
  private final URI endpointUri;
  private final AtomicBoolean closed = new AtomicBoolean();

  private KmsEndpoint(Builder b, String region, String account) {
    this.region = region;
    this.accessKeys = new AccessKeys();
    this.service = KmsService.create(b.keys, region, account);
    try {
      b.credentials.forEach((id, c) -> addCredentials(id, c[0], c[1]));
      this.front =
          new HttpFront(
              b.port,
              b.settings,
              new SigV4Verifier(accessKeys, region, b.clock),
              List.of(new KmsProtocol(service, null)));
    } catch (RuntimeException e) {
      service.close();
      throw e;
    }
    this.endpointUri = URI.create("http://127.0.0.1:" + front.port());
  }

  /**
   * Adds an access key while the endpoint runs: requests signed with it act as {@code
   * principalNameOrArn} ({@code null} or {@code root}: the account root). Adding the same access
   * key again with the same secret and principal does nothing; with another secret or principal it
   * replaces it (requests in flight with the old one may then fail).
   *
   * @throws IllegalArgumentException an empty access key or secret, or a malformed principal
   */
  public void addCredentials(
      String accessKeyId, String secretAccessKey, String principalNameOrArn) {
    Builder.check(accessKeyId, secretAccessKey);
    String principal = principalNameOrArn == null ? "root" : principalNameOrArn;
    service.addPrincipal(principal);
    accessKeys.put(accessKeyId, secretAccessKey, principal);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The URI to give clients, {@code http://127.0.0.1:<port>}. */
  public URI endpointUri() {
    return endpointUri;
  }

  /** The port the endpoint listens on. */
  public int port() {
    return front.port();
  }

  /** The region requests must be signed for, and that ARNs name. */
  public String region() {
    return region;
  }

  /**
   * Stops accepting connections, lets the requests already received finish (up to the drain
   * timeout), stops the threads and closes the principal views it opened on the keys (the provider
   * given to {@link Builder#keys} stays open: the caller closes it). Idempotent.
   */
  @Override
  public void close() {
    if (closed.getAndSet(true)) {
      return;
    }
    try {
      front.close();
    } finally {
      service.close();
    }
  }

  @Override
  public String toString() {
    return "KmsEndpoint[" + endpointUri + ", " + region + "]";
  }

  /**
   * Builds and starts a {@link KmsEndpoint}. Setters check their argument at once. Not thread-safe.
   */
  public static final class Builder {
    private ManagedKeyProvider keys;
    private final Map<String, String[]> credentials = new LinkedHashMap<>();
    private int port;
    private String region;
    private String account;
    private Clock clock = Clock.systemUTC();
    private FrontSettings settings =
        FrontSettings.defaults("coffer-kms-endpoint", 4, 256, 256, Duration.ofSeconds(10), false);

    private Builder() {}

    /** The keys to serve, e.g. an {@code InMemoryKeyProvider} or the local keystore provider. */
    public Builder keys(ManagedKeyProvider keys) {
      this.keys = Objects.requireNonNull(keys, "keys");
      return this;
    }

    /**
     * Adds an access key: requests signed with it act as {@code principalNameOrArn} (a name such as
     * {@code bob}, {@code root} for the account root, or an ARN).
     */
    public Builder credentials(
        String accessKeyId, String secretAccessKey, String principalNameOrArn) {
      check(accessKeyId, secretAccessKey);
      if (credentials.containsKey(accessKeyId)) {
        throw new IllegalArgumentException("access key " + accessKeyId + " was already added");
      }
      credentials.put(accessKeyId, new String[] {secretAccessKey, principalNameOrArn});
      return this;
    }

    /** The port on 127.0.0.1; 0 (the default) picks a free one. */
    public Builder port(int port) {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("port must be between 0 and 65535, was " + port);
      }
      this.port = port;
      return this;
    }

    /**
     * The region requests must be signed for and the keys' ARNs name (default: the keys' own
     * region, {@code us-east-1} unless the keystore was made for another). ARNs naming the keys'
     * own region are accepted too.
     */
    public Builder region(String region) {
      if (region == null || !region.matches("[a-z]{2}(-[a-z]+)+-[0-9]+")) {
        throw new IllegalArgumentException(
            "region must be a region name such as eu-west-2, not " + region);
      }
      this.region = region;
      return this;
    }

    /** The account id of the key ring's ARNs; by default the account of the keys' principal. */
    public Builder account(String account) {
      if (account == null || !account.matches("\\d{12}")) {
        throw new IllegalArgumentException("account must be 12 digits, was " + account);
      }
      this.account = account;
      return this;
    }

    /** The clock signatures' dates are checked against (default: system UTC). */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** The number of threads that run operations (default 4). */
    public Builder threads(int threads) {
      settings = settings.withWorkerThreads("threads", threads);
      return this;
    }

    /**
     * Operations that may wait for a thread (default 256); beyond, HTTP 503 ThrottlingException.
     */
    public Builder queueCapacity(int capacity) {
      settings = settings.withQueueCapacity(capacity);
      return this;
    }

    /** Open connections at most (default 256); beyond, new ones wait in the accept backlog. */
    public Builder maxConnections(int connections) {
      settings = settings.withMaxConnections(connections);
      return this;
    }

    /** A connection without traffic for this long is closed (default 60 s). */
    public Builder idleTimeout(Duration timeout) {
      settings = settings.withIdleTimeout(timeout);
      return this;
    }

    /**
     * A request's headers must be complete this long after their first byte (default 10 s), or the
     * connection is closed, however slowly the client keeps sending.
     */
    public Builder headerReadTimeout(Duration timeout) {
      settings = settings.withHeaderReadTimeout(timeout);
      return this;
    }

    /**
     * A request body must fully arrive within this time after its headers (default 10 s); else 408.
     */
    public Builder requestReadTimeout(Duration timeout) {
      settings = settings.withRequestReadTimeout(timeout);
      return this;
    }

    /** How long {@link KmsEndpoint#close()} waits for running requests (default 10 s). */
    public Builder drainTimeout(Duration timeout) {
      settings = settings.withDrainTimeout(timeout);
      return this;
    }

    /**
     * Binds 127.0.0.1 and starts serving.
     *
     * @throws IllegalStateException without keys
     * @throws IllegalArgumentException a credential's principal is malformed
     * @throws UncheckedIOException when the port cannot be bound
     */
    public KmsEndpoint start() {
      if (keys == null) {
        throw new IllegalStateException("keys(...) is required");
      }
      String acct = account != null ? account : keys.accountId();
      return new KmsEndpoint(this, region != null ? region : keys.region(), acct);
    }

    static void check(String accessKeyId, String secretAccessKey) {
      if (accessKeyId == null
          || accessKeyId.isBlank()
          || secretAccessKey == null
          || secretAccessKey.isEmpty()) {
        throw new IllegalArgumentException("accessKeyId and secretAccessKey must not be empty");
      }
    }
  }
}
