package dev.coffer.kms.endpoint;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.coffer.kms.KeyProviderException;
import dev.coffer.kms.ManagedKeyProvider;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The KMS JSON 1.1 operations of {@link KmsEndpoint} without HTTP and without authentication: for a
 * server that serves KMS beside other protocols on one port ({@code coffer serve}, in {@code
 * coffer-server}) and has verified the request's SigV4 signature itself. Requests are parsed and
 * answered exactly as the endpoint does (same operations, same error names, messages and statuses);
 * each runs as {@link ManagedKeyProvider#asPrincipal(String, String) keys.asPrincipal(principal, region)}.
 *
 * <p>Not meant for applications: it moves into {@code coffer-server} with the endpoint. Thread-safe;
 * {@link #close()} closes the principal views it opened (not the provider it was given).
 */
public final class KmsService implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(KmsService.class);

  /** The JSON 1.1 content type of requests and responses. */
  public static final String CONTENT_TYPE = KmsHttpHandler.CONTENT_TYPE;

  /** One answer: HTTP status and JSON body (an error is {@code {"__type", "message"}}). */
  public record Answer(int status, byte[] body) {}

  private final ManagedKeyProvider keys;
  private final String region;
  private final String account;
  private final Operations operations = Operations.all();
  private final Map<String, Caller> callers = new ConcurrentHashMap<>();

  private KmsService(ManagedKeyProvider keys, String region, String account) {
    this.keys = keys;
    this.region = region;
    this.account = account;
  }

  /**
   * A service over {@code keys}, whose ARNs name {@code region} and the account of the keys'
   * principal.
   */
  public static KmsService create(ManagedKeyProvider keys, String region) {
    Objects.requireNonNull(keys, "keys");
    Objects.requireNonNull(region, "region");
    return new KmsService(keys, region, keys.accountId());
  }

  /** Whether {@code operation} (the part after {@code TrentService.}) is served. */
  public boolean knows(String operation) {
    return operations.get(operation) != null;
  }

  /**
   * Runs {@code operation} as {@code principal}. Never throws for a bad request or a refused
   * operation: those are answered in KMS's error shape.
   *
   * @param contentType the request's {@code Content-Type}, which must be {@link #CONTENT_TYPE}
   */
  public Answer handle(String operation, String contentType, byte[] body, String principal) {
    ObjectNode response;
    int status = 200;
    try {
      Operations.Handler handler = operations.get(operation);
      if (handler == null) {
        throw new KmsError("UnknownOperationException", null, 400);
      }
      if (contentType == null || !contentType.split(";")[0].trim().equalsIgnoreCase(CONTENT_TYPE)) {
        throw KmsError.serialization("Content-Type must be " + CONTENT_TYPE + ".");
      }
      Caller caller = callers.computeIfAbsent(principal, p -> new Caller(keys.asPrincipal(p, region), region, account));
      response = handler.handle(Request.parse(body), caller);
    } catch (KmsError e) {
      status = e.status();
      response = KmsHttpHandler.error(e.type(), e.getMessage());
    } catch (KeyProviderException e) {
      KmsError k = KmsError.of(e);
      status = k.status();
      response = KmsHttpHandler.error(k.type(), k.getMessage());
    } catch (RuntimeException e) {
      LOG.error("KMS service: internal error in {}", operation, e);
      status = 500;
      response = KmsHttpHandler.error("KMSInternalException", "An internal error occurred.");
    }
    return new Answer(status, bytes(response));
  }

  /** An error answer in KMS's shape, for refusals made before an operation runs. */
  public static Answer error(int status, String type, String message) {
    return new Answer(status, bytes(KmsHttpHandler.error(type, message)));
  }

  private static byte[] bytes(ObjectNode response) {
    if (response == null) {
      return new byte[0];
    }
    try {
      return Shapes.JSON.writeValueAsString(response).getBytes(StandardCharsets.UTF_8);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write a KMS response", e);
    }
  }

  @Override
  public void close() {
    callers.values().forEach(c -> c.keys().close());
    callers.clear();
  }
}
