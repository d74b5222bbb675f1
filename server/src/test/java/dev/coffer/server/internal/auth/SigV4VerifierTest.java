package dev.coffer.server.internal.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.AlphaChars;
import net.jqwik.api.constraints.NumericChars;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/**
 * The verifier against the AWS SDK's own signer: whatever the SDK signs (any body, path, query,
 * extra headers) verifies; any change to the body, a signed header or the signature does not.
 */
class SigV4VerifierTest {
  private static final AccessKeys KEYS = new AccessKeys();

  static {
    KEYS.add("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "alice");
  }

  private final SigV4Verifier verifier = new SigV4Verifier(KEYS, "us-east-1", Clock.systemUTC());

  private static Map<String, List<String>> sign(
      String path, String query, String body, String extraHeader) {
    SdkHttpRequest.Builder r =
        SdkHttpRequest.builder()
            .method(SdkHttpMethod.POST)
            .uri(URI.create("http://127.0.0.1:8000" + path + (query.isEmpty() ? "" : "?" + query)))
            .putHeader("Content-Type", "application/x-amz-json-1.0")
            .putHeader("X-Amz-Target", "DynamoDB_20120810.GetItem")
            .putHeader("X-Extra", extraHeader);
    SignedRequest signed =
        AwsV4HttpSigner.create()
            .sign(
                s ->
                    s.identity(
                            AwsCredentialsIdentity.create(
                                "AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"))
                        .request(r.build())
                        .payload(ContentStreamProvider.fromUtf8String(body))
                        .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "dynamodb")
                        .putProperty(AwsV4HttpSigner.REGION_NAME, "us-east-1"));
    Map<String, List<String>> headers = new TreeMap<>();
    signed
        .request()
        .forEachHeader((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), new ArrayList<>(v)));
    headers.putIfAbsent("host", List.of("127.0.0.1:8000"));
    return headers;
  }

  private String verify(String path, String query, Map<String, List<String>> headers, String body) {
    return verifier
        .verify(
            "dynamodb",
            "POST",
            path,
            query,
            n -> headers.getOrDefault(n, List.of()),
            body.getBytes(StandardCharsets.UTF_8))
        .key()
        .principal();
  }

  @Property(tries = 100)
  void whatTheSdkSignsVerifies(
      @ForAll @StringLength(max = 200) String body,
      @ForAll @AlphaChars @NumericChars @StringLength(min = 1, max = 10) String segment,
      @ForAll @AlphaChars @StringLength(max = 8) String queryValue,
      @ForAll @AlphaChars @StringLength(min = 1, max = 30) String extra) {
    String path = "/" + segment;
    String query = queryValue.isEmpty() ? "" : "a=" + queryValue + "&b=2";
    Map<String, List<String>> headers = sign(path, query, body, extra);
    assertThat(verify(path, query, headers, body)).isEqualTo("alice");
    assertThatThrownBy(() -> verify(path, query, headers, body + "x"))
        .isInstanceOf(SigV4Exception.class)
        .extracting(e -> ((SigV4Exception) e).errorType())
        .isEqualTo("InvalidSignatureException");
    Map<String, List<String>> changed = new TreeMap<>(headers);
    changed.put("x-extra", List.of(extra + "!"));
    assertThatThrownBy(() -> verify(path, query, changed, body)).isInstanceOf(SigV4Exception.class);
    Map<String, List<String>> target = new TreeMap<>(headers);
    target.put("x-amz-target", List.of("DynamoDB_20120810.DeleteItem"));
    assertThatThrownBy(() -> verify(path, query, target, body)).isInstanceOf(SigV4Exception.class);
  }

  @Property(tries = 50)
  void aChangedSignatureNeverVerifies(@ForAll @StringLength(max = 50) String body) {
    Map<String, List<String>> headers = sign("/", "", body, "x");
    String auth = headers.get("authorization").get(0);
    char last = auth.charAt(auth.length() - 1);
    Map<String, List<String>> tampered = new TreeMap<>(headers);
    tampered.put(
        "authorization", List.of(auth.substring(0, auth.length() - 1) + (last == '0' ? '1' : '0')));
    assertThatThrownBy(() -> verify("/", "", tampered, body))
        .isInstanceOf(SigV4Exception.class)
        .hasMessageContaining("signature we calculated does not match");
  }

  @Test
  void signingKeyDerivationMatchesTheAwsDocumentationExample() {
    byte[] key =
        SigV4Verifier.signingKey(
            "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "20120215", "us-east-1", "iam");
    assertThat(HexFormat.of().formatHex(key))
        .isEqualTo("f4780e2d9f65fa895f9c67b32ce1baf0b0d8a43505a000a1a9e090d414db404d");
  }

  @Test
  void canonicalRequestFollowsTheSigV4Rules() {
    Map<String, List<String>> h = new TreeMap<>();
    h.put("host", List.of("example.amazonaws.com"));
    h.put("x-amz-date", List.of("20150830T123600Z"));
    h.put("my-header", List.of("  a   b  "));
    String c =
        SigV4Verifier.canonicalRequest(
            "GET",
            "/a%20b/c",
            "b=2&a=1&a=0",
            n -> h.getOrDefault(n, List.of()),
            List.of("host", "my-header", "x-amz-date"),
            new byte[0]);
    assertThat(c)
        .isEqualTo(
            "GET\n/a%2520b/c\na=0&a=1&b=2\nhost:example.amazonaws.com\nmy-header:a b\n"
                + "x-amz-date:20150830T123600Z\n\nhost;my-header;x-amz-date\n"
                + "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  }

  @Test
  void aMissingAuthorizationIsWordedAsEachServiceWordsIt() {
    Map<String, List<String>> none = Map.of("host", List.of("127.0.0.1"));
    assertThatThrownBy(
            () ->
                verifier.verify(
                    "dynamodb", "POST", "/", "", n -> none.getOrDefault(n, List.of()), new byte[0]))
        .isInstanceOf(SigV4Exception.class)
        .hasMessage("Request is missing Authentication Token");
    assertThatThrownBy(
            () ->
                verifier.verify(
                    "kms", "POST", "/", "", n -> none.getOrDefault(n, List.of()), new byte[0]))
        .isInstanceOf(SigV4Exception.class)
        .hasMessage("Missing Authentication Token");
  }
}
