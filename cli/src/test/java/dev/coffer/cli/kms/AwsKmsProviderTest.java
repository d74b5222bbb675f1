package dev.coffer.cli.kms;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coffer.cli.CliRun;
import dev.coffer.kms.KeyManagement.CreateKeyRequest;
import dev.coffer.kms.KeyProviders;
import dev.coffer.kms.endpoint.KmsEndpoint;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The kms commands against {@code aws-kms:}, a provider with only the SPI, talking to the
 * KMS-compatible endpoint: what the SPI covers works; the administrative commands say clearly that
 * this provider does not manage keys.
 */
class AwsKmsProviderTest {
  private final CliRun cli = new CliRun();
  private KmsEndpoint endpoint;
  private String keyArn;

  @BeforeEach
  void startEndpoint() {
    endpoint =
        KmsEndpoint.builder()
            .keys(cli.provider)
            .credentials("AKIAROOT", "root-secret", "root")
            .start();
    keyArn = cli.provider.createKey(CreateKeyRequest.withDescription("in KMS")).arn();
    cli.opener = KeyProviders::open;
    cli.env.put("COFFER_KEY_PROVIDER", "aws-kms:" + keyArn);
    cli.env.put("COFFER_KMS_ENDPOINT", endpoint.endpointUri().toString());
    cli.env.put("AWS_ACCESS_KEY_ID", "AKIAROOT");
    cli.env.put("AWS_SECRET_ACCESS_KEY", "root-secret");
  }

  @AfterEach
  void stopEndpoint() {
    endpoint.close();
  }

  @Test
  void describeEncryptDecryptAndDataKeysWork() {
    assertThat(
            cli.run("kms", "describe-key", "--key-id", keyArn)
                .ok()
                .json()
                .at("/KeyMetadata/Description")
                .asText())
        .isEqualTo("in KMS");

    String blob =
        cli.run("kms", "encrypt", "--plaintext", "aGk=", "--encryption-context", "a=b")
            .ok()
            .json()
            .get("CiphertextBlob")
            .asText();
    assertThat(
            cli.run(
                    "kms",
                    "decrypt",
                    "--ciphertext-blob",
                    blob,
                    "--key-id",
                    keyArn,
                    "--encryption-context",
                    "a=b")
                .ok()
                .json()
                .get("Plaintext")
                .asText())
        .isEqualTo("aGk=");
    assertThat(
            cli.run("kms", "generate-data-key", "--key-spec", "AES_256")
                .ok()
                .json()
                .get("KeyId")
                .asText())
        .isEqualTo(keyArn);
  }

  @Test
  void administrativeCommandsSayTheProviderDoesNotManageKeys() {
    assertThat(cli.run("kms", "create-key").failsWith(1))
        .isEqualTo(
            "An error occurred (UnsupportedOperationException) when calling the CreateKey"
                + " operation: The aws-kms: key provider does not support CreateKey: it does not"
                + " manage keys itself (only local: and memory: do). Use the key service's own"
                + " tools for this operation.");
    assertThat(cli.run("kms", "schedule-key-deletion", "--key-id", keyArn).failsWith(1))
        .contains("does not support ScheduleKeyDeletion");
  }

  @Test
  void theAccountPolicyCommandsPointToIam() {
    assertThat(cli.run("kms", "get-account-policy").failsWith(1))
        .isEqualTo(
            "An error occurred (UnsupportedOperationException) when calling the GetAccountPolicy"
                + " operation: The aws-kms: key provider does not support GetAccountPolicy: it has no"
                + " account policy (only local: and memory: keystores have one; on AWS, IAM identity"
                + " policies play its part: manage them with IAM's tools).");
    assertThat(cli.run("kms", "put-account-policy", "--policy", "{\"Statement\": []}").failsWith(1))
        .contains("does not support PutAccountPolicy");
  }
}
