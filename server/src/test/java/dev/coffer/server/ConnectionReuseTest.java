package dev.coffer.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A request the front answers without running it (an unknown operation) still has its body read, so
 * the keep-alive connection stays usable for the next request even when the body arrives after the
 * headers (as the JDK's HTTP client sends it, in a second write). Before, the answer went out with
 * the body unread and Jetty then closed the connection without saying so in the response; a client
 * that reused it for its next request got a closed connection (the likely cause of a once-seen
 * failure of {@code WireShapesTest#everyErrorTypeHasTheReferenceShape}, whose next call follows its
 * unknown operation).
 */
class ConnectionReuseTest {
  @TempDir Path dir;

  @Test
  void anUnknownOperationsLateBodyIsReadAndTheConnectionServesTheNextRequest() throws Exception {
    try (ServeFixture serve = ServeFixture.start(dir);
        Socket s = new Socket(InetAddress.getLoopbackAddress(), serve.server.port())) {
      s.setSoTimeout(30_000);
      OutputStream out = s.getOutputStream();
      InputStream in = s.getInputStream();
      for (int i = 0; i < 3; i++) {
        String body = "{\"n\": " + i + "}";
        out.write(
            ("POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-amz-json-1.0\r\n"
                    + "X-Amz-Target: DynamoDB_20120810.NoSuchOperation\r\nContent-Length: "
                    + body.length()
                    + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        Thread.sleep(100); // the answer must wait for the body, not go out without it
        out.write(body.getBytes(StandardCharsets.US_ASCII));
        out.flush();
        String head = readResponse(in);
        assertThat(head).startsWith("HTTP/1.1 400");
        assertThat(head.toLowerCase(Locale.ROOT)).doesNotContain("connection: close");
      }
    }
  }

  /** Reads one response (headers, then Content-Length bytes); returns its head and body. */
  private static String readResponse(InputStream in) throws Exception {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    while (matched < 4) {
      int b = in.read();
      assertThat(b).as("the server closed the connection").isNotNegative();
      head.write(b);
      matched = (b == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (b == '\r' ? 1 : 0);
    }
    String h = head.toString(StandardCharsets.US_ASCII);
    int length = 0;
    for (String line : h.split("\r\n")) {
      if (line.regionMatches(true, 0, "Content-Length:", 0, 15)) {
        length = Integer.parseInt(line.substring(15).trim());
      }
    }
    byte[] body = in.readNBytes(length);
    assertThat(body).hasSize(length);
    return h + new String(body, StandardCharsets.UTF_8);
  }
}
