package dev.coffer.kms.endpoint;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/**
 * Sends raw KMS JSON requests to an endpoint, signed with the SDK's {@link AwsV4HttpSigner}, and
 * returns status and parsed body. For wire-shape tests.
 */
final class SignedJson {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> RESTRICTED = Set.of("host", "content-length", "connection");

  private final URI endpoint;
  private final String region;
  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(2))
          .build();

  SignedJson(URI endpoint, String region) {
    this.endpoint = endpoint;
    this.region = region;
  }

  /** A response: HTTP status and JSON body (an empty object for an empty body). */
  record Response(int status, JsonNode body) {}

  /** Sends {@code body} to {@code TrentService.<operation>} signed with the given access key. */
  Response send(String operation, String body, String accessKeyId, String secret) {
    return send(operation, body, accessKeyId, secret, Clock.systemUTC(), Map.of());
  }

  /** Sends with a signing clock and extra headers (added before signing). */
  Response send(
      String operation,
      String body,
      String accessKeyId,
      String secret,
      Clock signingClock,
      Map<String, String> extraHeaders) {
    byte[] payload = body.getBytes(StandardCharsets.UTF_8);
    SdkHttpRequest.Builder req =
        SdkHttpRequest.builder()
            .method(SdkHttpMethod.POST)
            .uri(endpoint.resolve("/"))
            .putHeader("Content-Type", "application/x-amz-json-1.1")
            .putHeader("X-Amz-Target", "TrentService." + operation);
    extraHeaders.forEach(req::putHeader);
    SignedRequest signed =
        AwsV4HttpSigner.create()
            .sign(
                r ->
                    r.identity(AwsCredentialsIdentity.create(accessKeyId, secret))
                        .request(req.build())
                        .payload(() -> new ByteArrayInputStream(payload))
                        .putProperty(AwsV4FamilyHttpSigner.SERVICE_SIGNING_NAME, "kms")
                        .putProperty(AwsV4HttpSigner.REGION_NAME, region)
                        .putProperty(HttpSigner.SIGNING_CLOCK, signingClock));
    return sendRaw(signed.request().headers(), payload);
  }

  /**
   * Sends {@code payload} with exactly these headers (restricted ones are left to the HTTP client).
   */
  Response sendRaw(Map<String, List<String>> headers, byte[] payload) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(endpoint.resolve("/"))
            .timeout(Duration.ofSeconds(10))
            .POST(HttpRequest.BodyPublishers.ofByteArray(payload));
    headers.forEach(
        (name, values) -> {
          if (!RESTRICTED.contains(name.toLowerCase())) {
            values.forEach(v -> b.header(name, v));
          }
        });
    try {
      HttpResponse<byte[]> r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
      JsonNode n = r.body().length == 0 ? JSON.createObjectNode() : JSON.readTree(r.body());
      return new Response(r.statusCode(), n);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
