package dev.coffer.cli.kms;

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
 * Prints real responses of every shape with Coffer's formatter and with the AWS CLI's own (its
 * Python module), and requires the same bytes in json, text and table output, with and without
 * {@code --query}. Runs when {@code python3} can import {@code awscli}; skipped with a message
 * otherwise.
 */
class AwsCliParityTest {
  private final CliRun cli = new CliRun();

  /** One response to format. */
  private record Case(String operation, JsonNode response, String query) {}

  @Test
  void everyResponseShapeFormatsAsTheAwsCliFormatsIt(@TempDir Path dir) throws Exception {
    assumeTrue(awsCliPython(), "python3 cannot import awscli: AWS CLI parity not checked");
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
    JsonNode created =
        json("create-key", "--description", "parity", "--tags", "TagKey=a,TagValue=b");
    out.add(new Case("CreateKey", created, null));
    String keyId = created.at("/KeyMetadata/KeyId").asText();
    cli.createKey("second");
    cli.run("kms", "create-alias", "--alias-name", "alias/one", "--target-key-id", keyId).ok();
    cli.run("kms", "create-alias", "--alias-name", "alias/two", "--target-key-id", keyId).ok();
    JsonNode described = json("describe-key", "--key-id", keyId);
    out.add(new Case("DescribeKey", described, null));
    out.add(new Case("DescribeKey", described, "KeyMetadata.[KeyId,Arn]"));
    out.add(new Case("DescribeKey", described, "KeyMetadata.{Id: KeyId, On: Enabled}"));
    out.add(new Case("DescribeKey", described, "KeyMetadata.EncryptionAlgorithms"));
    JsonNode keys = json("list-keys");
    out.add(new Case("ListKeys", keys, null));
    out.add(new Case("ListKeys", keys, "Keys[].KeyId"));
    out.add(new Case("ListAliases", json("list-aliases"), null));
    out.add(new Case("Encrypt", json("encrypt", "--key-id", keyId, "--plaintext", "aGk="), null));
    out.add(
        new Case(
            "GenerateDataKey",
            json("generate-data-key", "--key-id", keyId, "--key-spec", "AES_256"),
            null));
    cli.run("kms", "enable-key-rotation", "--key-id", keyId).ok();
    out.add(new Case("RotateKeyOnDemand", json("rotate-key-on-demand", "--key-id", keyId), null));
    out.add(
        new Case("GetKeyRotationStatus", json("get-key-rotation-status", "--key-id", keyId), null));
    out.add(new Case("GetKeyPolicy", json("get-key-policy", "--key-id", keyId), null));
    out.add(
        new Case("ScheduleKeyDeletion", json("schedule-key-deletion", "--key-id", keyId), null));
    out.add(new Case("DescribeKey", json("describe-key", "--key-id", keyId), null));
    return out;
  }

  private JsonNode json(String... kmsArgs) {
    String[] args = new String[kmsArgs.length + 1];
    args[0] = "kms";
    System.arraycopy(kmsArgs, 0, args, 1, kmsArgs.length);
    return cli.run(args).ok().json();
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
    try (InputStream in = AwsCliParityTest.class.getResourceAsStream("aws_cli_format.py")) {
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
