package dev.coffer.cli.kms;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coffer.cli.CliRun;
import dev.coffer.kms.KeyProviders;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The kms commands against a real {@code local:} keystore file, opened anew by every command, as
 * from a shell: keys, aliases, policies and states persist between runs; the secret comes from the
 * environment (a raw key, to skip the passphrase KDF, except where the passphrase is the point) or
 * the prompt, never from an argument.
 */
class LocalKeystoreTest {
  private final CliRun cli = new CliRun();
  @TempDir Path dir;
  private Path keystore;

  @BeforeEach
  void useALocalKeystore() {
    keystore = dir.resolve("keystore");
    cli.opener = KeyProviders::open;
    cli.env.put("COFFER_KEY_PROVIDER", "local:" + keystore + "?create");
    byte[] rawKey = new byte[32];
    new SecureRandom().nextBytes(rawKey);
    cli.env.put("COFFER_KEYSTORE_KEY", Base64.getEncoder().encodeToString(rawKey));
  }

  private void usePassphrase(String passphrase) {
    cli.env.remove("COFFER_KEYSTORE_KEY");
    cli.env.put("COFFER_KEYSTORE_PASSPHRASE", passphrase);
  }

  @Test
  void keysAliasesAndCiphertextsSurviveBetweenCommands() throws Exception {
    String keyId = cli.createKey("local key");
    assertThat(keystore).exists();
    cli.run("kms", "create-alias", "--alias-name", "alias/local", "--target-key-id", keyId).ok();
    Path secret = dir.resolve("secret.txt");
    Files.writeString(secret, "kept on disk");

    String blob =
        cli.run(
                "kms",
                "encrypt",
                "--key-id",
                "alias/local",
                "--plaintext",
                "fileb://" + secret,
                "--encryption-context",
                "purpose=test")
            .ok()
            .json()
            .get("CiphertextBlob")
            .asText();
    cli.run("kms", "rotate-key-on-demand", "--key-id", "alias/local").ok();
    String plain =
        cli.run(
                "kms",
                "decrypt",
                "--ciphertext-blob",
                blob,
                "--encryption-context",
                "purpose=test",
                "--query",
                "Plaintext",
                "--output",
                "text")
            .ok()
            .out()
            .strip();

    assertThat(new String(Base64.getDecoder().decode(plain), StandardCharsets.UTF_8))
        .isEqualTo("kept on disk");
    assertThat(
            cli.run("kms", "list-aliases", "--query", "Aliases[0].TargetKeyId", "--output", "text")
                .ok()
                .out())
        .isEqualTo(keyId + "\n");
    assertThat(new String(Files.readAllBytes(keystore), StandardCharsets.ISO_8859_1))
        .doesNotContain("local key")
        .doesNotContain("alias/local");
  }

  @Test
  void aPolicyGrantIsKeptAndBobCanThenDecrypt() {
    String keyId = cli.createKey("k");
    String blob =
        cli.run("kms", "encrypt", "--key-id", keyId, "--plaintext", "aGk=")
            .ok()
            .json()
            .get("CiphertextBlob")
            .asText();
    assertThat(
            cli.run("kms", "decrypt", "--ciphertext-blob", blob, "--principal", "bob").failsWith(1))
        .startsWith(
            "An error occurred (AccessDeniedException) when calling the Decrypt operation: User: "
                + "arn:aws:iam::111122223333:user/bob is not authorized to perform: kms:Decrypt");

    String policy =
        "{\"Statement\": [{\"Effect\": \"Allow\", \"Principal\": {\"AWS\":"
            + " \"arn:aws:iam::111122223333:root\"}, \"Action\": \"kms:*\", \"Resource\": \"*\"},"
            + " {\"Effect\": \"Allow\", \"Principal\": {\"AWS\": \"bob\"}, \"Action\":"
            + " \"kms:Decrypt\", \"Resource\": \"*\"}]}";
    String bobArn = policy.replace("\"bob\"", "\"arn:aws:iam::111122223333:user/bob\"");
    cli.run("kms", "put-key-policy", "--key-id", keyId, "--policy", bobArn).ok();

    assertThat(
            cli.run("kms", "decrypt", "--ciphertext-blob", blob, "--principal", "bob")
                .ok()
                .json()
                .get("Plaintext")
                .asText())
        .isEqualTo("aGk=");
  }

  @Test
  void scheduledDeletionAndItsCancellationPersist() {
    String keyId = cli.createKey("k");
    cli.run("kms", "schedule-key-deletion", "--key-id", keyId, "--pending-window-in-days", "7")
        .ok();
    assertThat(
            cli.run(
                    "kms",
                    "describe-key",
                    "--key-id",
                    keyId,
                    "--query",
                    "KeyMetadata.KeyState",
                    "--output",
                    "text")
                .ok()
                .out())
        .isEqualTo("PendingDeletion\n");

    cli.run("kms", "cancel-key-deletion", "--key-id", keyId).ok();
    assertThat(
            cli.run(
                    "kms",
                    "describe-key",
                    "--key-id",
                    keyId,
                    "--query",
                    "KeyMetadata.KeyState",
                    "--output",
                    "text")
                .ok()
                .out())
        .isEqualTo("Disabled\n");
  }

  @Test
  void aWrongPassphraseIsOneLineAndExitOne() {
    usePassphrase("correct horse battery staple");
    cli.createKey("k");
    usePassphrase("wrong");

    assertThat(cli.run("kms", "list-keys").failsWith(1))
        .isEqualTo(
            "An error occurred (InvalidKeystoreException) when calling the ListKeys operation:"
                + " Cannot open keystore "
                + keystore
                + ": the passphrase or key is wrong, or the file was modified.");
  }

  @Test
  void withoutASecretAndWithoutATerminalTheProviderSaysWhatToSet() {
    cli.env.remove("COFFER_KEYSTORE_KEY");

    assertThat(cli.run("kms", "list-keys").failsWith(1)).contains("COFFER_KEYSTORE_PASSPHRASE");
  }

  @Test
  void aPassphraseTypedAtThePromptOpensTheKeystore() {
    usePassphrase("correct horse battery staple");
    String keyId = cli.createKey("k");
    cli.env.remove("COFFER_KEYSTORE_PASSPHRASE");
    cli.prompt = p -> "correct horse battery staple".toCharArray();

    assertThat(
            cli.run("kms", "list-keys", "--query", "Keys[0].KeyId", "--output", "text").ok().out())
        .isEqualTo(keyId + "\n");
  }
}
