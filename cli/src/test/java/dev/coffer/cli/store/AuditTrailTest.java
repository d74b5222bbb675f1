package dev.coffer.cli.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.coffer.cli.CliRun;
import dev.coffer.kms.KeyProviders;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * With {@code COFFER_AUDIT_FILE} set, the {@code local:} provider and the store append their audit
 * records to that file, and {@code coffer audit} reads them back: here bob's refused attempt to
 * open the store.
 */
class AuditTrailTest {
  private final CliRun cli = new CliRun();
  @TempDir Path dir;

  @Test
  void deniedAccessToTheStoreIsInTheAuditFile() {
    cli.opener = KeyProviders::open;
    cli.env.put("COFFER_KEY_PROVIDER", "local:" + dir.resolve("keystore") + "?create");
    byte[] raw = new byte[32];
    new SecureRandom().nextBytes(raw);
    cli.env.put("COFFER_KEYSTORE_KEY", Base64.getEncoder().encodeToString(raw));
    cli.env.put("COFFER_AUDIT_FILE", dir.resolve("audit.jsonl").toString());
    cli.env.put("COFFER_STORE", dir.resolve("store").toString());
    cli.env.put("COFFER_MASTER_KEY", cli.createKey("store key"));
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
    assertThat(cli.run("--principal", "bob", "dynamodb", "list-tables").failsWith(1))
        .contains("AccessDeniedException");

    JsonNode denied = cli.run("audit", "--outcome", "DENIED").ok().json().get("Events");
    assertThat(denied).hasSize(1);
    assertThat(denied.get(0).get("Principal").asText()).endsWith(":user/bob");
    assertThat(denied.get(0).get("Action").asText()).isEqualTo("kms:Decrypt");
    assertThat(denied.get(0).get("ErrorCode").asText()).isEqualTo("AccessDeniedException");

    List<String> actions = new ArrayList<>();
    cli.run("audit", "--since", "1h")
        .ok()
        .json()
        .get("Events")
        .forEach(e -> actions.add(e.get("Action").asText()));
    assertThat(actions).contains("kms:CreateKey", "kms:GenerateDataKey", "kms:Decrypt");
  }
}
