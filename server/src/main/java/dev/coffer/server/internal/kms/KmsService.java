package dev.coffer.server.internal.kms;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.coffer.kms.KeyProviderException;
import dev.coffer.kms.ManagedKeyProvider;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The KMS JSON 1.1 operations without HTTP and without authentication: the front ({@code
 * internal.http}) reads the request and checks its SigV4 signature, then this runs the operation as
 * the caller's principal, {@link ManagedKeyProvider#asPrincipal(String, String)
 * keys.asPrincipal(principal, region)}, and answers in KMS's shape ({@code {"__type": "<Name>",
 * "message": ...}} for errors, with KMS's names, messages and statuses). Behind both {@code coffer
 * serve} ({@link KmsProtocol}) and the KMS-only endpoint ({@code
 * dev.coffer.kms.endpoint.KmsEndpoint}).
 *
 * <p>Never logs bodies (they carry plaintext). Thread-safe; {@link #close()} closes the principal
 * views it opened (not the provider it was given).
 */
public final class KmsService implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(KmsService.class);

  /** The JSON 1.1 content type of requests and responses. */
  public static final String CONTENT_TYPE = "application/x-amz-json-1.1";

  /** The {@code X-Amz-Target} prefix of KMS operations. */
  public static final String TARGET_PREFIX = "TrentService.";

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
    return create(keys, region, keys.accountId());
  }

  /** A service over {@code keys}, whose ARNs name {@code region} and {@code account}. */
  public static KmsService create(ManagedKeyProvider keys, String region, String account) {
    Objects.requireNonNull(keys, "keys");
    Objects.requireNonNull(region, "region");
    Objects.requireNonNull(account, "account");
    return new KmsService(keys, region, account);
  }

  /** The operations served (the part after {@code TrentService.}), sorted. */
  public Set<String> operations() {
    return operations.names();
  }

  /**
   * Opens the view acting as {@code principal} now rather than at its first call, so that a
   * malformed principal fails here.
   *
   * @throws IllegalArgumentException a malformed principal ARN or name
   */
  public void addPrincipal(String principal) {
    caller(principal);
  }

  private Caller caller(String principal) {
    return callers.computeIfAbsent(
        principal, p -> new Caller(keys.asPrincipal(p, region), region, account));
  }

  /**
   * Runs the operation {@code target} names as {@code principal}. Never throws for a bad request or
   * a refused operation: those are answered in KMS's error shape.
   *
   * @param target the request's {@code X-Amz-Target} ({@code TrentService.<Operation>}), or null
   * @param contentType the request's {@code Content-Type}, which must be {@link #CONTENT_TYPE}
   */
  public Answer handle(String target, String contentType, byte[] body, String principal) {
    ObjectNode response;
    int status = 200;
    try {
      Operations.Handler handler =
          target != null && target.startsWith(TARGET_PREFIX)
              ? operations.get(target.substring(TARGET_PREFIX.length()))
              : null;
      if (handler == null) {
        throw new KmsError(
            "UnknownOperationException",
            target == null
                ? "Missing X-Amz-Target."
                : "The operation " + target + " is not supported by this endpoint.",
            400);
      }
      if (contentType == null || !contentType.split(";")[0].trim().equalsIgnoreCase(CONTENT_TYPE)) {
        throw KmsError.serialization("Content-Type must be " + CONTENT_TYPE + ".");
      }
      response = handler.handle(Request.parse(body), caller(principal));
    } catch (KmsError e) {
      status = e.status();
      response = errorBody(e.type(), e.getMessage());
    } catch (KeyProviderException e) {
      KmsError k = KmsError.of(e);
      status = k.status();
      response = errorBody(k.type(), k.getMessage());
    } catch (RuntimeException e) {
      LOG.error("KMS: internal error in {}", target, e);
      status = 500;
      response = errorBody("KMSInternalException", "An internal error occurred.");
    }
    return new Answer(status, bytes(response));
  }

  /** An error answer in KMS's shape, for refusals made before an operation runs. */
  public static Answer error(int status, String type, String message) {
    return new Answer(status, bytes(errorBody(type, message)));
  }

  private static ObjectNode errorBody(String type, String message) {
    ObjectNode e = Shapes.object();
    e.put("__type", type);
    if (message != null) {
      e.put("message", printable(message));
    }
    return e;
  }

  /** The longest message written; longer ones (an echoed client value) are cut, ending "...". */
  static final int MAX_MESSAGE_CHARS = 4096;

  /**
   * {@code message} as one printable line: control characters (C0, DEL, C1, line breaks) and
   * unpaired surrogates, which messages can carry from an echoed client value (an alias name, a
   * description), become {@code ?}; at most {@link #MAX_MESSAGE_CHARS} characters.
   */
  static String printable(String message) {
    int n = Math.min(message.length(), MAX_MESSAGE_CHARS);
    StringBuilder sb = new StringBuilder(n + 3);
    for (int i = 0; i < n; i++) {
      char c = message.charAt(i);
      if (Character.isHighSurrogate(c)
          && i + 1 < message.length()
          && Character.isLowSurrogate(message.charAt(i + 1))) {
        if (i + 1 < n) {
          sb.append(c).append(message.charAt(++i));
        }
        continue;
      }
      sb.append(Character.isISOControl(c) || Character.isSurrogate(c) ? '?' : c);
    }
    if (n < message.length()) {
      sb.append("...");
    }
    return sb.toString();
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
