package dev.coffer.cli.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.coffer.cli.CliRun;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code rotate master-key}, {@code rotate data-key} and {@code reencrypt} on a small store. */
class LifecycleCommandsTest {
  private final CliRun cli = new CliRun();
  @TempDir Path dir;
  private String keyId;

  @BeforeEach
  void storeWithItems() {
    cli.env.put("COFFER_STORE", dir.resolve("store").toString());
    keyId = cli.createKey("store key");
    cli.env.put("COFFER_MASTER_KEY", keyId);
    cli.run(
            "dynamodb",
            "create-table",
            "--table-name",
            "Music",
            "--attribute-definitions",
            "AttributeName=id,AttributeType=S",
            "--key-schema",
            "AttributeName=id,KeyType=HASH")
        .ok();
    for (int batch = 0; batch < 4; batch++) {
      StringBuilder b = new StringBuilder("{\"Music\": [");
      for (int i = 0; i < 25; i++) {
        b.append(i == 0 ? "" : ",")
            .append("{\"PutRequest\": {\"Item\": {\"id\": {\"S\": \"item")
            .append(batch * 25 + i)
            .append("\"}, \"v\": {\"S\": \"")
            .append("x".repeat(100))
            .append("\"}}}}");
      }
      cli.run("dynamodb", "batch-write-item", "--request-items", b + "]}").ok();
    }
  }

  private int count() {
    return cli.run("dynamodb", "scan", "--table-name", "Music", "--query", "Count")
        .ok()
        .json()
        .asInt();
  }

  @Test
  void rotateDataKeyThenReencryptDestroysTheOldVersion() {
    JsonNode rotated = cli.run("rotate", "data-key", "--table-name", "Music").ok().json();
    assertThat(rotated.get("PrimaryDataKeyVersion").asInt()).isEqualTo(2);
    JsonNode keys = cli.run("info").ok().json().at("/Tables/0/DataKeys");
    assertThat(keys.get(0).get("State").asText()).isEqualTo("RETIRED");
    assertThat(keys.get(1).get("State").asText()).isEqualTo("PRIMARY");

    CliRun.Result run = cli.run("reencrypt", "--table-name", "Music");
    assertThat(run.exitCode()).isZero();
    assertThat(run.err()).contains("100%").contains("ETA").contains("pages");
    JsonNode r = run.json();
    assertThat(r.get("Finished").asBoolean()).isTrue();
    assertThat(r.get("TargetDataKeyVersion").asInt()).isEqualTo(2);
    assertThat(r.get("PagesResealed").asLong()).isPositive();
    assertThat(r.get("DestroyedDataKeyVersions").toString()).isEqualTo("[1]");
    assertThat(cli.run("info").ok().json().at("/Tables/0/DataKeys/0/State").asText())
        .isEqualTo("DESTROYED");
    assertThat(count()).isEqualTo(100);
    assertThat(cli.run("verify").ok().json().get("FindingCount").asInt()).isZero();
  }

  @Test
  void rotateDataKeyWithReencryptInOneCommand() {
    JsonNode r =
        cli.run("rotate", "data-key", "--table-name", "Music", "--reencrypt", "--no-progress")
            .ok()
            .json();
    assertThat(r.at("/Reencryption/Finished").asBoolean()).isTrue();
    assertThat(r.at("/Reencryption/DestroyedDataKeyVersions/0").asInt()).isEqualTo(1);
    assertThat(
            cli.run("reencrypt", "--table-name", "Music").ok().json().get("PagesResealed").asLong())
        .isZero();
    assertThat(count()).isEqualTo(100);
  }

  @Test
  void rotateMasterKeyRewrapsAndTheStoreStillOpens() {
    cli.run("kms", "rotate-key-on-demand", "--key-id", keyId).ok();
    JsonNode r = cli.run("rotate", "master-key").ok().json();
    assertThat(r.get("KeysRewrapped").asInt()).isGreaterThanOrEqualTo(3);
    assertThat(r.get("MasterKeyId").asText()).contains(keyId);
    assertThat(cli.run("info").ok().json().has("LastMasterKeyRotation")).isTrue();
    assertThat(count()).isEqualTo(100);

    String other = cli.createKey("next store key");
    cli.run("rotate", "master-key", "--new-master-key", other).ok();
    cli.env.put("COFFER_MASTER_KEY", other);
    assertThat(count()).isEqualTo(100);
  }

  @Test
  void unknownTableIsAnError() {
    assertThat(cli.run("rotate", "data-key", "--table-name", "Nope").failsWith(1))
        .startsWith(
            "An error occurred (ResourceNotFoundException) when calling the RotateDataKey operation");
    assertThat(cli.run("rotate", "--help").ok().out()).contains("coffer rotate master-key");
    assertThat(cli.run("reencrypt", "--help").ok().out()).contains("coffer reencrypt --table-name");
  }
}
