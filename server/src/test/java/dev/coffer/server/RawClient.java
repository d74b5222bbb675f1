package dev.coffer.server;

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
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/**
 * Raw HTTP requests to an endpoint, signed with the AWS SDK's own SigV4 signer (so the tests do not
 * trust the server's verifier to check itself), for wire-shape, SigV4 and robustness tests.
 */
final class RawClient {
  private static final Set<String> RESTRICTED =
      Set.of("host", "content-length", "connection", "expect", "upgrade");
  private static final HttpClient HTTP =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(10))
          .build();

  /** One request to sign. */
  record Call(
      String target,
      String contentType,
      byte[] body,
      String service,
      String region,
      String accessKeyId,
      String secret,
      Clock clock,
      boolean signTarget) {
    static Call dynamo(String operation, String json) {
      return new Call(
          "DynamoDB_20120810." + operation,
          "application/x-amz-json-1.0",
          json.getBytes(StandardCharsets.UTF_8),
          "dynamodb",
          "us-east-1",
          ServeFixture.accessKeyId("root"),
          ServeFixture.secret("root"),
          Clock.systemUTC(),
          true);
    }

    static Call kms(String operation, String json) {
      return new Call(
          "TrentService." + operation,
          "application/x-amz-json-1.1",
          json.getBytes(StandardCharsets.UTF_8),
          "kms",
          "us-east-1",
          ServeFixture.accessKeyId("root"),
          ServeFixture.secret("root"),
          Clock.systemUTC(),
          true);
    }

    Call as(String principal) {
      return new Call(
          target,
          contentType,
          body,
          service,
          region,
          ServeFixture.accessKeyId(principal),
          ServeFixture.secret(principal),
          clock,
          signTarget);
    }

    Call withSecret(String s) {
      return new Call(
          target, contentType, body, service, region, accessKeyId, s, clock, signTarget);
    }

    Call withAccessKey(String id) {
      return new Call(target, contentType, body, service, region, id, secret, clock, signTarget);
    }

    Call withService(String s) {
      return new Call(target, contentType, body, s, region, accessKeyId, secret, clock, signTarget);
    }

    Call withRegion(String r) {
      return new Call(
          target, contentType, body, service, r, accessKeyId, secret, clock, signTarget);
    }

    Call withClock(Clock c) {
      return new Call(
          target, contentType, body, service, region, accessKeyId, secret, c, signTarget);
    }

    Call withBody(byte[] b) {
      return new Call(
          target, contentType, b, service, region, accessKeyId, secret, clock, signTarget);
    }

    Call withContentType(String c) {
      return new Call(target, c, body, service, region, accessKeyId, secret, clock, signTarget);
    }

    Call targetUnsigned() {
      return new Call(
          target, contentType, body, service, region, accessKeyId, secret, clock, false);
    }
  }

  /** A response: status, headers (lower-case names), body. */
  record Reply(int status, Map<String, List<String>> headers, byte[] body) {
    String text() {
      return new String(body, StandardCharsets.UTF_8);
    }

    String header(String name) {
      List<String> v = headers.get(name.toLowerCase(java.util.Locale.ROOT));
      return v == null || v.isEmpty() ? null : v.get(0);
    }
  }

  private RawClient() {}

  /** Signs and sends {@code call} to {@code endpoint}. */
  static Reply send(URI endpoint, Call call) {
    SdkHttpRequest.Builder unsigned =
        SdkHttpRequest.builder()
            .method(SdkHttpMethod.POST)
            .uri(endpoint)
            .putHeader("Content-Type", call.contentType());
    if (call.signTarget()) {
      unsigned.putHeader("X-Amz-Target", call.target());
    }
    SignedRequest signed =
        AwsV4HttpSigner.create()
            .sign(
                r ->
                    r.identity(AwsCredentialsIdentity.create(call.accessKeyId(), call.secret()))
                        .request(unsigned.build())
                        .payload(ContentStreamProvider.fromByteArray(call.body()))
                        .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, call.service())
                        .putProperty(AwsV4HttpSigner.REGION_NAME, call.region())
                        .putProperty(AwsV4FamilyHttpSigner.DOUBLE_URL_ENCODE, true)
                        .putProperty(HttpSigner.SIGNING_CLOCK, call.clock()));
    HttpRequest.Builder b =
        HttpRequest.newBuilder(endpoint)
            .timeout(Duration.ofSeconds(60))
            .POST(HttpRequest.BodyPublishers.ofByteArray(call.body()));
    signed
        .request()
        .forEachHeader(
            (name, values) -> {
              if (!RESTRICTED.contains(name.toLowerCase(java.util.Locale.ROOT))) {
                values.forEach(v -> b.header(name, v));
              }
            });
    if (!call.signTarget()) {
      b.header("X-Amz-Target", call.target());
    }
    return send(b.build());
  }

  /** Sends an unsigned request with {@code headers}. */
  static Reply unsigned(URI endpoint, String method, Map<String, String> headers, byte[] body) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(endpoint)
            .timeout(Duration.ofSeconds(60))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(body));
    headers.forEach(b::header);
    return send(b.build());
  }

  private static Reply send(HttpRequest request) {
    try {
      HttpResponse<byte[]> r = HTTP.send(request, HttpResponse.BodyHandlers.ofByteArray());
      return new Reply(r.statusCode(), r.headers().map(), r.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
