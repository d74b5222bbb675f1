package dev.coffer.internal.expression;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.coffer.AttributeValue;
import dev.coffer.Item;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A dynalite server for tests: installs dynalite@4.0.0 with npm into {@code target/dynalite} when
 * needed, starts it on an ephemeral loopback port, creates one table (partition key {@code pk}, S)
 * and speaks DynamoDB's JSON protocol to it. Skips the calling tests (JUnit assumption) with a
 * message when node or npm is missing or the install or the start fails. Not thread-safe.
 */
final class DynaliteServer implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Process process;
  private final URI endpoint;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  private DynaliteServer(Process process, URI endpoint) {
    this.process = process;
    this.endpoint = endpoint;
  }

  /** Starts dynalite with an ACTIVE table named {@code table}. */
  static DynaliteServer start(String table) throws Exception {
    assumeTrue(
        onPath("node") && onPath("npm"),
        "node and npm are not installed: dynalite differential test skipped");
    Path dir = Path.of("target", "dynalite").toAbsolutePath();
    Files.createDirectories(dir);
    if (!Files.exists(dir.resolve("node_modules/dynalite/package.json"))) {
      Process install =
          new ProcessBuilder(
                  "npm",
                  "install",
                  "--prefix",
                  dir.toString(),
                  "dynalite@4.0.0",
                  "--no-audit",
                  "--no-fund",
                  "--loglevel=error")
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve("npm-install.log").toFile())
              .start();
      boolean done = install.waitFor(300, TimeUnit.SECONDS);
      if (!done) {
        install.destroyForcibly();
      }
      assumeTrue(
          done && install.exitValue() == 0,
          "npm install dynalite@4.0.0 failed (see target/dynalite/npm-install.log): differential test skipped");
    }
    Path script = dir.resolve("listen.js");
    Files.writeString(
        script,
        "const server = require('dynalite')({createTableMs: 0, deleteTableMs: 0});\n"
            + "server.listen(0, '127.0.0.1', () => console.log(server.address().port));\n");
    Process process =
        new ProcessBuilder("node", script.toString())
            .directory(dir.toFile())
            .redirectError(dir.resolve("dynalite.log").toFile())
            .start();
    BufferedReader out =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    String port =
        CompletableFuture.supplyAsync(
                () -> {
                  try {
                    return out.readLine();
                  } catch (IOException e) {
                    return null;
                  }
                })
            .get(60, TimeUnit.SECONDS);
    if (port == null || !port.matches("\\d+")) {
      process.destroy();
      assumeTrue(false, "dynalite did not start (see target/dynalite/dynalite.log)");
    }
    DynaliteServer server =
        new DynaliteServer(process, URI.create("http://127.0.0.1:" + port + "/"));
    server.call(
        "CreateTable",
        "{\"TableName\": \""
            + table
            + "\", \"AttributeDefinitions\": [{\"AttributeName\":"
            + " \"pk\", \"AttributeType\": \"S\"}], \"KeySchema\": [{\"AttributeName\": \"pk\", \"KeyType\": \"HASH\"}],"
            + " \"BillingMode\": \"PAY_PER_REQUEST\"}");
    for (int i = 0; i < 100; i++) {
      JsonNode d = server.call("DescribeTable", "{\"TableName\": \"" + table + "\"}");
      if ("ACTIVE".equals(d.at("/Table/TableStatus").asText())) {
        return server;
      }
      Thread.sleep(50);
    }
    server.close();
    throw new AssertionError("dynalite's table did not become ACTIVE");
  }

  @Override
  public void close() {
    process.destroy();
  }

  private static boolean onPath(String program) {
    try {
      Process p = new ProcessBuilder(program, "--version").redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Calls a DynamoDB operation; the response body with the HTTP {@code status} added. */
  JsonNode call(String operation, String body) throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(endpoint)
            .timeout(Duration.ofSeconds(30))
            .header("Content-Type", "application/x-amz-json-1.0")
            .header("X-Amz-Target", "DynamoDB_20120810." + operation)
            .header("X-Amz-Date", "20260101T000000Z")
            .header(
                "Authorization",
                "AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/dynamodb/aws4_request,"
                    + " SignedHeaders=host;x-amz-date, Signature=0")
            .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
            .build();
    HttpResponse<String> r =
        http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    ObjectNode node =
        r.body().isEmpty() ? JSON.createObjectNode() : (ObjectNode) JSON.readTree(r.body());
    node.put("status", r.statusCode());
    return node;
  }

  /** An item from DynamoDB JSON (a missing node is the empty item). */
  static Item decodeItem(JsonNode node) {
    Map<String, AttributeValue> m = new LinkedHashMap<>();
    Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> e = fields.next();
      m.put(e.getKey(), decode(e.getValue()));
    }
    return Item.of(m);
  }

  private static AttributeValue decode(JsonNode v) {
    Map.Entry<String, JsonNode> e = v.fields().next();
    JsonNode x = e.getValue();
    switch (e.getKey()) {
      case "S":
        return AttributeValue.s(x.asText());
      case "N":
        return AttributeValue.n(x.asText());
      case "B":
        return AttributeValue.b(Base64.getDecoder().decode(x.asText()));
      case "BOOL":
        return AttributeValue.bool(x.asBoolean());
      case "NULL":
        return AttributeValue.nul();
      case "SS":
        {
          List<String> l = new ArrayList<>();
          x.forEach(s -> l.add(s.asText()));
          return AttributeValue.ss(l);
        }
      case "NS":
        {
          List<String> l = new ArrayList<>();
          x.forEach(s -> l.add(s.asText()));
          return AttributeValue.ns(l);
        }
      case "BS":
        {
          List<byte[]> l = new ArrayList<>();
          x.forEach(s -> l.add(Base64.getDecoder().decode(s.asText())));
          return AttributeValue.bs(l);
        }
      case "L":
        {
          List<AttributeValue> l = new ArrayList<>();
          x.forEach(s -> l.add(decode(s)));
          return AttributeValue.l(l);
        }
      default:
        return AttributeValue.m(decodeItem(x).attributes());
    }
  }
}
