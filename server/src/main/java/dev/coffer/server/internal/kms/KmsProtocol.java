package dev.coffer.server.internal.kms;

import dev.coffer.server.PrincipalKeyAccess;
import dev.coffer.server.internal.auth.SigV4Exception;
import dev.coffer.server.internal.http.ProtocolHandler;
import java.util.UUID;

/**
 * KMS's JSON 1.1 protocol ({@code X-Amz-Target: TrentService.<Operation>}) on the shared port: the
 * front authenticates, then {@link KmsService} runs the operation as the caller's principal. The
 * same protocol serves {@code coffer serve} (beside DynamoDB's) and the KMS-only endpoint ({@code
 * coffer kms serve}, {@code KmsEndpoint}), which passes no {@link PrincipalKeyAccess}. After every
 * KMS call the remembered key-access verdicts, if any, are forgotten, so a {@code PutKeyPolicy} or
 * {@code DisableKey} through this port applies to the next DynamoDB call at once. Request ids are
 * UUIDs, as KMS's. Thread-safe.
 */
public final class KmsProtocol implements ProtocolHandler {
  /** The target prefix. */
  public static final String TARGET_PREFIX = KmsService.TARGET_PREFIX;

  /**
   * The largest request body (KMS's own cap is far below: plaintexts up to 4 KB, policies up to 32
   * KB).
   */
  public static final int MAX_REQUEST_BYTES = 1 << 20;

  private final KmsService service;
  private final PrincipalKeyAccess access;

  /**
   * @param access the verdicts to forget after each call, or null (the KMS-only endpoint)
   */
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
    return true; // unknown, missing and foreign targets are answered by the service after SigV4, in
    // KMS's words
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
  public String newRequestId() {
    return UUID.randomUUID().toString();
  }

  @Override
  public Answer handle(
      String target, String operation, String requestContentType, byte[] body, String principal) {
    try {
      KmsService.Answer a = service.handle(target, requestContentType, body, principal);
      return new Answer(a.status(), a.body());
    } finally {
      if (access != null) {
        access.invalidate();
      }
    }
  }

  @Override
  public Answer refuse(Refusal refusal, String detail) {
    KmsService.Answer a =
        switch (refusal) {
          case THROTTLED -> KmsService.error(503, "ThrottlingException", "Rate exceeded");
          case SHUTTING_DOWN ->
              KmsService.error(503, "ThrottlingException", "The server is shutting down.");
          case TOO_LARGE ->
              KmsService.error(
                  413,
                  "ValidationException",
                  "The request is larger than " + MAX_REQUEST_BYTES + " bytes.");
          case READ_TIMEOUT ->
              KmsService.error(
                  408, "RequestTimeoutException", "The request body did not arrive in time.");
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
