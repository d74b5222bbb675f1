package dev.coffer.kms.aws;

import dev.coffer.kms.KeyProvider;
import dev.coffer.kms.KeyProviderContext;
import dev.coffer.kms.KmsValidationException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.function.Function;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * The part of {@link AwsKmsKeyProviderFactory} that uses the AWS SDK, in its own class so the
 * factory can be loaded without the SDK.
 */
final class AwsKmsUriOpener {
  private AwsKmsUriOpener() {}

  static KeyProvider open(String arn, KeyProviderContext context) {
    Function<String, String> env = context.environment();
    AwsKmsKeyProvider.Builder b =
        AwsKmsKeyProvider.builder()
            .defaultKeyId(arn)
            .region(KmsArn.parse(arn).region())
            .auditSink(context.auditSink())
            .clock(context.clock())
            .principal(context.principal());
    String endpoint = blankToNull(env.apply(AwsKmsKeyProviderFactory.ENDPOINT_VARIABLE));
    if (endpoint != null) {
      b.endpointOverride(endpointUri(endpoint, arn));
    }
    String accessKey = blankToNull(env.apply("AWS_ACCESS_KEY_ID"));
    String secretKey = blankToNull(env.apply("AWS_SECRET_ACCESS_KEY"));
    if (accessKey != null && secretKey != null) {
      String token = blankToNull(env.apply("AWS_SESSION_TOKEN"));
      b.credentialsProvider(
          StaticCredentialsProvider.create(
              token == null
                  ? AwsBasicCredentials.create(accessKey, secretKey)
                  : AwsSessionCredentials.create(accessKey, secretKey, token)));
    }
    return b.build();
  }

  private static URI endpointUri(String endpoint, String arn) {
    try {
      URI uri = new URI(endpoint);
      String problem = EndpointRules.problem(uri);
      if (problem != null) {
        throw new KmsValidationException(
            AwsKmsKeyProviderFactory.ENDPOINT_VARIABLE + " is refused: " + problem + ".",
            arn,
            null);
      }
      return uri;
    } catch (URISyntaxException e) {
      throw new KmsValidationException(
          AwsKmsKeyProviderFactory.ENDPOINT_VARIABLE
              + " is not an http(s) URL: '"
              + endpoint
              + "' ("
              + e.getMessage()
              + ")",
          arn,
          null,
          e);
    }
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }
}
