package dev.coffer.kms.aws;

import dev.coffer.kms.KeyProvider;
import dev.coffer.kms.KeyProviderContext;
import dev.coffer.kms.KeyProviderException;
import dev.coffer.kms.KeyProviderFactory;

/**
 * Opens {@link AwsKmsKeyProvider}s for URIs {@code aws-kms:<key ARN or alias ARN>} (a leading
 * {@code //} is accepted too, as Tink writes them). Registered for {@link java.util.ServiceLoader}.
 *
 * <ul>
 *   <li>The region is the ARN's; the ARN is the provider's {@linkplain KeyProvider#defaultKeyId()
 *       default key}.
 *   <li>{@code COFFER_KMS_ENDPOINT} (read through {@link KeyProviderContext#environment()}), when
 *       set, overrides the endpoint, e.g. {@code http://127.0.0.1:4599} for a local endpoint.
 *   <li>Credentials: {@code AWS_ACCESS_KEY_ID} and {@code AWS_SECRET_ACCESS_KEY} (and {@code
 *       AWS_SESSION_TOKEN}) from the context's environment when both are set, else the SDK's
 *       default chain (system properties, environment, profile, container and instance roles).
 *   <li>The context's principal, clock and audit sink go to the provider.
 * </ul>
 *
 * <p>This class does not touch the AWS SDK before {@link #create} is called, so listing providers
 * works without the SDK; naming {@code aws-kms:} without it on the class path fails with a message
 * that says which artifact is missing.
 */
public final class AwsKmsKeyProviderFactory implements KeyProviderFactory {
  /** The environment variable that overrides the KMS endpoint. */
  public static final String ENDPOINT_VARIABLE = "COFFER_KMS_ENDPOINT";

  private static final String SDK_CLASS = "software.amazon.awssdk.services.kms.KmsClient";

  /** Needed by {@link java.util.ServiceLoader}. */
  public AwsKmsKeyProviderFactory() {}

  @Override
  public String scheme() {
    return "aws-kms";
  }

  @Override
  public String uriForm() {
    return "aws-kms:<key ARN or alias ARN>";
  }

  @Override
  public KeyProvider create(String location, KeyProviderContext context) {
    String arn = location.startsWith("//") ? location.substring(2) : location;
    KmsArn.parse(arn);
    try {
      Class.forName(SDK_CLASS, false, AwsKmsKeyProviderFactory.class.getClassLoader());
    } catch (ClassNotFoundException | LinkageError e) {
      throw new KeyProviderException(
          "SdkNotFound",
          "aws-kms: needs the AWS SDK for Java v2 KMS client (software.amazon.awssdk:kms and"
              + " software.amazon.awssdk:url-connection-client) on the class path; it is missing: "
              + e,
          arn,
          null,
          null);
    }
    return AwsKmsUriOpener.open(arn, context);
  }
}
