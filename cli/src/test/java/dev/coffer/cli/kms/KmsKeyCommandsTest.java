package dev.coffer.cli.kms;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.coffer.cli.CliRun;
import dev.coffer.kms.KeyState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The key-management commands, each with the shape {@code aws kms} prints. */
class KmsKeyCommandsTest {
  private final CliRun cli = new CliRun();

  @Test
  void createKeyPrintsKeyMetadataWithAwsFieldNames() {
    JsonNode m =
        cli.run("kms", "create-key", "--description", "orders").ok().json().get("KeyMetadata");

    List<String> fields = new ArrayList<>();
    m.fieldNames().forEachRemaining(fields::add);
    assertThat(fields)
        .containsExactly(
            "AWSAccountId",
            "KeyId",
            "Arn",
            "CreationDate",
            "Enabled",
            "Description",
            "KeyUsage",
            "KeyState",
            "Origin",
            "KeyManager",
            "CustomerMasterKeySpec",
            "KeySpec",
            "EncryptionAlgorithms",
            "MultiRegion");
    assertThat(m.get("AWSAccountId").asText()).isEqualTo("111122223333");
    assertThat(m.get("Arn").asText())
        .isEqualTo("arn:aws:kms:us-east-1:111122223333:key/" + m.get("KeyId").asText());
    assertThat(m.get("CreationDate").asText())
        .matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d{6})?\\+00:00");
    assertThat(m.get("Enabled").asBoolean()).isTrue();
    assertThat(m.get("Description").asText()).isEqualTo("orders");
    assertThat(m.get("KeyState").asText()).isEqualTo("Enabled");
    assertThat(m.get("EncryptionAlgorithms").get(0).asText()).isEqualTo("SYMMETRIC_DEFAULT");
    assertThat(cli.provider.describeKey(m.get("KeyId").asText()).description()).isEqualTo("orders");
  }

  @Test
  void createKeyTakesTagsInShorthandAndJsonAndAPolicyFromAFile(@TempDir Path dir) throws Exception {
    Path policy = dir.resolve("policy.json");
    Files.writeString(policy, policyAllowing("arn:aws:iam::111122223333:root", "kms:*"));

    String keyId =
        cli.run(
                "kms",
                "create-key",
                "--policy",
                "file://" + policy,
                "--tags",
                "TagKey=team,TagValue=payments",
                "[{\"TagKey\":\"env\",\"TagValue\":\"prod\"}]")
            .ok()
            .json()
            .at("/KeyMetadata/KeyId")
            .asText();

    assertThat(cli.provider.describeKey(keyId).tags())
        .containsEntry("team", "payments")
        .containsEntry("env", "prod");
    assertThat(cli.provider.getKeyPolicy(keyId)).isEqualTo(Files.readString(policy));
  }

  @Test
  void describeKeyAcceptsIdArnAndAlias() {
    String keyId = cli.createKey("k");
    cli.run("kms", "create-alias", "--alias-name", "alias/k", "--target-key-id", keyId).ok();
    String arn = "arn:aws:kms:us-east-1:111122223333:key/" + keyId;

    for (String ref :
        List.of(keyId, arn, "alias/k", "arn:aws:kms:us-east-1:111122223333:alias/k")) {
      assertThat(
              cli.run("kms", "describe-key", "--key-id", ref)
                  .ok()
                  .json()
                  .at("/KeyMetadata/Arn")
                  .asText())
          .isEqualTo(arn);
    }
  }

  @Test
  void listKeysPrintsKeyIdAndKeyArn() {
    String a = cli.createKey("a");
    String b = cli.createKey("b");

    JsonNode keys = cli.run("kms", "list-keys").ok().json().get("Keys");

    assertThat(keys).hasSize(2);
    assertThat(keys.get(0).get("KeyId").asText()).isEqualTo(a);
    assertThat(keys.get(0).get("KeyArn").asText()).endsWith(":key/" + a);
    assertThat(keys.get(1).get("KeyId").asText()).isEqualTo(b);
  }

  @Test
  void aliasesAreCreatedListedUpdatedAndDeleted() {
    String a = cli.createKey("a");
    String b = cli.createKey("b");
    assertThat(
            cli.run("kms", "create-alias", "--alias-name", "alias/orders", "--target-key-id", a)
                .ok()
                .out())
        .isEmpty();
    cli.run("kms", "create-alias", "--alias-name", "alias/users", "--target-key-id", b).ok();

    JsonNode all = cli.run("kms", "list-aliases").ok().json().get("Aliases");
    assertThat(all).hasSize(2);
    assertThat(all.get(0).get("AliasName").asText()).isEqualTo("alias/orders");
    assertThat(all.get(0).get("AliasArn").asText())
        .isEqualTo("arn:aws:kms:us-east-1:111122223333:alias/orders");
    assertThat(all.get(0).get("TargetKeyId").asText()).isEqualTo(a);
    assertThat(cli.run("kms", "list-aliases", "--key-id", b).ok().json().get("Aliases")).hasSize(1);

    cli.run("kms", "update-alias", "--alias-name", "alias/orders", "--target-key-id", b).ok();
    assertThat(cli.run("kms", "list-aliases", "--key-id", b).ok().json().get("Aliases")).hasSize(2);

    cli.run("kms", "delete-alias", "--alias-name", "alias/orders").ok();
    assertThat(cli.run("kms", "list-aliases").ok().json().get("Aliases")).hasSize(1);
  }

  @Test
  void disableAndEnableKeyPrintNothingAndChangeTheState() {
    String keyId = cli.createKey("k");

    assertThat(cli.run("kms", "disable-key", "--key-id", keyId).ok().out()).isEmpty();
    assertThat(cli.provider.describeKey(keyId).state()).isEqualTo(KeyState.DISABLED);
    assertThat(
            cli.run("kms", "describe-key", "--key-id", keyId)
                .ok()
                .json()
                .at("/KeyMetadata/Enabled")
                .asBoolean())
        .isFalse();

    cli.run("kms", "enable-key", "--key-id", keyId).ok();
    assertThat(cli.provider.describeKey(keyId).state()).isEqualTo(KeyState.ENABLED);
  }

  @Test
  void rotationIsEnabledReportedRotatedOnDemandAndDisabled() {
    String keyId = cli.createKey("k");

    JsonNode off = cli.run("kms", "get-key-rotation-status", "--key-id", keyId).ok().json();
    assertThat(off.get("KeyRotationEnabled").asBoolean()).isFalse();
    assertThat(off.has("RotationPeriodInDays")).isFalse();

    cli.run("kms", "enable-key-rotation", "--key-id", keyId, "--rotation-period-in-days", "180")
        .ok();
    JsonNode on = cli.run("kms", "get-key-rotation-status", "--key-id", keyId).ok().json();
    assertThat(on.get("KeyRotationEnabled").asBoolean()).isTrue();
    assertThat(on.get("KeyId").asText())
        .isEqualTo("arn:aws:kms:us-east-1:111122223333:key/" + keyId);
    assertThat(on.get("RotationPeriodInDays").asInt()).isEqualTo(180);
    assertThat(on.get("NextRotationDate").asText()).endsWith("+00:00");

    assertThat(
            cli.run("kms", "rotate-key-on-demand", "--key-id", keyId)
                .ok()
                .json()
                .get("KeyId")
                .asText())
        .isEqualTo(keyId);
    assertThat(cli.provider.describeKey(keyId).currentKeyVersion()).isEqualTo(2);
    assertThat(
            cli.run("kms", "get-key-rotation-status", "--key-id", keyId)
                .ok()
                .json()
                .has("OnDemandRotationStartDate"))
        .isFalse(); // the on-demand rotation has finished (AWS shows the date only while one runs)

    cli.run("kms", "disable-key-rotation", "--key-id", keyId).ok();
    assertThat(cli.provider.describeKey(keyId).rotationEnabled()).isFalse();
  }

  @Test
  void enableKeyRotationDefaultsTo365Days() {
    String keyId = cli.createKey("k");
    cli.run("kms", "enable-key-rotation", "--key-id", keyId).ok();
    assertThat(cli.provider.describeKey(keyId).rotationPeriodInDays()).isEqualTo(365);
  }

  @Test
  void scheduleKeyDeletionPrintsTheDeletionDateAndCancelReturnsTheKeyDisabled() {
    String keyId = cli.createKey("k");

    JsonNode scheduled =
        cli.run("kms", "schedule-key-deletion", "--key-id", keyId, "--pending-window-in-days", "7")
            .ok()
            .json();

    assertThat(scheduled.get("KeyId").asText())
        .isEqualTo("arn:aws:kms:us-east-1:111122223333:key/" + keyId);
    assertThat(scheduled.get("KeyState").asText()).isEqualTo("PendingDeletion");
    assertThat(scheduled.get("PendingWindowInDays").asInt()).isEqualTo(7);
    assertThat(scheduled.get("DeletionDate").asText())
        .isEqualTo(
            dev.coffer.cli.output.AwsJson.timestamp(
                cli.provider.describeKey(keyId).deletionDate().orElseThrow()));
    assertThat(
            cli.run("kms", "describe-key", "--key-id", keyId)
                .ok()
                .json()
                .at("/KeyMetadata/DeletionDate")
                .isTextual())
        .isTrue();

    JsonNode cancelled = cli.run("kms", "cancel-key-deletion", "--key-id", keyId).ok().json();
    assertThat(cancelled.get("KeyId").asText()).endsWith(keyId);
    assertThat(cli.provider.describeKey(keyId).state()).isEqualTo(KeyState.DISABLED);
  }

  @Test
  void scheduleKeyDeletionDefaultsTo30Days() {
    String keyId = cli.createKey("k");
    assertThat(
            cli.run("kms", "schedule-key-deletion", "--key-id", keyId)
                .ok()
                .json()
                .get("PendingWindowInDays")
                .asInt())
        .isEqualTo(30);
  }

  @Test
  void getAndPutKeyPolicy(@TempDir Path dir) throws Exception {
    String keyId = cli.createKey("k");
    JsonNode got =
        cli.run("kms", "get-key-policy", "--key-id", keyId, "--policy-name", "default").ok().json();
    assertThat(got.get("PolicyName").asText()).isEqualTo("default");
    assertThat(got.get("Policy").asText()).contains("\"kms:*\"");

    String policy = policyAllowing("arn:aws:iam::111122223333:root", "kms:*");
    assertThat(cli.run("kms", "put-key-policy", "--key-id", keyId, "--policy", policy).ok().out())
        .isEmpty();
    assertThat(cli.provider.getKeyPolicy(keyId)).isEqualTo(policy);

    Path file = dir.resolve("p.json");
    Files.writeString(file, policyAllowing("*", "kms:*"));
    cli.run("kms", "put-key-policy", "--key-id", keyId, "--policy", "file://" + file).ok();
    assertThat(cli.provider.getKeyPolicy(keyId)).isEqualTo(Files.readString(file));

    assertThat(
            cli.run(
                    "kms",
                    "get-key-policy",
                    "--key-id",
                    keyId,
                    "--query",
                    "Policy",
                    "--output",
                    "text")
                .ok()
                .out())
        .isEqualTo(Files.readString(file) + "\n");
  }

  static String policyAllowing(String principal, String action) {
    String who = principal.equals("*") ? "\"*\"" : "{\"AWS\": \"" + principal + "\"}";
    return "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"Principal\": "
        + who
        + ", \"Action\": \""
        + action
        + "\", \"Resource\": \"*\"}]}";
  }
}
