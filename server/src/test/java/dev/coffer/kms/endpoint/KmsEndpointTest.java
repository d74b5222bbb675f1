package dev.coffer.kms.endpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coffer.kms.KeyDescription;
import dev.coffer.kms.KeyManagement.CreateKeyRequest;
import dev.coffer.kms.memory.InMemoryKeyProvider;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.DataKeySpec;
import software.amazon.awssdk.services.kms.model.KmsException;

/**
 * The endpoint's life cycle, builder checks, concurrent use, and the robustness issue 12 asked for:
 * stalled and trickling clients (a slow-loris attack) while another client keeps working, oversized
 * bodies, a graceful stop. No timing assertions: only that work completes and what the stalled
 * connections get.
 */
class KmsEndpointTest {
  private static final Map<String, String> CTX = Map.of("store", "s", "purpose", "page");

  @Test
  void itListensOnLoopbackOnAFreePort() {
    try (KmsEndpoint kms = KmsEndpoint.builder().keys(InMemoryKeyProvider.create()).start()) {
      assertThat(kms.endpointUri().getHost()).isEqualTo("127.0.0.1");
      assertThat(kms.port()).isPositive();
      assertThat(kms.endpointUri().toString()).isEqualTo("http://127.0.0.1:" + kms.port());
      assertThat(kms.region()).isEqualTo("us-east-1");
    }
  }

  @Test
  void theBuilderChecksItsSettings() {
    assertThatThrownBy(() -> KmsEndpoint.builder().start())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("keys");
    assertThatThrownBy(() -> KmsEndpoint.builder().port(70000))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> KmsEndpoint.builder().credentials("", "s", "bob"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () -> KmsEndpoint.builder().credentials("A", "s", "bob").credentials("A", "t", "eve"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("already");
    assertThatThrownBy(() -> KmsEndpoint.builder().account("12"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> KmsEndpoint.builder().threads(0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> KmsEndpoint.builder().queueCapacity(0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> KmsEndpoint.builder().requestReadTimeout(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> KmsEndpoint.builder().headerReadTimeout(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class);
    try (InMemoryKeyProvider keys = InMemoryKeyProvider.create()) {
      assertThatThrownBy(
              () ->
                  KmsEndpoint.builder()
                      .keys(keys)
                      .credentials("A", "s", "arn:aws:nonsense")
                      .start())
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void credentialsAddedWhileRunningAreUsedAndReplaced() {
    try (LocalKms kms = LocalKms.start()) {
      KmsClient carol = kms.client("AKIACAROL", "first");
      assertThatThrownBy(carol::listKeys)
          .isInstanceOfSatisfying(
              KmsException.class,
              e ->
                  assertThat(e.awsErrorDetails().errorCode())
                      .isEqualTo("UnrecognizedClientException"));
      kms.endpoint().addCredentials("AKIACAROL", "first", "root");
      assertThat(carol.listKeys().keys()).isEmpty();
      kms.endpoint().addCredentials("AKIACAROL", "second", "root");
      assertThatThrownBy(carol::listKeys)
          .isInstanceOfSatisfying(
              KmsException.class,
              e ->
                  assertThat(e.awsErrorDetails().errorCode())
                      .isEqualTo("InvalidSignatureException"));
    }
  }

  @Test
  void manyCallersAtOnce() throws Exception {
    try (LocalKms kms = LocalKms.start(b -> b.threads(2).queueCapacity(64))) {
      KeyDescription key = kms.keys().createKey(CreateKeyRequest.withDescription("k"));
      KmsClient client = kms.client(LocalKms.OWNER);
      ExecutorService pool = Executors.newFixedThreadPool(8);
      try {
        List<Future<Boolean>> results = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
          results.add(
              pool.submit(
                  () -> {
                    var dk =
                        client.generateDataKey(
                            b ->
                                b.keyId(key.arn())
                                    .keySpec(DataKeySpec.AES_256)
                                    .encryptionContext(CTX));
                    var back =
                        client.decrypt(
                            b -> b.ciphertextBlob(dk.ciphertextBlob()).encryptionContext(CTX));
                    return back.plaintext().equals(dk.plaintext());
                  }));
        }
        for (Future<Boolean> f : results) {
          assertThat(f.get(60, TimeUnit.SECONDS)).isTrue();
        }
      } finally {
        pool.shutdownNow();
      }
    }
  }

  /** Headers and (when {@code halfBody}) half of a 1000-byte body, then nothing. */
  private static Socket stall(int port, boolean halfBody) throws Exception {
    Socket s = new Socket(InetAddress.getLoopbackAddress(), port);
    s.setSoTimeout(30_000);
    OutputStream out = s.getOutputStream();
    out.write(
        ("POST / HTTP/1.1\r\nHost: 127.0.0.1:"
                + port
                + "\r\nContent-Type: application/x-amz-json-1.1\r\n"
                + "X-Amz-Target: TrentService.Encrypt\r\nContent-Length: 1000\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII));
    if (halfBody) {
      out.write(
          ("{\"KeyId\": \"alias/x\", \"Plaintext\": \"" + "A".repeat(460))
              .getBytes(StandardCharsets.US_ASCII));
    }
    out.flush();
    return s;
  }

  @Test
  void stalledClientsDoNotStopTheOthersAndAreAnswered408() throws Exception {
    // The JDK server this endpoint ran on before stopped answering everyone after four such
    // connections.
    try (LocalKms kms =
        LocalKms.start(
            b ->
                b.threads(2)
                    .queueCapacity(8)
                    .requestReadTimeout(Duration.ofSeconds(2))
                    .idleTimeout(Duration.ofSeconds(4)))) {
      KeyDescription key = kms.keys().createKey(CreateKeyRequest.withDescription("k"));
      KmsClient client = kms.client(LocalKms.OWNER);
      List<Socket> stalled = new ArrayList<>();
      try {
        for (int i = 0; i < 24; i++) {
          stalled.add(stall(kms.endpoint().port(), i % 3 != 0));
        }
        for (int i = 0; i < 50; i++) {
          SdkBytes plaintext = SdkBytes.fromUtf8String("message " + i);
          var enc =
              client.encrypt(b -> b.keyId(key.arn()).plaintext(plaintext).encryptionContext(CTX));
          assertThat(
                  client
                      .decrypt(b -> b.ciphertextBlob(enc.ciphertextBlob()).encryptionContext(CTX))
                      .plaintext())
              .isEqualTo(plaintext);
        }
        for (Socket s : stalled) {
          InputStream in = s.getInputStream();
          String response = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
          assertThat(response)
              .startsWith("HTTP/1.1 408")
              .contains("RequestTimeoutException")
              .containsIgnoringCase("Connection: close");
        }
      } finally {
        for (Socket s : stalled) {
          s.close();
        }
      }
    }
  }

  @Test
  void clientsTricklingHeadersAreClosedAtTheHeaderDeadline() throws Exception {
    try (LocalKms kms =
        LocalKms.start(
            b ->
                b.threads(2)
                    .headerReadTimeout(Duration.ofSeconds(1))
                    .idleTimeout(Duration.ofSeconds(60)))) {
      KmsClient client = kms.client(LocalKms.OWNER);
      List<Socket> tricklers = new ArrayList<>();
      try {
        for (int i = 0; i < 8; i++) {
          Socket s = new Socket(InetAddress.getLoopbackAddress(), kms.endpoint().port());
          s.setSoTimeout(30_000);
          tricklers.add(s);
        }
        String headers =
            "POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Amz-Target: TrentService.ListKeys\r\n";
        int closed = 0;
        // One byte per connection every 100 ms: each byte restarts Jetty's idle timeout, never the
        // header deadline.
        for (int i = 0; i < headers.length() && closed < tricklers.size(); i++) {
          closed = 0;
          for (Socket s : tricklers) {
            try {
              s.getOutputStream().write(headers.charAt(i));
              s.getOutputStream().flush();
            } catch (IOException e) {
              closed++;
            }
          }
          assertThat(client.listKeys().keys()).isEmpty(); // the others are served meanwhile
          Thread.sleep(100);
        }
        for (Socket s : tricklers) {
          int read;
          try {
            read = s.getInputStream().read();
          } catch (IOException reset) {
            read = -1; // closed by the server, and reset by our writes after that
          }
          assertThat(read).as("the server closed the connection").isEqualTo(-1);
        }
      } finally {
        for (Socket s : tricklers) {
          s.close();
        }
      }
    }
  }

  @Test
  void oversizedAndNonPostRequestsAreRefusedInKmsWords() throws Exception {
    try (LocalKms kms = LocalKms.start()) {
      SignedJson wire = new SignedJson(kms.endpoint().endpointUri(), "us-east-1");
      String big = "{\"KeyId\": \"alias/x\", \"Plaintext\": \"" + "A".repeat(1 << 20) + "\"}";
      SignedJson.Response tooLarge =
          wire.send(
              "Encrypt",
              big,
              LocalKms.accessKeyId(LocalKms.OWNER),
              LocalKms.secret(LocalKms.OWNER));
      assertThat(tooLarge.status()).isEqualTo(413);
      assertThat(tooLarge.body().get("__type").asText()).isEqualTo("ValidationException");
      assertThat(tooLarge.body().get("message").asText())
          .isEqualTo("The request is larger than 1048576 bytes.");

      HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      HttpResponse<String> get =
          http.send(
              HttpRequest.newBuilder(URI.create(kms.endpoint().endpointUri() + "/")).GET().build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(get.statusCode()).isEqualTo(400);
      assertThat(get.body())
          .contains("UnknownOperationException")
          .contains("Only POST requests are supported.");
      assertThat(get.headers().firstValue("x-amzn-RequestId").orElseThrow())
          .matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
      // the endpoint still serves
      assertThat(kms.client(LocalKms.OWNER).listKeys().keys()).isEmpty();
    }
  }

  @Test
  void closeIsGracefulAndThenClientsAreRefused() throws Exception {
    LocalKms kms = LocalKms.start();
    KeyDescription key = kms.keys().createKey(CreateKeyRequest.withDescription("k"));
    KmsClient client = kms.client(LocalKms.OWNER);
    var enc = client.encrypt(b -> b.keyId(key.arn()).plaintext(SdkBytes.fromUtf8String("x")));
    assertThat(Base64.getEncoder().encodeToString(enc.ciphertextBlob().asByteArray())).isNotEmpty();
    kms.endpoint().close();
    kms.endpoint().close(); // idempotent
    assertThatThrownBy(client::listKeys).hasMessageContaining("Unable to execute HTTP request");
    kms.close();
  }
}
