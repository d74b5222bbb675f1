package dev.coffer.kms.aws;

import dev.coffer.kms.AccessDeniedException;
import dev.coffer.kms.AlreadyExistsException;
import dev.coffer.kms.DisabledException;
import dev.coffer.kms.IncorrectKeyException;
import dev.coffer.kms.InvalidArnException;
import dev.coffer.kms.InvalidCiphertextException;
import dev.coffer.kms.KeyProviderException;
import dev.coffer.kms.KeyProviderUnavailableException;
import dev.coffer.kms.KmsInvalidStateException;
import dev.coffer.kms.KmsValidationException;
import dev.coffer.kms.LimitExceededException;
import dev.coffer.kms.MalformedPolicyDocumentException;
import dev.coffer.kms.NotFoundException;
import dev.coffer.kms.ThrottlingException;
import dev.coffer.kms.UnsupportedKeyOperationException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Set;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Maps the AWS SDK's exceptions to the SPI's {@link KeyProviderException} family, by KMS error
 * name, keeping KMS's message. This is the one place where SDK exceptions are caught.
 *
 * <ul>
 *   <li>Each KMS error with an SPI class of the same name maps to that class.
 *   <li>{@code KeyUnavailableException}, {@code DependencyTimeoutException}, {@code
 *       KMSInternalException} and any HTTP 5xx map to {@link KeyProviderUnavailableException}
 *       (retryable); throttling names and HTTP 429 to {@link ThrottlingException} (retryable).
 *   <li>Authentication failures ({@code UnrecognizedClientException}, {@code
 *       InvalidSignatureException}, ...) map to {@link AccessDeniedException}; the message starts
 *       with KMS's error name.
 *   <li>Request validation errors map to {@link KmsValidationException}.
 *   <li>Network failures (an {@link SdkClientException} caused by I/O, or a timeout) map to {@link
 *       KeyProviderUnavailableException}. Other client-side failures (no credentials, no region)
 *       keep the SDK's message in a plain {@link KeyProviderException} that is not retryable.
 *   <li>Any other KMS error becomes a plain {@link KeyProviderException} with KMS's error name.
 * </ul>
 */
final class KmsErrorMapper {
  private static final Set<String> UNAVAILABLE =
      Set.of(
          "KeyUnavailableException",
          "DependencyTimeoutException",
          "KMSInternalException",
          "ServiceUnavailableException",
          "InternalFailure",
          "ServiceUnavailable");
  private static final Set<String> THROTTLING =
      Set.of(
          "ThrottlingException",
          "Throttling",
          "ThrottledException",
          "RequestLimitExceeded",
          "TooManyRequestsException",
          "RequestThrottled",
          "RequestThrottledException",
          "SlowDown",
          "ProvisionedThroughputExceededException");
  private static final Set<String> AUTHENTICATION =
      Set.of(
          "UnrecognizedClientException",
          "InvalidSignatureException",
          "IncompleteSignature",
          "IncompleteSignatureException",
          "MissingAuthenticationToken",
          "MissingAuthenticationTokenException",
          "InvalidClientTokenId",
          "ExpiredTokenException",
          "ExpiredToken",
          "SignatureDoesNotMatch",
          "AuthFailure");
  private static final Set<String> VALIDATION =
      Set.of(
          "ValidationException",
          "SerializationException",
          "InvalidAliasNameException",
          "InvalidGrantTokenException",
          "InvalidGrantIdException",
          "InvalidMarkerException",
          "InvalidKeyUsageException",
          "InvalidParameterValue",
          "InvalidParameterCombination",
          "MissingParameter",
          "InvalidQueryParameter",
          "MalformedQueryString",
          "MissingAction");

  private KmsErrorMapper() {}

  /** The SPI exception for an SDK failure of {@code action} on {@code keyId}. */
  static KeyProviderException map(SdkException e, String keyId, String action) {
    if (e instanceof AwsServiceException) {
      return mapService((AwsServiceException) e, keyId, action);
    }
    if (isNetworkFailure(e)) {
      return new KeyProviderUnavailableException(
          "AWS KMS could not be reached for " + action + ": " + e.getMessage(), keyId, action, e);
    }
    return new KeyProviderException("SdkClientException", e.getMessage(), keyId, action, e);
  }

  private static KeyProviderException mapService(
      AwsServiceException e, String keyId, String action) {
    String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
    String message =
        e.awsErrorDetails() == null || e.awsErrorDetails().errorMessage() == null
            ? e.getMessage()
            : e.awsErrorDetails().errorMessage();
    int status = e.statusCode();
    if (code == null || code.isEmpty()) {
      code =
          status >= 500
              ? "KMSInternalException"
              : status == 429 ? "ThrottlingException" : "UnknownError";
    }
    switch (code) {
      case "AccessDeniedException":
      case "AccessDenied":
        return new AccessDeniedException(message, keyId, action, e);
      case "DisabledException":
        return new DisabledException(message, keyId, action, e);
      case "KMSInvalidStateException":
        return new KmsInvalidStateException(message, keyId, action, e);
      case "NotFoundException":
        return new NotFoundException(message, keyId, action, e);
      case "InvalidCiphertextException":
        return new InvalidCiphertextException(message, keyId, action, e);
      case "IncorrectKeyException":
        return new IncorrectKeyException(message, keyId, action, e);
      case "LimitExceededException":
        return new LimitExceededException(message, keyId, action, e);
      case "AlreadyExistsException":
        return new AlreadyExistsException(message, keyId, action, e);
      case "InvalidArnException":
        return new InvalidArnException(message, keyId, action, e);
      case "MalformedPolicyDocumentException":
        return new MalformedPolicyDocumentException(message, keyId, action, e);
      case "UnsupportedOperationException":
        return new UnsupportedKeyOperationException(message, keyId, action, e);
      default:
        break;
    }
    if (THROTTLING.contains(code) || status == 429) {
      return new ThrottlingException(message, keyId, action, e);
    }
    if (UNAVAILABLE.contains(code) || status >= 500) {
      return new KeyProviderUnavailableException(message, keyId, action, e);
    }
    if (AUTHENTICATION.contains(code)) {
      return new AccessDeniedException(code + ": " + message, keyId, action, e);
    }
    if (VALIDATION.contains(code)) {
      return new KmsValidationException(message, keyId, action, e);
    }
    return new KeyProviderException(code, message, keyId, action, e);
  }

  private static boolean isNetworkFailure(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof IOException || t instanceof UncheckedIOException) {
        return true;
      }
      String name = t.getClass().getSimpleName();
      if (name.equals("ApiCallAttemptTimeoutException") || name.equals("ApiCallTimeoutException")) {
        return true;
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return false;
  }
}
