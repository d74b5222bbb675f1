package dev.coffer.cli.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.coffer.cli.CliRun;
import dev.coffer.cli.output.AwsJson;
import dev.coffer.cli.output.JmesPathQuery;
import dev.coffer.cli.output.OutputFormat;
import dev.coffer.cli.output.ResponsePrinter;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dynamodb responses printed by Coffer's formatter and by the AWS CLI's own (its Python module,
 * through the kms parity test's script) must be the same bytes in json, text and table output. Runs
 * when {@code python3} can import {@code awscli}; skipped with a message otherwise.
 */
class DynamoDbAwsCliParityTest {
  private final CliRun cli = new CliRun();

  /** One response to format. */
  private record Case(String operation, JsonNode response, String query) {}

  @Test
  void everyResponseShapeFormatsAsTheAwsCliFormatsIt(@TempDir Path dir) throws Exception {
    assumeTrue(awsCliPython(), "python3 cannot import awscli: AWS CLI parity not checked");
    cli.env.put("COFFER_STORE", dir.resolve("store").toString());
    cli.env.put("COFFER_MASTER_KEY", cli.createKey("store key"));
    List<Case> cases = responses();
    List<String> formats = List.of("json", "text", "table");
    ArrayNode request = AwsJson.mapper().createArrayNode();
    List<String> ours = new ArrayList<>();
    for (Case c : cases) {
      for (String format : formats) {
        ObjectNode r =
            request
                .addObject()
                .put("format", format)
                .put("op", c.operation())
                .put("query", c.query());
        r.set("response", c.response());
        ours.add(format(format, c));
      }
    }
    JsonNode theirs = runPython(dir, AwsJson.mapper().writeValueAsString(request));
    assertThat(theirs).hasSize(ours.size());
    for (int i = 0; i < ours.size(); i++) {
      Case c = cases.get(i / formats.size());
      assertThat(ours.get(i))
          .as(
              "%s --output %s%s",
              c.operation(),
              formats.get(i % formats.size()),
              c.query() == null ? "" : " --query " + c.query())
          .isEqualTo(theirs.get(i).asText());
    }
  }

  private List<Case> responses() {
    List<Case> out = new ArrayList<>();
    out.add(
        new Case(
            "CreateTable",
            json(
                "create-table",
                "--table-name",
                "Music",
                "--attribute-definitions",
                "AttributeName=Artist,AttributeType=S",
                "AttributeName=Song,AttributeType=S",
                "--key-schema",
                "AttributeName=Artist,KeyType=HASH",
                "AttributeName=Song,KeyType=RANGE"),
            null));
    out.add(new Case("ListTables", json("list-tables"), null));
    for (int i = 0; i < 3; i++) {
      cli.run(
              "dynamodb",
              "put-item",
              "--table-name",
              "Music",
              "--item",
              "{\"Artist\": {\"S\": \"A\"}, \"Song\": {\"S\": \"s"
                  + i
                  + "\"}, \"Tags\": {\"SS\": [\"x\", \"y\"]}, \"Meta\": {\"M\": {\"n\": {\"N\": \"1\"}, \"b\": {\"BOOL\": true}}}}")
          .ok();
    }
    String key = "{\"Artist\": {\"S\": \"A\"}, \"Song\": {\"S\": \"s1\"}}";
    out.add(new Case("GetItem", json("get-item", "--table-name", "Music", "--key", key), null));
    JsonNode query =
        json(
            "query",
            "--table-name",
            "Music",
            "--key-condition-expression",
            "Artist = :a",
            "--expression-attribute-values",
            "{\":a\": {\"S\": \"A\"}}",
            "--limit",
            "2");
    out.add(new Case("Query", query, null));
    out.add(new Case("Query", query, "Items[].Song.S"));
    out.add(new Case("Scan", json("scan", "--table-name", "Music"), null));
    out.add(
        new Case(
            "DeleteItem",
            json(
                "delete-item", "--table-name", "Music", "--key", key, "--return-values", "ALL_OLD"),
            null));
    out.add(
        new Case(
            "BatchWriteItem",
            json(
                "batch-write-item",
                "--request-items",
                "{\"Music\": [{\"DeleteRequest\": {\"Key\": " + key + "}}]}"),
            null));
    out.add(
        new Case(
            "UpdateItem",
            json(
                "update-item",
                "--table-name",
                "Music",
                "--key",
                key,
                "--update-expression",
                "SET Plays = :p ADD Tags :t",
                "--expression-attribute-values",
                "{\":p\": {\"N\": \"3\"}, \":t\": {\"SS\": [\"z\"]}}",
                "--return-values",
                "ALL_NEW"),
            null));
    out.add(
        new Case(
            "Query",
            json(
                "query",
                "--table-name",
                "Music",
                "--key-condition-expression",
                "Artist = :a",
                "--filter-expression",
                "Plays = :p",
                "--expression-attribute-values",
                "{\":a\": {\"S\": \"A\"}, \":p\": {\"N\": \"3\"}}",
                "--select",
                "COUNT"),
            null));
    out.add(
        new Case(
            "BatchGetItem",
            json(
                "batch-get-item",
                "--request-items",
                "{\"Music\": {\"Keys\": [" + key + "], \"ProjectionExpression\": \"Song, Tags\"}}"),
            null));
    out.add(
        new Case(
            "TransactGetItems",
            json(
                "transact-get-items",
                "--transact-items",
                "[{\"Get\": {\"TableName\":"
                    + " \"Music\", \"Key\": "
                    + key
                    + "}}, {\"Get\": {\"TableName\": \"Music\", \"Key\": {\"Artist\":"
                    + " {\"S\": \"none\"}, \"Song\": {\"S\": \"none\"}}}}]"),
            null));
    out.add(new Case("DescribeTable", json("describe-table", "--table-name", "Music"), null));
    return out;
  }

  private JsonNode json(String... args) {
    String[] all = new String[args.length + 1];
    all[0] = "dynamodb";
    System.arraycopy(args, 0, all, 1, args.length);
    return cli.run(all).ok().json();
  }

  private static String format(String format, Case c) {
    StringWriter out = new StringWriter();
    JmesPathQuery query = c.query() == null ? null : JmesPathQuery.compile(c.query());
    new ResponsePrinter(new PrintWriter(out), OutputFormat.valueOf(format.toUpperCase()), query)
        .print(c.operation(), c.response());
    return out.toString();
  }

  private static boolean awsCliPython() throws InterruptedException {
    try {
      Process p =
          new ProcessBuilder("python3", "-c", "import awscli.formatter, jmespath")
              .redirectErrorStream(true)
              .start();
      p.getInputStream().readAllBytes();
      return p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (java.io.IOException e) {
      return false;
    }
  }

  private static JsonNode runPython(Path dir, String request) throws Exception {
    Path script = dir.resolve("aws_cli_format.py");
    try (InputStream in =
        DynamoDbAwsCliParityTest.class.getResourceAsStream(
            "/dev/coffer/cli/kms/aws_cli_format.py")) {
      Files.write(script, in.readAllBytes());
    }
    Process p =
        new ProcessBuilder("python3", script.toString())
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    try (OutputStream stdin = p.getOutputStream()) {
      stdin.write(request.getBytes(StandardCharsets.UTF_8));
    }
    byte[] stdout = p.getInputStream().readAllBytes();
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).isZero();
    return AwsJson.mapper().readTree(stdout);
  }
}
