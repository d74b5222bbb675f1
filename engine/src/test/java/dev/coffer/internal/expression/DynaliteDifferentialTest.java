package dev.coffer.internal.expression;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.coffer.AttributeType;
import dev.coffer.AttributeValue;
import dev.coffer.Item;
import dev.coffer.internal.expression.ConditionModel.And;
import dev.coffer.internal.expression.ConditionModel.C;
import dev.coffer.internal.expression.ConditionModel.Cmp;
import dev.coffer.internal.expression.ConditionModel.InList;
import dev.coffer.internal.expression.ConditionModel.Not;
import dev.coffer.internal.expression.ConditionModel.O;
import dev.coffer.internal.expression.ConditionModel.Or;
import dev.coffer.internal.expression.ConditionModel.P;
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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Coffer's expressions against dynalite, an independent DynamoDB implementation (npm, installed
 * into {@code target/dynalite} by this test; skipped with a message when node or npm is missing or
 * the install fails). Conditions: a random item is put, then put again under a random
 * ConditionExpression; dynalite's success or ConditionalCheckFailedException must equal Coffer's
 * evaluation. Projections: a random GetItem ProjectionExpression must give the item Coffer's
 * projection gives. The generator keeps to what dynalite does as DynamoDB (see {@link
 * RandomModels#RandomModels(long, boolean)}); where dynalite is known to differ on the data (two
 * missing operands compared, lists or maps compared by reference) the case is counted as a known
 * difference, not a mismatch. Other known dynalite differences, kept out of the generator: {@code
 * NOT NOT a} is a syntax error there; "" and BOOL false count as absent in IN, BETWEEN, size and
 * attribute_type; size of a string counts UTF-16 units; contains on a list sees only S, N and B
 * elements; begins_with on two missing operands crashes it.
 */
class DynaliteDifferentialTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String TABLE = "expressions";
  private static Process dynalite;
  private static URI endpoint;
  private static HttpClient http;

  @BeforeAll
  static void startDynalite() throws Exception {
    assumeTrue(onPath("node") && onPath("npm"), "node and npm are not installed: dynalite differential test skipped");
    Path dir = Path.of("target", "dynalite").toAbsolutePath();
    Files.createDirectories(dir);
    if (!Files.exists(dir.resolve("node_modules/dynalite/package.json"))) {
      Process install = new ProcessBuilder("npm", "install", "--prefix", dir.toString(), "dynalite@4.0.0", "--no-audit",
          "--no-fund", "--loglevel=error").redirectErrorStream(true)
          .redirectOutput(dir.resolve("npm-install.log").toFile()).start();
      boolean done = install.waitFor(300, TimeUnit.SECONDS);
      if (!done) {
        install.destroyForcibly();
      }
      assumeTrue(done && install.exitValue() == 0,
          "npm install dynalite@4.0.0 failed (see target/dynalite/npm-install.log): differential test skipped");
    }
    Path script = dir.resolve("listen.js");
    Files.writeString(script, "const server = require('dynalite')({createTableMs: 0, deleteTableMs: 0});\n"
        + "server.listen(0, '127.0.0.1', () => console.log(server.address().port));\n");
    dynalite = new ProcessBuilder("node", script.toString()).directory(dir.toFile())
        .redirectError(dir.resolve("dynalite.log").toFile()).start();
    BufferedReader out = new BufferedReader(new InputStreamReader(dynalite.getInputStream(), StandardCharsets.UTF_8));
    String port = CompletableFuture.supplyAsync(() -> {
      try {
        return out.readLine();
      } catch (IOException e) {
        return null;
      }
    }).get(60, TimeUnit.SECONDS);
    assumeTrue(port != null && port.matches("\\d+"), "dynalite did not start (see target/dynalite/dynalite.log)");
    endpoint = URI.create("http://127.0.0.1:" + port + "/");
    http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    call("CreateTable", "{\"TableName\": \"" + TABLE + "\", \"AttributeDefinitions\": [{\"AttributeName\": \"pk\","
        + " \"AttributeType\": \"S\"}], \"KeySchema\": [{\"AttributeName\": \"pk\", \"KeyType\": \"HASH\"}],"
        + " \"BillingMode\": \"PAY_PER_REQUEST\"}");
    for (int i = 0; i < 100; i++) {
      JsonNode d = call("DescribeTable", "{\"TableName\": \"" + TABLE + "\"}");
      if ("ACTIVE".equals(d.at("/Table/TableStatus").asText())) {
        return;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("dynalite's table did not become ACTIVE");
  }

  @AfterAll
  static void stopDynalite() {
    if (dynalite != null) {
      dynalite.destroy();
    }
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

  /** Calls a DynamoDB operation; the response body with {@code status} added. */
  private static JsonNode call(String operation, String body) throws Exception {
    HttpRequest request = HttpRequest.newBuilder(endpoint).timeout(Duration.ofSeconds(30))
        .header("Content-Type", "application/x-amz-json-1.0")
        .header("X-Amz-Target", "DynamoDB_20120810." + operation)
        .header("X-Amz-Date", "20260101T000000Z")
        .header("Authorization", "AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/dynamodb/aws4_request,"
            + " SignedHeaders=host;x-amz-date, Signature=0")
        .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build();
    HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    ObjectNode node = r.body().isEmpty() ? JSON.createObjectNode() : (ObjectNode) JSON.readTree(r.body());
    node.put("status", r.statusCode());
    return node;
  }

  private static String attributes(Map<String, ?> map) throws IOException {
    return JSON.writeValueAsString(map);
  }

  @Test
  void conditionsEvaluateAsInDynalite() throws Exception {
    int compared = 0;
    int known = 0;
    List<String> mismatches = new ArrayList<>();
    for (long seed = 1; seed <= 300; seed++) {
      RandomModels gen = new RandomModels(seed, true);
      Item item = gen.item().toBuilder().string("pk", "c" + seed).build();
      JsonNode put = call("PutItem", "{\"TableName\": \"" + TABLE + "\", \"Item\": " + item + "}");
      assertThat(put.get("status").asInt()).as("put %s: %s", item, put).isEqualTo(200);
      for (int k = 0; k < 3; k++) {
        C model = gen.condition(item, 2);
        ModelPrinter printer = new ModelPrinter(gen.random());
        String text = printer.print(model);
        Placeholders p = Placeholders.of(printer.names.isEmpty() ? null : printer.names,
            printer.values.isEmpty() ? null : printer.values);
        boolean coffer = ConditionEvaluator.matches(ExpressionParser.condition(text, ExpressionKind.CONDITION, p), item);
        StringBuilder body = new StringBuilder("{\"TableName\": \"" + TABLE + "\", \"Item\": " + item
            + ", \"ConditionExpression\": " + JSON.writeValueAsString(text));
        if (!printer.names.isEmpty()) {
          body.append(", \"ExpressionAttributeNames\": ").append(attributes(printer.names));
        }
        if (!printer.values.isEmpty()) {
          body.append(", \"ExpressionAttributeValues\": ").append(Item.of(printer.values));
        }
        JsonNode r = call("PutItem", body.append('}').toString());
        int status = r.get("status").asInt();
        String type = r.path("__type").asText();
        compared++;
        if (status != 200 && !type.endsWith("ConditionalCheckFailedException")) {
          mismatches.add(text + " on " + item + ": dynalite answered " + r);
          continue;
        }
        boolean dyn = status == 200;
        if (dyn != coffer) {
          if (dynaliteQuirk(model, item)) {
            known++;
          } else {
            mismatches.add(text + " " + printer.names + " " + printer.values + " on " + item + ": dynalite " + dyn
                + ", Coffer " + coffer);
          }
        }
      }
    }
    System.out.printf("dynalite differential: %d conditions compared, %d known dynalite differences, %d"
        + " mismatches%n", compared, known, mismatches.size());
    assertThat(mismatches).isEmpty();
  }

  @Test
  void projectionsShapeItemsAsInDynalite() throws Exception {
    int compared = 0;
    List<String> mismatches = new ArrayList<>();
    for (long seed = 1; seed <= 200; seed++) {
      RandomModels gen = new RandomModels(seed * 7919, true);
      Item item = gen.item().toBuilder().string("pk", "p" + seed).build();
      assertThat(call("PutItem", "{\"TableName\": \"" + TABLE + "\", \"Item\": " + item + "}").get("status").asInt())
          .isEqualTo(200);
      List<DocPath> paths = new ArrayList<>();
      for (int i = 1 + gen.random().nextInt(4); i > 0; i--) {
        DocPath candidate = docPath(gen.path(item));
        boolean clash = false;
        for (DocPath p : paths) {
          clash |= p.relationTo(candidate) != DocPath.Relation.NONE;
        }
        if (!clash) {
          paths.add(candidate);
        }
      }
      Printer.Printed printed = Printer.projection(paths, name -> gen.random().nextBoolean());
      StringBuilder body = new StringBuilder("{\"TableName\": \"" + TABLE + "\", \"Key\": {\"pk\": {\"S\": \"p" + seed
          + "\"}}, \"ProjectionExpression\": " + JSON.writeValueAsString(printed.expression()));
      if (!printed.names().isEmpty()) {
        body.append(", \"ExpressionAttributeNames\": ").append(attributes(printed.names()));
      }
      JsonNode r = call("GetItem", body.append('}').toString());
      compared++;
      if (r.get("status").asInt() != 200) {
        mismatches.add(printed + ": dynalite answered " + r);
        continue;
      }
      Item dyn = decodeItem(r.path("Item"));
      Item coffer = Projector.project(item, paths);
      if (!dyn.equals(coffer)) {
        mismatches.add(printed.expression() + " on " + item + ": dynalite " + dyn + ", Coffer " + coffer);
      }
    }
    System.out.printf("dynalite differential: %d projections compared, %d mismatches%n", compared, mismatches.size());
    assertThat(mismatches).isEmpty();
  }

  private static DocPath docPath(P p) {
    DocPath path = DocPath.of((String) p.elements().get(0));
    for (int i = 1; i < p.elements().size(); i++) {
      Object e = p.elements().get(i);
      path = e instanceof Integer ? path.child((Integer) e) : path.child((String) e);
    }
    return path;
  }

  /**
   * Whether {@code c} meets a place where dynalite is known to differ from DynamoDB on this item:
   * a comparison between two operands that are both missing (dynalite: equal, so {@code =}, {@code
   * <=} and {@code >=} hold and {@code <>} does not), or {@code =}, {@code <>} or IN between two
   * lists or maps (dynalite compares them by reference: never equal).
   */
  private static boolean dynaliteQuirk(C c, Item item) {
    if (c instanceof And a) {
      return dynaliteQuirk(a.l(), item) || dynaliteQuirk(a.r(), item);
    }
    if (c instanceof Or o) {
      return dynaliteQuirk(o.l(), item) || dynaliteQuirk(o.r(), item);
    }
    if (c instanceof Not n) {
      return dynaliteQuirk(n.c(), item);
    }
    if (c instanceof Cmp cmp) {
      boolean equality = cmp.op().equals("=") || cmp.op().equals("<>");
      return equality ? quirkyPair(cmp.l(), cmp.r(), item)
          : ReferenceEvaluator.value(cmp.l(), item) == null && ReferenceEvaluator.value(cmp.r(), item) == null;
    }
    if (c instanceof InList in) {
      for (O o : in.candidates()) {
        if (quirkyPair(in.x(), o, item)) {
          return true;
        }
      }
    }
    return false;
  }

  private static boolean quirkyPair(O a, O b, Item item) {
    AttributeValue x = ReferenceEvaluator.value(a, item);
    AttributeValue y = ReferenceEvaluator.value(b, item);
    if (x == null && y == null) {
      return true;
    }
    return x != null && y != null && x.type() == y.type()
        && (x.type() == AttributeType.L || x.type() == AttributeType.M);
  }

  private static Item decodeItem(JsonNode node) {
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
