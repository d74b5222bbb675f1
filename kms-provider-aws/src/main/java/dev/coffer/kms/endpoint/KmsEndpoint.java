package dev.coffer.kms.endpoint;

import com.sun.net.httpserver.HttpServer;
import dev.coffer.kms.ManagedKeyProvider;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A local, KMS-compatible HTTP endpoint for tests: the AWS SDKs and the AWS CLI talk to it as to
 * AWS KMS ({@code endpointOverride(endpoint.endpointUri())}, {@code aws --endpoint-url ...}).
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
 * <p>Listens on 127.0.0.1 only. The JDK HTTP server writes a response's headers and body as two
 * segments; unless the JVM runs with {@code -Dsun.net.httpserver.nodelay=true} (which this class
 * no longer sets for the whole JVM), a client that delays its ACKs may wait ~40 ms per call.
 * Thread-safe; {@link #close()} stops the server and its threads.
 */
public final class KmsEndpoint implements AutoCloseable {
  private final ManagedKeyProvider keys;
  private final String region;
  private final String account;
  private final Map<String, AccessKey> accessKeys = new ConcurrentHashMap<>();
  private final HttpServer server;
  private final ExecutorService executor;
  private final URI endpointUri;
  private final AtomicBoolean closed = new AtomicBoolean();

  /** One access key: its secret and the caller it acts as. */
  private record AccessKey(String secret, String principalNameOrArn, Caller caller) {}

  private KmsEndpoint(Builder b, String region, String account) throws IOException {
    this.keys = b.keys;
    this.region = region;
    this.account = account;
    b.credentials.forEach((id, c) -> addCredentials(id, c[0], c[1]));
    SigV4Verifier verifier = new SigV4Verifier("kms", region, this::secretFor, b.clock);
    KmsHttpHandler handler = new KmsHttpHandler(verifier, this::callerFor, Operations.all());
    this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), b.port), 64);
    AtomicInteger n = new AtomicInteger();
    this.executor = Executors.newFixedThreadPool(b.threads, r -> {
      Thread t = new Thread(r, "coffer-kms-endpoint-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    server.createContext("/", handler);
    server.setExecutor(executor);
    server.start();
    this.endpointUri = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  /**
   * Adds an access key while the endpoint runs: requests signed with it act as {@code
   * principalNameOrArn}. Adding the same access key again with the same secret and principal does
   * nothing; with another secret or principal it replaces it (requests in flight with the old one
   * may then fail).
   */
  public void addCredentials(String accessKeyId, String secretAccessKey, String principalNameOrArn) {
    Builder.check(accessKeyId, secretAccessKey);
    AccessKey current = accessKeys.get(accessKeyId);
    if (current != null && current.secret().equals(secretAccessKey)
        && current.principalNameOrArn().equals(String.valueOf(principalNameOrArn))) {
      return;
    }
    AccessKey old = accessKeys.put(accessKeyId, new AccessKey(secretAccessKey, String.valueOf(principalNameOrArn),
        new Caller(keys.asPrincipal(principalNameOrArn, region), region, account)));
    if (old != null) {
      old.caller().keys().close();
    }
  }

  private String secretFor(String accessKeyId) {
    AccessKey k = accessKeys.get(accessKeyId);
    return k == null ? null : k.secret();
  }

  private Caller callerFor(String accessKeyId) {
    return accessKeys.get(accessKeyId).caller();
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
    return server.getAddress().getPort();
  }

  /** The region requests must be signed for, and that ARNs name. */
  public String region() {
    return region;
  }

  /**
   * Stops accepting requests, ends the exchanges in progress, stops the threads and closes the
   * principal views it opened on the keys (the provider given to {@link Builder#keys} stays open:
   * the caller closes it). Idempotent.
   */
  @Override
  public void close() {
    if (closed.getAndSet(true)) {
      return;
    }
    server.stop(0);
    executor.shutdownNow();
    try {
      executor.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    accessKeys.values().forEach(k -> k.caller().keys().close());
  }

  @Override
  public String toString() {
    return "KmsEndpoint[" + endpointUri + ", " + region + "]";
  }

  /** Builds and starts a {@link KmsEndpoint}. */
  public static final class Builder {
    private ManagedKeyProvider keys;
    private final Map<String, String[]> credentials = new LinkedHashMap<>();
    private int port;
    private String region;
    private String account;
    private Clock clock = Clock.systemUTC();
    private int threads = 4;

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
    public Builder credentials(String accessKeyId, String secretAccessKey, String principalNameOrArn) {
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
        throw new IllegalArgumentException("region must be a region name such as eu-west-2, not " + region);
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

    /** The number of request threads (default 4). */
    public Builder threads(int threads) {
      if (threads < 1) {
        throw new IllegalArgumentException("threads must be at least 1, was " + threads);
      }
      this.threads = threads;
      return this;
    }

    /**
     * Binds 127.0.0.1 and starts serving.
     *
     * @throws IllegalStateException without keys
     * @throws UncheckedIOException when the port cannot be bound
     */
    public KmsEndpoint start() {
      if (keys == null) {
        throw new IllegalStateException("keys(...) is required");
      }
      String acct = account != null ? account : keys.accountId();
      try {
        return new KmsEndpoint(this, region != null ? region : keys.region(), acct);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot bind 127.0.0.1:" + port, e);
      }
    }

    static void check(String accessKeyId, String secretAccessKey) {
      if (accessKeyId == null || accessKeyId.isBlank() || secretAccessKey == null || secretAccessKey.isEmpty()) {
        throw new IllegalArgumentException("accessKeyId and secretAccessKey must not be empty");
      }
    }
  }
}
