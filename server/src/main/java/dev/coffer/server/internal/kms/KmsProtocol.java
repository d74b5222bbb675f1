package dev.coffer.server.internal.kms;

import dev.coffer.kms.endpoint.KmsService;
import dev.coffer.server.PrincipalKeyAccess;
import dev.coffer.server.internal.auth.SigV4Exception;
import dev.coffer.server.internal.http.ProtocolHandler;

/**
 * KMS's JSON 1.1 protocol ({@code X-Amz-Target: TrentService.<Operation>}) on the shared port: the
 * front authenticates, then {@link KmsService} (the KMS endpoint's own request handling in {@code
 * coffer-kms-provider-aws}) runs the operation as the caller's principal. After every KMS call the
 * remembered key-access verdicts are forgotten, so a {@code PutKeyPolicy} or {@code DisableKey}
 * through this port applies to the next DynamoDB call at once. Thread-safe.
 */
public final class KmsProtocol implements ProtocolHandler {
  /** The target prefix. */
  public static final String TARGET_PREFIX = "TrentService.";
  private static final int MAX_REQUEST_BYTES = 1 << 20;

  private final KmsService service;
  private final PrincipalKeyAccess access;

  public KmsProtocol(KmsService service, PrincipalKeyAccess access) {
    this.service = service;
    this.access = access;
  }

  @Override
  public String targetPrefix() {
    return TARGET_PREFIX;
  }

  @Override
  public String signingService() {
    return "kms";
  }

  @Override
  public boolean knows(String operation) {
    return true; // unknown operations are answered by the service, in KMS's words
  }

  @Override
  public int maxRequestBytes(String operation) {
    return MAX_REQUEST_BYTES;
  }

  @Override
  public boolean crc32() {
    return false;
  }

  @Override
  public String contentType() {
    return KmsService.CONTENT_TYPE;
  }

  @Override
  public Answer handle(String operation, String requestContentType, byte[] body, String principal) {
    try {
      KmsService.Answer a = service.handle(operation, requestContentType, body, principal);
      return new Answer(a.status(), a.body());
    } finally {
      access.invalidate();
    }
  }

  @Override
  public Answer refuse(Refusal refusal, String detail) {
    KmsService.Answer a = switch (refusal) {
      case THROTTLED -> KmsService.error(503, "ThrottlingException", "Rate exceeded");
      case SHUTTING_DOWN -> KmsService.error(503, "ThrottlingException", "The server is shutting down.");
      case TOO_LARGE -> KmsService.error(413, "ValidationException",
          detail == null ? "The request is too large." : detail);
      case READ_TIMEOUT -> KmsService.error(408, "RequestTimeoutException", "The request body did not arrive in time.");
      case UNKNOWN_OPERATION -> KmsService.error(400, "UnknownOperationException", null);
      case BAD_REQUEST -> KmsService.error(400, "UnknownOperationException", detail);
    };
    return new Answer(a.status(), a.body());
  }

  @Override
  public Answer authenticationFailed(SigV4Exception e) {
    KmsService.Answer a = KmsService.error(400, e.errorType(), e.getMessage());
    return new Answer(a.status(), a.body());
  }

  @Override
  public void close() {
    service.close();
  }
}
