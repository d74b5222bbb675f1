package dev.coffer.cli.kms;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coffer.cli.CliRun;
import dev.coffer.cli.ExitCode;
import dev.coffer.kms.KeyProviders;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code coffer kms put-account-policy} and {@code get-account-policy}, Coffer's stand-in for IAM
 * identity policies: a principal without a grant is refused the account-level actions until the
 * account policy allows them; only the account root and the keystore's owner may read or replace
 * the policy; a document that is not strict JSON is bad usage, one that is not a policy the
 * provider's error, and either leaves the old policy in place.
 */
class AccountPolicyCommandsTest {
  private static final String BOB = "arn:aws:iam::111122223333:user/bob";

  private final CliRun cli = new CliRun();

  @BeforeEach
  void noAccountPolicy() {
    cli.provider.putAccountPolicy(
        ""); // CliRun grants the whole account; these tests start from none
  }

  /** An account policy allowing {@code principal} the given actions on every resource. */
  static String allowing(String principal, String... actions) {
    return "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"Principal\": {\"AWS\": \""
        + principal
        + "\"}, \"Action\": [\""
        + String.join("\", \"", actions)
        + "\"], \"Resource\": \"*\"}]}";
  }

  @Test
  void aPrincipalIsRefusedAccountLevelActionsUntilTheAccountPolicyAllowsThem() {
    assertThat(cli.run("kms", "create-key", "--principal", "bob").failsWith(ExitCode.FAILED))
        .isEqualTo(
            "An error occurred (AccessDeniedException) when calling the CreateKey operation: User: "
                + BOB
                + " is not authorized to perform: kms:CreateKey on resource: * because no identity-based policy"
                + " allows the kms:CreateKey action");
    assertThat(cli.run("kms", "list-aliases", "--principal", "bob").failsWith(ExitCode.FAILED))
        .contains("is not authorized to perform: kms:ListAliases");
    assertThat(cli.run("kms", "list-keys").ok().json().get("Keys"))
        .isEmpty(); // nothing was created

    assertThat(
            cli.run(
                    "kms",
                    "put-account-policy",
                    "--policy",
                    allowing(BOB, "kms:CreateKey", "kms:ListAliases"))
                .ok()
                .out())
        .isEmpty();

    String keyId =
        cli.run("kms", "create-key", "--principal", "bob")
            .ok()
            .json()
            .at("/KeyMetadata/KeyId")
            .asText();
    assertThat(cli.provider.describeKey(keyId).arn()).endsWith(":key/" + keyId);
    assertThat(cli.run("kms", "list-aliases", "--principal", "bob").ok().json().get("Aliases"))
        .isEmpty();
    // exactly what was granted: not ListKeys, and nothing for carol
    assertThat(cli.run("kms", "list-keys", "--principal", "bob").failsWith(ExitCode.FAILED))
        .contains("kms:ListKeys")
        .contains("because no identity-based policy allows the kms:ListKeys action");
    assertThat(cli.run("kms", "create-key", "--principal", "carol").failsWith(ExitCode.FAILED))
        .contains(
            "User: arn:aws:iam::111122223333:user/carol is not authorized to perform: kms:CreateKey");
  }

  @Test
  void getPrintsThePolicyAsPutInlineOrFromAFile(@TempDir Path dir) throws Exception {
    assertThat(cli.run("kms", "get-account-policy").ok().json().get("Policy").asText()).isEmpty();

    String inline = allowing(BOB, "kms:CreateKey");
    cli.run("kms", "put-account-policy", "--policy", inline).ok();
    assertThat(cli.run("kms", "get-account-policy").ok().json().get("Policy").asText())
        .isEqualTo(inline);
    assertThat(cli.provider.getAccountPolicy()).isEqualTo(inline);

    Path file = dir.resolve("account-policy.json");
    String fromFile =
        "{\n  \"Statement\": {\"Effect\": \"Allow\", \"Principal\": {\"AWS\": \"111122223333\"},\n"
            + "    \"Action\": \"kms:ListAliases\", \"Resource\": \"*\"}\n}\n";
    Files.writeString(file, fromFile);
    cli.run("kms", "put-account-policy", "--policy", "file://" + file).ok();
    assertThat(
            cli.run("kms", "get-account-policy", "--query", "Policy", "--output", "text")
                .ok()
                .out())
        .isEqualTo(fromFile + "\n");
    // the whole document is replaced: bob's CreateKey grant is gone, every principal may list
    // aliases
    assertThat(cli.run("kms", "create-key", "--principal", "bob").failsWith(ExitCode.FAILED))
        .contains("kms:CreateKey");
    cli.run("kms", "list-aliases", "--principal", "carol").ok();
  }

  @Test
  void onlyTheRootAndTheOwnerMayReadOrReplaceIt() {
    String policy = allowing(BOB, "kms:*");
    cli.run("kms", "put-account-policy", "--policy", policy).ok();

    // even with kms:* in the account policy, bob administers nothing of the IAM side
    assertThat(
            cli.run(
                    "kms",
                    "put-account-policy",
                    "--principal",
                    "bob",
                    "--policy",
                    allowing(BOB, "*"))
                .failsWith(ExitCode.FAILED))
        .isEqualTo(
            "An error occurred (AccessDeniedException) when calling the PutAccountPolicy operation: User: "
                + BOB
                + " is not authorized to perform: coffer:PutAccountPolicy: only the account root and the"
                + " keystore's owner manage the account policy");
    assertThat(
            cli.run("kms", "get-account-policy", "--principal", "bob").failsWith(ExitCode.FAILED))
        .startsWith(
            "An error occurred (AccessDeniedException) when calling the GetAccountPolicy operation:")
        .contains("coffer:GetAccountPolicy");
    assertThat(cli.provider.getAccountPolicy()).isEqualTo(policy);
  }

  @Test
  void theKeystoresOwnerMayManageItAndItPersists(@TempDir Path dir) {
    Path keystore = dir.resolve("keystore");
    cli.opener = KeyProviders::open;
    byte[] rawKey = new byte[32];
    new SecureRandom().nextBytes(rawKey);
    cli.env.put("COFFER_KEYSTORE_KEY", Base64.getEncoder().encodeToString(rawKey));
    cli.env.put("COFFER_KEY_PROVIDER", "local:" + keystore + "?create");
    cli.run("kms", "create-key", "--principal", "alice")
        .ok(); // alice creates the keystore: she owns it

    assertThat(
            cli.run(
                    "kms",
                    "put-account-policy",
                    "--principal",
                    "bob",
                    "--policy",
                    allowing(BOB, "kms:CreateKey"))
                .failsWith(ExitCode.FAILED))
        .contains("User: " + BOB + " is not authorized to perform: coffer:PutAccountPolicy");
    assertThat(cli.run("kms", "create-key", "--principal", "bob").failsWith(ExitCode.FAILED))
        .contains("kms:CreateKey");

    cli.run(
            "kms",
            "put-account-policy",
            "--principal",
            "alice",
            "--policy",
            allowing(BOB, "kms:CreateKey"))
        .ok();
    cli.env.put("COFFER_KEY_PROVIDER", "local:" + keystore);
    cli.run("kms", "create-key", "--principal", "bob").ok();
    assertThat(
            cli.run(
                    "kms",
                    "get-account-policy",
                    "--principal",
                    "alice",
                    "--query",
                    "Policy",
                    "--output",
                    "text")
                .ok()
                .out()
                .strip())
        .isEqualTo(allowing(BOB, "kms:CreateKey"));
    cli.run("kms", "get-account-policy").ok(); // the account root may, too
  }

  @Test
  void aDocumentThatIsNotStrictJsonIsBadUsageAndChangesNothing(@TempDir Path dir) {
    String policy = allowing(BOB, "kms:CreateKey");
    cli.run("kms", "put-account-policy", "--policy", policy).ok();

    assertThat(
            cli.run("kms", "put-account-policy", "--policy", "{\"Statement\": [")
                .failsWith(ExitCode.USAGE))
        .startsWith("Error parsing parameter '--policy': Invalid JSON: ");
    assertThat(
            cli.run(
                    "kms",
                    "put-account-policy",
                    "--policy",
                    "{\"Statement\": {\"Effect\": \"Allow\", \"Effect\": \"Deny\"}}")
                .failsWith(ExitCode.USAGE))
        .contains("Duplicate member name 'Effect'");
    assertThat(cli.run("kms", "put-account-policy", "--policy", "").failsWith(ExitCode.USAGE))
        .startsWith("Error parsing parameter '--policy': Invalid JSON: no value");
    assertThat(
            cli.run(
                    "kms",
                    "put-account-policy",
                    "--policy",
                    "file://" + dir.resolve("missing.json"))
                .failsWith(ExitCode.USAGE))
        .startsWith("Error parsing parameter '--policy': Unable to load paramfile");
    assertThat(cli.run("kms", "put-account-policy").failsWith(ExitCode.USAGE))
        .startsWith(
            "coffer kms put-account-policy: error: Missing required option: '--policy=JSON|file://PATH'");
    assertThat(cli.provider.getAccountPolicy()).isEqualTo(policy);
  }

  @Test
  void aDocumentThatIsNotAPolicyIsRefusedByTheProviderAndChangesNothing() {
    String policy = allowing(BOB, "kms:CreateKey");
    cli.run("kms", "put-account-policy", "--policy", policy).ok();

    String withCondition =
        "{\"Statement\": [{\"Effect\": \"Allow\", \"Principal\": {\"AWS\": \""
            + BOB
            + "\"},"
            + " \"Action\": \"kms:CreateKey\", \"Resource\": \"*\", \"Condition\": {}}]}";
    assertThat(
            cli.run("kms", "put-account-policy", "--policy", withCondition)
                .failsWith(ExitCode.FAILED))
        .startsWith(
            "An error occurred (MalformedPolicyDocumentException) when calling the PutAccountPolicy"
                + " operation: ");
    String noPrincipal =
        "{\"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"kms:CreateKey\", \"Resource\": \"*\"}]}";
    assertThat(
            cli.run("kms", "put-account-policy", "--policy", noPrincipal)
                .failsWith(ExitCode.FAILED))
        .contains("MalformedPolicyDocumentException");
    assertThat(cli.run("kms", "put-account-policy", "--policy", "[]").failsWith(ExitCode.FAILED))
        .contains("MalformedPolicyDocumentException");
    assertThat(cli.provider.getAccountPolicy()).isEqualTo(policy);
  }
}
