package dev.coffer.kms.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.coffer.kms.audit.AuditSink;
import dev.coffer.kms.memory.InMemoryKeyProvider;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The AWS CLI ({@code aws --endpoint-url ... kms ...}) against the endpoint. Runs only when an
 * {@code aws} executable is on the PATH; skipped with a message otherwise. Every command is killed
 * after 60 s.
 */
class AwsCliTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static String aws;

  @TempDir Path dir;

  @BeforeAll
  static void findAws() {
    aws = onPath("aws");
    Assumptions.assumeTrue(
        aws != null, "No 'aws' executable on the PATH: skipping the AWS CLI check.");
  }

  private static String onPath(String name) {
    String path = System.getenv("PATH");
    if (path == null) {
      return null;
    }
    for (String d : path.split(File.pathSeparator)) {
      File f = new File(d, name);
      if (f.isFile() && f.canExecute()) {
        return f.getAbsolutePath();
      }
    }
    return null;
  }

  private record Result(int exitCode, String stdout, String stderr) {
    JsonNode json() {
      try {
        return JSON.readTree(stdout);
      } catch (IOException e) {
        throw new AssertionError("not JSON: " + stdout + " / " + stderr, e);
      }
    }
  }

  private Result run(LocalKms kms, String principal, String... args) throws Exception {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                aws,
                "--endpoint-url",
                kms.endpoint().endpointUri().toString(),
                "--output",
                "json",
                "kms"));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile());
    Map<String, String> env = pb.environment();
    env.put("AWS_ACCESS_KEY_ID", LocalKms.accessKeyId(principal));
    env.put("AWS_SECRET_ACCESS_KEY", LocalKms.secret(principal));
    env.put("AWS_DEFAULT_REGION", "us-east-1");
    env.put("AWS_EC2_METADATA_DISABLED", "true");
    env.put("AWS_CONFIG_FILE", dir.resolve("no-config").toString());
    env.put("AWS_SHARED_CREDENTIALS_FILE", dir.resolve("no-credentials").toString());
    env.put("AWS_PAGER", "");
    env.remove("AWS_PROFILE");
    env.remove("AWS_SESSION_TOKEN");
    Path out = dir.resolve("stdout");
    Path err = dir.resolve("stderr");
    Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("aws " + String.join(" ", args) + " did not finish in 60 s");
    }
    return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
  }

  @Test
  void theAwsCliWorksAgainstTheEndpoint() throws Exception {
    try (LocalKms kms = LocalKms.start()) {
      kms.principal("bob");
      Result created =
          run(kms, LocalKms.OWNER, "create-key", "--description", "made by the aws cli");
      assertThat(created.exitCode()).as(created.stderr()).isZero();
      String keyId = created.json().at("/KeyMetadata/KeyId").asText();
      String arn = created.json().at("/KeyMetadata/Arn").asText();
      assertThat(created.json().at("/KeyMetadata/KeyState").asText()).isEqualTo("Enabled");

      assertThat(
              run(
                      kms,
                      LocalKms.OWNER,
                      "create-alias",
                      "--alias-name",
                      "alias/cli",
                      "--target-key-id",
                      keyId)
                  .exitCode())
          .isZero();

      Path plaintext = dir.resolve("plaintext.bin");
      Files.writeString(plaintext, "hello coffer", StandardCharsets.UTF_8);
      Result enc =
          run(
              kms,
              LocalKms.OWNER,
              "encrypt",
              "--key-id",
              "alias/cli",
              "--plaintext",
              "fileb://" + plaintext,
              "--encryption-context",
              "store=s1,purpose=page");
      assertThat(enc.exitCode()).as(enc.stderr()).isZero();
      assertThat(enc.json().get("KeyId").asText()).isEqualTo(arn);
      Path blob = dir.resolve("ciphertext.bin");
      Files.write(blob, Base64.getDecoder().decode(enc.json().get("CiphertextBlob").asText()));

      Result dec =
          run(
              kms,
              LocalKms.OWNER,
              "decrypt",
              "--ciphertext-blob",
              "fileb://" + blob,
              "--encryption-context",
              "store=s1,purpose=page");
      assertThat(dec.exitCode()).as(dec.stderr()).isZero();
      assertThat(
              new String(
                  Base64.getDecoder().decode(dec.json().get("Plaintext").asText()),
                  StandardCharsets.UTF_8))
          .isEqualTo("hello coffer");

      Result denied =
          run(
              kms,
              "bob",
              "decrypt",
              "--ciphertext-blob",
              "fileb://" + blob,
              "--encryption-context",
              "store=s1,purpose=page");
      assertThat(denied.exitCode()).isNotZero();
      assertThat(denied.stderr())
          .contains("AccessDeniedException", "arn:aws:iam::111122223333:user/bob", "kms:Decrypt");

      Result dk =
          run(kms, LocalKms.OWNER, "generate-data-key", "--key-id", arn, "--key-spec", "AES_256");
      assertThat(dk.exitCode()).as(dk.stderr()).isZero();
      assertThat(Base64.getDecoder().decode(dk.json().get("Plaintext").asText())).hasSize(32);

      Result scheduled =
          run(
              kms,
              LocalKms.OWNER,
              "schedule-key-deletion",
              "--key-id",
              keyId,
              "--pending-window-in-days",
              "7");
      assertThat(scheduled.exitCode()).as(scheduled.stderr()).isZero();
      assertThat(scheduled.json().get("KeyState").asText()).isEqualTo("PendingDeletion");

      Result pending =
          run(
              kms,
              LocalKms.OWNER,
              "decrypt",
              "--ciphertext-blob",
              "fileb://" + blob,
              "--encryption-context",
              "store=s1,purpose=page");
      assertThat(pending.exitCode()).isNotZero();
      assertThat(pending.stderr()).contains("KMSInvalidStateException", "is pending deletion");
    }
  }

  /**
   * Skips a test whose command this AWS CLI lacks (Debian's awscli 2.9.19 has no
   * rotate-key-on-demand).
   */
  private void assumeCommand(String command) throws Exception {
    Process p =
        new ProcessBuilder(aws, "kms", command, "help")
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("help").toFile())
            .start();
    boolean done = p.waitFor(60, TimeUnit.SECONDS);
    if (!done) {
      p.destroyForcibly();
    }
    Assumptions.assumeTrue(
        done && p.exitValue() == 0, "This AWS CLI has no 'kms " + command + "': skipping.");
  }

  @Test
  void tagsDescriptionsRotationsPoliciesAndRandomThroughTheAwsCli() throws Exception {
    assumeCommand("list-key-rotations");
    try (LocalKms kms = LocalKms.start()) {
      Result created = run(kms, LocalKms.OWNER, "create-key", "--tags", "TagKey=team,TagValue=db");
      assertThat(created.exitCode()).as(created.stderr()).isZero();
      String keyId = created.json().at("/KeyMetadata/KeyId").asText();

      Result tagged =
          run(
              kms,
              LocalKms.OWNER,
              "tag-resource",
              "--key-id",
              keyId,
              "--tags",
              "TagKey=env,TagValue=prod");
      assertThat(tagged.exitCode()).as(tagged.stderr()).isZero();
      Result tags = run(kms, LocalKms.OWNER, "list-resource-tags", "--key-id", keyId);
      assertThat(tags.exitCode()).as(tags.stderr()).isZero();
      assertThat(tags.json().get("Tags")).hasSize(2);
      assertThat(
              run(kms, LocalKms.OWNER, "untag-resource", "--key-id", keyId, "--tag-keys", "team")
                  .exitCode())
          .isZero();
      assertThat(
              run(kms, LocalKms.OWNER, "list-resource-tags", "--key-id", keyId).json().get("Tags"))
          .hasSize(1);

      assertThat(
              run(
                      kms,
                      LocalKms.OWNER,
                      "update-key-description",
                      "--key-id",
                      keyId,
                      "--description",
                      "renamed")
                  .exitCode())
          .isZero();
      assertThat(
              run(kms, LocalKms.OWNER, "describe-key", "--key-id", keyId)
                  .json()
                  .at("/KeyMetadata/Description")
                  .asText())
          .isEqualTo("renamed");

      assertThat(run(kms, LocalKms.OWNER, "rotate-key-on-demand", "--key-id", keyId).exitCode())
          .isZero();
      Result rotations = run(kms, LocalKms.OWNER, "list-key-rotations", "--key-id", keyId);
      assertThat(rotations.exitCode()).as(rotations.stderr()).isZero();
      assertThat(rotations.json().at("/Rotations/0/RotationType").asText()).isEqualTo("ON_DEMAND");
      Result status = run(kms, LocalKms.OWNER, "get-key-rotation-status", "--key-id", keyId);
      assertThat(status.json().has("OnDemandRotationStartDate")).isFalse();

      assertThat(
              run(kms, LocalKms.OWNER, "list-key-policies", "--key-id", keyId)
                  .json()
                  .get("PolicyNames")
                  .get(0)
                  .asText())
          .isEqualTo("default");
      Result random = run(kms, LocalKms.OWNER, "generate-random", "--number-of-bytes", "48");
      assertThat(random.exitCode()).as(random.stderr()).isZero();
      assertThat(Base64.getDecoder().decode(random.json().get("Plaintext").asText())).hasSize(48);
      Result aes128 =
          run(kms, LocalKms.OWNER, "generate-data-key", "--key-id", keyId, "--key-spec", "AES_128");
      assertThat(Base64.getDecoder().decode(aes128.json().get("Plaintext").asText())).hasSize(16);

      Result aliases =
          run(
              kms,
              LocalKms.OWNER,
              "create-alias",
              "--alias-name",
              "alias/dated",
              "--target-key-id",
              keyId);
      assertThat(aliases.exitCode()).isZero();
      Result listed = run(kms, LocalKms.OWNER, "list-aliases");
      assertThat(listed.json().at("/Aliases/0/CreationDate").isMissingNode()).isFalse();

      // A principal with no grants in the account policy cannot create keys (issue 15, finding 3).
      kms.principal("bob");
      Result unsigned = run(kms, "bob", "create-key");
      assertThat(unsigned.exitCode()).isNotZero();
      assertThat(unsigned.stderr()).contains("AccessDeniedException");
    }
  }

  @Test
  void theServedRegionIsTheRegionOfTheArns() throws Exception {
    InMemoryKeyProvider keys = InMemoryKeyProvider.builder().auditSink(AuditSink.none()).build();
    try (KmsEndpoint london =
        KmsEndpoint.builder()
            .keys(keys)
            .region("eu-west-2")
            .credentials("AKIALONDON", "london/secret", "root")
            .start()) {
      List<String> base =
          List.of(
              aws,
              "--endpoint-url",
              london.endpointUri().toString(),
              "--region",
              "eu-west-2",
              "--output",
              "json",
              "kms");
      Result created = run(base, "AKIALONDON", "london/secret", "create-key");
      assertThat(created.exitCode()).as(created.stderr()).isZero();
      String arn = created.json().at("/KeyMetadata/Arn").asText();
      assertThat(arn).startsWith("arn:aws:kms:eu-west-2:111122223333:key/");
      Result described = run(base, "AKIALONDON", "london/secret", "describe-key", "--key-id", arn);
      assertThat(described.exitCode()).as(described.stderr()).isZero();
      assertThat(described.json().at("/KeyMetadata/Arn").asText()).isEqualTo(arn);
    }
  }

  private Result run(List<String> base, String accessKey, String secret, String... args)
      throws Exception {
    List<String> cmd = new ArrayList<>(base);
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile());
    Map<String, String> env = pb.environment();
    env.put("AWS_ACCESS_KEY_ID", accessKey);
    env.put("AWS_SECRET_ACCESS_KEY", secret);
    env.put("AWS_EC2_METADATA_DISABLED", "true");
    env.put("AWS_CONFIG_FILE", dir.resolve("no-config").toString());
    env.put("AWS_SHARED_CREDENTIALS_FILE", dir.resolve("no-credentials").toString());
    env.put("AWS_PAGER", "");
    env.remove("AWS_PROFILE");
    env.remove("AWS_SESSION_TOKEN");
    env.remove("AWS_DEFAULT_REGION");
    Path out = dir.resolve("stdout");
    Path err = dir.resolve("stderr");
    Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("aws " + String.join(" ", args) + " did not finish in 60 s");
    }
    return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
  }
}
