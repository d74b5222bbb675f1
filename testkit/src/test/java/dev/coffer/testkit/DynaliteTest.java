package dev.coffer.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

class DynaliteTest {
  @Test
  void startsAnswersAndStops() throws Exception {
    URI endpoint;
    try (Dynalite d = Dynalite.start()) {
      endpoint = d.endpoint();
      assertThat(endpoint.getHost()).isEqualTo("127.0.0.1");
      HttpClient http = HttpClient.newHttpClient();
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(endpoint.resolve("/"))
                  .POST(HttpRequest.BodyPublishers.ofString("{}"))
                  .header("Content-Type", "application/x-amz-json-1.0")
                  .header("X-Amz-Target", "DynamoDB_20120810.ListTables")
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      // dynalite checks only that a signature is present: an unsigned request is refused as
      // DynamoDB refuses it
      assertThat(r.statusCode()).isEqualTo(400);
      assertThat(r.body()).contains("MissingAuthenticationTokenException");
    }
    HttpClient http = HttpClient.newHttpClient();
    try {
      http.send(
          HttpRequest.newBuilder(endpoint.resolve("/")).GET().build(),
          HttpResponse.BodyHandlers.ofString());
      throw new AssertionError("dynalite still answers after close()");
    } catch (java.io.IOException expected) {
      // connection refused: stopped
    }
  }
}
