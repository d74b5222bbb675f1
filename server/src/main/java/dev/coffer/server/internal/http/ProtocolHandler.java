package dev.coffer.server.internal.http;

import dev.coffer.server.internal.auth.SigV4Exception;

/**
 * One AWS JSON protocol served on the shared port, chosen by the {@code X-Amz-Target} prefix. The
 * front does HTTP, limits, timeouts, admission and SigV4; the protocol does the operation and
 * writes every answer, errors included, in its own shape. Implementations are thread-safe.
 */
public interface ProtocolHandler extends AutoCloseable {
  /** Why the front answers a request itself, without running it. */
  enum Refusal {
    /** The worker pool and its queue are full (HTTP 503, a throttling error the SDKs retry). */
    THROTTLED,
    /** The server is shutting down (HTTP 503). */
    SHUTTING_DOWN,
    /** The body is larger than the operation's limit (HTTP 413). */
    TOO_LARGE,
    /** The body did not arrive within the read timeout (HTTP 408). */
    READ_TIMEOUT,
    /** The operation is not one of this protocol's (HTTP 400). */
    UNKNOWN_OPERATION,
    /** The method is not POST, or the content type is not this protocol's (HTTP 400). */
    BAD_REQUEST
  }

  /** The {@code X-Amz-Target} prefix with its dot, e.g. {@code DynamoDB_20120810.}. */
  String targetPrefix();

  /** The SigV4 service name, e.g. {@code dynamodb}. */
  String signingService();

  /**
   * Whether {@code operation} is served. {@code operation} is null when the request's {@code
   * X-Amz-Target} is missing or names no protocol of the server (this one is then the server's
   * first); a protocol that answers such requests itself, after authentication, returns true.
   */
  boolean knows(String operation);

  /** The largest request body accepted for {@code operation}. */
  int maxRequestBytes(String operation);

  /** Whether responses carry {@code x-amz-crc32} (DynamoDB's SDKs check it). */
  boolean crc32();

  /** The response {@code Content-Type}. */
  String contentType();

  /** A new {@code x-amzn-RequestId} (DynamoDB's: 52 characters of {@code [A-Z0-9]}). */
  default String newRequestId() {
    return RequestIds.next();
  }

  /**
   * Runs one authenticated call on a worker thread. Never throws: failures are answered in the
   * protocol's error shape.
   *
   * @param target the request's {@code X-Amz-Target}, or null
   * @param operation the operation {@code target} names for this protocol, or null (see {@link
   *     #knows})
   */
  Answer handle(
      String target, String operation, String requestContentType, byte[] body, String principal);

  /**
   * The answer for a request the front refuses. {@code detail} may add to the message, or be null.
   */
  Answer refuse(Refusal refusal, String detail);

  /** The answer for a request whose signature fails. */
  Answer authenticationFailed(SigV4Exception e);

  /** Releases what the protocol holds. Throws nothing checked. */
  @Override
  void close();

  /** An HTTP answer: status and JSON body. */
  record Answer(int status, byte[] body) {}
}
