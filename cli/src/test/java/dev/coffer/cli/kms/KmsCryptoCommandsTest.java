package dev.coffer.cli.kms;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.coffer.cli.CliRun;
import dev.coffer.kms.EncryptionContext;
import dev.coffer.kms.SecretBytes;
import dev.coffer.kms.WrappedKey;
import dev.coffer.kms.memory.FaultInjector;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** encrypt, decrypt, re-encrypt and the data-key commands. */
class KmsCryptoCommandsTest {
  private final CliRun cli = new CliRun();
  @TempDir Path dir;
  private String keyId;
  private Path plaintext;

  @BeforeEach
  void setUp() throws Exception {
    keyId = cli.createKey("k");
    cli.run("kms", "create-alias", "--alias-name", "alias/k", "--target-key-id", keyId).ok();
    plaintext = dir.resolve("secret.txt");
    Files.writeString(plaintext, "attack at dawn");
  }

  @Test
  void encryptThenDecryptFromFilesRoundTrips() throws Exception {
    JsonNode enc =
        cli.run(
                "kms",
                "encrypt",
                "--key-id",
                "alias/k",
                "--plaintext",
                "fileb://" + plaintext,
                "--encryption-context",
                "app=orders,env=test")
            .ok()
            .json();
    assertThat(enc.get("KeyId").asText()).isEqualTo(arn(keyId));
    assertThat(enc.get("EncryptionAlgorithm").asText()).isEqualTo("SYMMETRIC_DEFAULT");
    Path blob = dir.resolve("secret.enc");
    Files.write(blob, Base64.getDecoder().decode(enc.get("CiphertextBlob").asText()));

    JsonNode dec =
        cli.run(
                "kms",
                "decrypt",
                "--ciphertext-blob",
                "fileb://" + blob,
                "--encryption-context",
                "{\"env\": \"test\", \"app\": \"orders\"}")
            .ok()
            .json();

    assertThat(dec.get("KeyId").asText()).isEqualTo(arn(keyId));
    assertThat(dec.get("EncryptionAlgorithm").asText()).isEqualTo("SYMMETRIC_DEFAULT");
    assertThat(
            new String(
                Base64.getDecoder().decode(dec.get("Plaintext").asText()), StandardCharsets.UTF_8))
        .isEqualTo("attack at dawn");
  }

  @Test
  void blobsAlsoTakeBase64AsTheAwsCliV2() {
    String b64 = Base64.getEncoder().encodeToString("hi".getBytes(StandardCharsets.UTF_8));
    String blob =
        cli.run("kms", "encrypt", "--key-id", keyId, "--plaintext", b64)
            .ok()
            .json()
            .get("CiphertextBlob")
            .asText();

    String out =
        cli.run(
                "kms",
                "decrypt",
                "--ciphertext-blob",
                blob,
                "--key-id",
                keyId,
                "--query",
                "Plaintext",
                "--output",
                "text")
            .ok()
            .out();

    assertThat(out).isEqualTo(b64 + "\n");
  }

  @Test
  void decryptUnderAnotherContextFailsWithInvalidCiphertext() {
    String blob = encrypt("app=orders");

    String line =
        cli.run("kms", "decrypt", "--ciphertext-blob", blob, "--encryption-context", "app=users")
            .failsWith(1);

    assertThat(line)
        .startsWith(
            "An error occurred (InvalidCiphertextException) when calling the Decrypt operation: ");
  }

  @Test
  void decryptWithTheWrongKeyIdFailsWithIncorrectKey() {
    String other = cli.createKey("other");
    String blob = encrypt(null);

    assertThat(cli.run("kms", "decrypt", "--ciphertext-blob", blob, "--key-id", other).failsWith(1))
        .startsWith(
            "An error occurred (IncorrectKeyException) when calling the Decrypt operation: ");
  }

  @Test
  void reEncryptWithTheSameContextUsesTheProvidersReEncrypt() {
    FaultInjector faults = FaultInjector.of(cli.provider); // counts calls from here on
    String dest = cli.createKey("dest");
    String blob = encrypt("app=orders");

    JsonNode re =
        cli.run(
                "kms",
                "re-encrypt",
                "--ciphertext-blob",
                blob,
                "--source-key-id",
                "alias/k",
                "--destination-key-id",
                dest,
                "--source-encryption-context",
                "app=orders",
                "--destination-encryption-context",
                "app=orders")
            .ok()
            .json();

    assertThat(re.get("SourceKeyId").asText()).isEqualTo(arn(keyId));
    assertThat(re.get("KeyId").asText()).isEqualTo(arn(dest));
    assertThat(re.get("SourceEncryptionAlgorithm").asText()).isEqualTo("SYMMETRIC_DEFAULT");
    assertThat(re.get("DestinationEncryptionAlgorithm").asText()).isEqualTo("SYMMETRIC_DEFAULT");
    assertThat(decrypt(re.get("CiphertextBlob").asText(), "app=orders"))
        .isEqualTo("attack at dawn");
    assertThat(faults.calls("kms:ReEncrypt")).isEqualTo(1);
  }

  @Test
  void reEncryptToAnotherContextDecryptsThenEncrypts() {
    String dest = cli.createKey("dest");
    String blob = encrypt("app=orders");

    JsonNode re =
        cli.run(
                "kms",
                "re-encrypt",
                "--ciphertext-blob",
                blob,
                "--destination-key-id",
                dest,
                "--source-encryption-context",
                "app=orders",
                "--destination-encryption-context",
                "app=archive")
            .ok()
            .json();

    assertThat(re.get("SourceKeyId").asText()).isEqualTo(arn(keyId));
    assertThat(re.get("KeyId").asText()).isEqualTo(arn(dest));
    assertThat(decrypt(re.get("CiphertextBlob").asText(), "app=archive"))
        .isEqualTo("attack at dawn");
    assertThat(
            cli.run(
                    "kms",
                    "decrypt",
                    "--ciphertext-blob",
                    re.get("CiphertextBlob").asText(),
                    "--encryption-context",
                    "app=orders")
                .failsWith(1))
        .contains("InvalidCiphertextException");
  }

  @Test
  void reEncryptAfterRotationMovesTheBlobToTheNewVersion() {
    String blob = encrypt(null);
    cli.run("kms", "rotate-key-on-demand", "--key-id", keyId).ok();

    JsonNode re =
        cli.run(
                "kms",
                "re-encrypt",
                "--ciphertext-blob",
                blob,
                "--source-key-id",
                keyId,
                "--destination-key-id",
                keyId)
            .ok()
            .json();

    assertThat(re.get("CiphertextBlob").asText()).isNotEqualTo(blob);
    assertThat(decrypt(re.get("CiphertextBlob").asText(), null)).isEqualTo("attack at dawn");
  }

  @Test
  void generateDataKeyPrintsAPlaintextThatTheBlobUnwrapsTo() {
    JsonNode dk =
        cli.run(
                "kms",
                "generate-data-key",
                "--key-id",
                "alias/k",
                "--key-spec",
                "AES_256",
                "--encryption-context",
                "table=users")
            .ok()
            .json();

    byte[] plain = Base64.getDecoder().decode(dk.get("Plaintext").asText());
    assertThat(plain).hasSize(32);
    assertThat(dk.get("KeyId").asText()).isEqualTo(arn(keyId));
    WrappedKey wrapped =
        WrappedKey.of(keyId, Base64.getDecoder().decode(dk.get("CiphertextBlob").asText()));
    try (SecretBytes back = cli.provider.decrypt(wrapped, EncryptionContext.of("table", "users"))) {
      assertThat(back.copyBytes()).isEqualTo(plain);
    }
  }

  @Test
  void generateDataKeyHonoursOtherLengths() {
    JsonNode aes128 =
        cli.run("kms", "generate-data-key", "--key-id", keyId, "--key-spec", "AES_128").ok().json();
    assertThat(Base64.getDecoder().decode(aes128.get("Plaintext").asText())).hasSize(16);

    JsonNode n =
        cli.run("kms", "generate-data-key", "--key-id", keyId, "--number-of-bytes", "64")
            .ok()
            .json();
    byte[] plain = Base64.getDecoder().decode(n.get("Plaintext").asText());
    assertThat(plain).hasSize(64);
    assertThat(Base64.getDecoder().decode(decryptToBase64(n.get("CiphertextBlob").asText())))
        .isEqualTo(plain);
  }

  @Test
  void generateDataKeyWithoutPlaintextPrintsNoPlaintext() {
    JsonNode dk =
        cli.run(
                "kms",
                "generate-data-key-without-plaintext",
                "--key-id",
                keyId,
                "--key-spec",
                "AES_256",
                "--encryption-context",
                "table=users")
            .ok()
            .json();

    assertThat(dk.has("Plaintext")).isFalse();
    assertThat(dk.get("KeyId").asText()).isEqualTo(arn(keyId));
    String plainB64 =
        cli.run(
                "kms",
                "decrypt",
                "--ciphertext-blob",
                dk.get("CiphertextBlob").asText(),
                "--encryption-context",
                "table=users",
                "--query",
                "Plaintext",
                "--output",
                "text")
            .ok()
            .out()
            .strip();
    assertThat(Base64.getDecoder().decode(plainB64)).hasSize(32);

    JsonNode small =
        cli.run(
                "kms",
                "generate-data-key-without-plaintext",
                "--key-id",
                keyId,
                "--number-of-bytes",
                "8")
            .ok()
            .json();
    assertThat(Base64.getDecoder().decode(decryptToBase64(small.get("CiphertextBlob").asText())))
        .hasSize(8);
  }

  @Test
  void theMasterKeyOptionOrVariableStandsInForKeyId() {
    cli.env.put("COFFER_MASTER_KEY", "alias/k");
    assertThat(
            cli.run("kms", "generate-data-key", "--key-spec", "AES_256")
                .ok()
                .json()
                .get("KeyId")
                .asText())
        .isEqualTo(arn(keyId));

    String other = cli.createKey("other");
    assertThat(
            cli.run("kms", "encrypt", "--master-key", other, "--plaintext", "aGk=")
                .ok()
                .json()
                .get("KeyId")
                .asText())
        .isEqualTo(arn(other));
  }

  private String encrypt(String context) {
    return context == null
        ? cli.run("kms", "encrypt", "--key-id", keyId, "--plaintext", "fileb://" + plaintext)
            .ok()
            .json()
            .get("CiphertextBlob")
            .asText()
        : cli.run(
                "kms",
                "encrypt",
                "--key-id",
                keyId,
                "--plaintext",
                "fileb://" + plaintext,
                "--encryption-context",
                context)
            .ok()
            .json()
            .get("CiphertextBlob")
            .asText();
  }

  private String decrypt(String blob, String context) {
    return new String(
        Base64.getDecoder()
            .decode(
                context == null
                    ? decryptToBase64(blob)
                    : cli.run(
                            "kms",
                            "decrypt",
                            "--ciphertext-blob",
                            blob,
                            "--encryption-context",
                            context)
                        .ok()
                        .json()
                        .get("Plaintext")
                        .asText()),
        StandardCharsets.UTF_8);
  }

  private String decryptToBase64(String blob) {
    return cli.run("kms", "decrypt", "--ciphertext-blob", blob)
        .ok()
        .json()
        .get("Plaintext")
        .asText();
  }

  private static String arn(String keyId) {
    return "arn:aws:kms:us-east-1:111122223333:key/" + keyId;
  }
}
