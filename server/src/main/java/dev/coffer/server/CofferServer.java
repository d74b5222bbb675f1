package dev.coffer.server;

import dev.coffer.Coffer;
import dev.coffer.kms.KeyProvider;
import dev.coffer.kms.ManagedKeyProvider;
import dev.coffer.server.internal.access.ProbeDecryptAccess;
import dev.coffer.server.internal.auth.AccessKeys;
import dev.coffer.server.internal.auth.SigV4Verifier;
import dev.coffer.server.internal.dynamodb.DynamoDbProtocol;
import dev.coffer.server.internal.http.FrontSettings;
import dev.coffer.server.internal.http.HttpFront;
import dev.coffer.server.internal.http.ProtocolHandler;
import dev.coffer.server.internal.kms.KmsProtocol;
import dev.coffer.server.internal.kms.KmsService;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * {@code coffer serve}: one HTTP/1.1 endpoint on 127.0.0.1 that speaks DynamoDB's JSON 1.0 protocol
 * over an open {@link Coffer} store and, for stores under a {@code local:} or {@code memory:} key
 * provider, KMS's JSON 1.1 protocol over the same keys, told apart by {@code X-Amz-Target}. The AWS
 * SDKs and the AWS CLI use it with an endpoint override.
 *
 * <pre>{@code
 * try (Coffer store = Coffer.open(dir, options);
 *      CofferServer server = CofferServer.builder().store(store).keyProvider(keys)
 *          .credentials("AKIDEXAMPLE", "secret", "alice").start()) {
 *   DynamoDbClient ddb = DynamoDbClient.builder().endpointOverride(server.endpointUri())...build();
 * }
 * }</pre>
 *
 * <p><b>Authentication and authorization.</b> Every request must carry a SigV4 signature made with
 * one of the configured access keys, for service {@code dynamodb} or {@code kms} and the server's
 * region, dated within 15 minutes; each access key acts as a principal. DynamoDB data calls of a
 * principal that may not use the store's master key (its key policy refuses {@code kms:Decrypt},
 * the key is disabled, ...) are refused with {@code AccessDeniedException} (see {@link
 * PrincipalKeyAccess}); KMS calls run as that principal under the key ring's policies.
 *
 * <p><b>Limits.</b> A bounded worker pool with a bounded queue (beyond it: HTTP 503 with a
 * throttling error the SDKs retry), request bodies up to 16 MB for batch calls and 4 MB for single
 * item calls, headers up to 16 KiB, a deadline on each request's headers and on its body, an idle
 * timeout per connection, a connection cap. See {@code docs/serve.md}.
 *
 * <p><b>Lifecycle.</b> {@link #close()} is graceful: new connections and requests are refused at
 * once, running requests finish (up to the drain timeout), then the threads stop. The store and the
 * key provider stay open: the caller closes them after the server. Thread-safe.
 */
public final class CofferServer implements AutoCloseable {
  private final HttpFront front;
  private final List<ProtocolHandler> protocols;
  private final AutoCloseable accessResource;
  private final String region;
  private final URI endpointUri;

  private CofferServer(
      HttpFront front,
      List<ProtocolHandler> protocols,
      AutoCloseable accessResource,
      String region) {
    this.front = front;
    this.protocols = protocols;
    this.accessResource = accessResource;
    this.region = region;
    this.endpointUri = URI.create("http://127.0.0.1:" + front.port());
  }

  public static Builder builder() {
    return new Builder();
  }

  /** {@code http://127.0.0.1:<port>}, for {@code endpointOverride} and {@code --endpoint-url}. */
  public URI endpointUri() {
    return endpointUri;
  }

  /** The bound port. */
  public int port() {
    return front.port();
  }

  /** The region requests must be signed for and table ARNs name. */
  public String region() {
    return region;
  }

  /** Whether the KMS protocol is served (the key provider keeps its own keys). */
  public boolean servesKms() {
    return protocols.size() > 1;
  }

  /**
   * Graceful stop: refuses new connections and requests, lets running requests finish (up to the
   * drain timeout), stops the threads and releases the principal views it opened. Does not close
   * the store or the key provider. Idempotent; throws nothing checked.
   */
  @Override
  public void close() {
    front.close();
    protocols.forEach(ProtocolHandler::close);
    if (accessResource != null) {
      try {
        accessResource.close();
      } catch (Exception e) {
        throw new IllegalStateException("cannot release the key-access views", e);
      }
    }
  }

  @Override
  public String toString() {
    return "CofferServer[" + endpointUri + ", " + region + "]";
  }

  /**
   * Builds and starts a {@link CofferServer}. Setters check their argument at once ({@link
   * IllegalArgumentException}). Not thread-safe.
   */
  public static final class Builder {
    private Coffer store;
    private KeyProvider keyProvider;
    private final Map<String, String[]> credentials = new LinkedHashMap<>();
    private int port;
    private String region = "us-east-1";
    private Clock clock = Clock.systemUTC();
    private FrontSettings settings =
        FrontSettings.defaults(
            "coffer-serve",
            Math.max(4, 2 * Runtime.getRuntime().availableProcessors()),
            512,
            1024,
            Duration.ofSeconds(30),
            true);
    private Duration accessCheckInterval = Duration.ofSeconds(1);
    private PrincipalKeyAccess keyAccess;
    private boolean kms = true;

    private Builder() {}

    /** The open store to serve (required). The server does not close it. */
    public Builder store(Coffer store) {
      this.store = Objects.requireNonNull(store, "store");
      return this;
    }

    /**
     * The key provider the store was opened with (required). For {@code local:} and {@code memory:}
     * providers the server also serves KMS over its keys and checks principals by a probe decrypt.
     */
    public Builder keyProvider(KeyProvider keyProvider) {
      this.keyProvider = Objects.requireNonNull(keyProvider, "keyProvider");
      return this;
    }

    /** Adds an access key: requests signed with it act as {@code principal} (a name or an ARN). */
    public Builder credentials(String accessKeyId, String secretAccessKey, String principal) {
      if (accessKeyId == null
          || accessKeyId.isBlank()
          || secretAccessKey == null
          || secretAccessKey.isEmpty()
          || principal == null
          || principal.isBlank()) {
        throw new IllegalArgumentException(
            "accessKeyId, secretAccessKey and principal must not be empty");
      }
      if (credentials.putIfAbsent(accessKeyId, new String[] {secretAccessKey, principal}) != null) {
        throw new IllegalArgumentException("access key " + accessKeyId + " was already added");
      }
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

    /** The region requests must be signed for and table ARNs name (default {@code us-east-1}). */
    public Builder region(String region) {
      if (region == null || !region.matches("[a-z0-9-]{1,64}")) {
        throw new IllegalArgumentException("region must be 1 to 64 of [a-z0-9-], was " + region);
      }
      this.region = region;
      return this;
    }

    /** The clock signature dates are checked against. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** Threads that run operations (default: twice the processors, at least 4). */
    public Builder workerThreads(int threads) {
      settings = settings.withWorkerThreads("workerThreads", threads);
      return this;
    }

    /**
     * Operations that may wait for a worker (default 512); beyond, HTTP 503 ThrottlingException.
     */
    public Builder queueCapacity(int capacity) {
      settings = settings.withQueueCapacity(capacity);
      return this;
    }

    /** Open connections at most (default 1024); beyond, new ones wait in the accept backlog. */
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

    /** A request body must fully arrive within this time after its headers (default 10 s). */
    public Builder requestReadTimeout(Duration timeout) {
      settings = settings.withRequestReadTimeout(timeout);
      return this;
    }

    /** How long {@link CofferServer#close()} waits for running requests (default 30 s). */
    public Builder drainTimeout(Duration timeout) {
      settings = settings.withDrainTimeout(timeout);
      return this;
    }

    /**
     * How long a principal's key-access verdict is kept under a key provider without state
     * generations ({@code memory:}; default 1 s). Under a {@code local:} keystore verdicts are kept
     * until the keystore changes, whoever changes it, and this only matters when zero: zero checks
     * every call, whatever the provider.
     */
    public Builder accessCheckInterval(Duration interval) {
      Objects.requireNonNull(interval, "accessCheckInterval");
      if (interval.isNegative()) {
        throw new IllegalArgumentException(
            "accessCheckInterval must not be negative, was " + interval);
      }
      this.accessCheckInterval = interval;
      return this;
    }

    /**
     * How principals are checked against the master key; required for key providers other than
     * {@code local:} and {@code memory:}.
     */
    public Builder keyAccess(PrincipalKeyAccess access) {
      this.keyAccess = Objects.requireNonNull(access, "keyAccess");
      return this;
    }

    /** Whether to serve KMS too when the provider keeps its own keys (default true). */
    public Builder kms(boolean serveKms) {
      this.kms = serveKms;
      return this;
    }

    /**
     * Binds 127.0.0.1 and starts serving.
     *
     * @throws IllegalStateException without a store, a key provider or credentials, or without
     *     {@link #keyAccess} for a provider that does not keep its own keys
     * @throws UncheckedIOException when the port cannot be bound
     * @throws dev.coffer.kms.KeyProviderException when the access probe cannot be made
     */
    public CofferServer start() {
      if (store == null || keyProvider == null) {
        throw new IllegalStateException("store(...) and keyProvider(...) are required");
      }
      if (credentials.isEmpty()) {
        throw new IllegalStateException("at least one credentials(...) entry is required");
      }
      ManagedKeyProvider ring = keyProvider instanceof ManagedKeyProvider r ? r : null;
      PrincipalKeyAccess access = keyAccess;
      ProbeDecryptAccess probe = null;
      if (access == null) {
        if (ring == null) {
          throw new IllegalStateException(
              "the "
                  + keyProvider.scheme()
                  + ": key provider cannot act as other"
                  + " principals: pass keyAccess(...) to say how principals are checked");
        }
        probe =
            new ProbeDecryptAccess(ring, store.keyInfo().masterKeyId(), accessCheckInterval, clock);
        access = probe;
      }
      AccessKeys keys = new AccessKeys();
      credentials.forEach((id, v) -> keys.add(id, v[0], v[1]));
      String account = accountOf(keyProvider.principal());
      List<ProtocolHandler> protocols = new ArrayList<>();
      protocols.add(new DynamoDbProtocol(store, region, account, access));
      if (kms && ring != null) {
        protocols.add(new KmsProtocol(KmsService.create(ring, region), access));
      }
      try {
        HttpFront front =
            new HttpFront(port, settings, new SigV4Verifier(keys, region, clock), protocols);
        return new CofferServer(front, protocols, probe, region);
      } catch (RuntimeException e) {
        protocols.forEach(ProtocolHandler::close);
        if (probe != null) {
          probe.close();
        }
        throw e;
      }
    }

    private static String accountOf(String principalArn) {
      String[] parts = principalArn == null ? new String[0] : principalArn.split(":", 6);
      return parts.length == 6 && parts[4].matches("\\d{12}") ? parts[4] : "000000000000";
    }
  }
}
