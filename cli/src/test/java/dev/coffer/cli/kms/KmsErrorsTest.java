package dev.coffer.cli.kms;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coffer.cli.CliRun;
import dev.coffer.kms.DataKey;
import dev.coffer.kms.EncryptionContext;
import dev.coffer.kms.KeyDescription;
import dev.coffer.kms.KeyProvider;
import dev.coffer.kms.KeyState;
import dev.coffer.kms.SecretBytes;
import dev.coffer.kms.WrappedKey;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every failure prints exactly one line on stderr and nothing on stdout: usage errors exit 2,
 * failed operations exit 1 with the AWS CLI's line, and nothing changes.
 */
class KmsErrorsTest {
  private final CliRun cli = new CliRun();

  @Test
  void missingKeyIdIsUsage() {
    assertThat(cli.run("kms", "describe-key").failsWith(2))
        .isEqualTo(
            "coffer kms describe-key: error: Missing required option: '--key-id=<keyId>'"
                + " (see 'coffer kms describe-key --help')");
  }

  @Test
  void missingKeyIdWithoutMasterKeyIsUsage() {
    assertThat(cli.run("kms", "encrypt", "--plaintext", "aGk=").failsWith(2))
        .contains(
            "Missing required option: '--key-id=<keyId>' (or set --master-key or"
                + " COFFER_MASTER_KEY)");
  }

  @Test
  void aPendingWindowOutOfRangeIsRejectedByTheProviderAndChangesNothing() {
    String keyId = cli.createKey("k");

    assertThat(
            cli.run(
                    "kms",
                    "schedule-key-deletion",
                    "--key-id",
                    keyId,
                    "--pending-window-in-days",
                    "3")
                .failsWith(1))
        .isEqualTo(
            "An error occurred (ValidationException) when calling the ScheduleKeyDeletion"
                + " operation: 1 validation error detected: Value '3' at 'pendingWindowInDays'"
                + " failed to satisfy constraint: Member must have value between 7 and 30");
    assertThat(cli.provider.describeKey(keyId).state()).isEqualTo(KeyState.ENABLED);
  }

  @Test
  void aPendingWindowThatIsNotANumberIsUsage() {
    String keyId = cli.createKey("k");

    assertThat(
            cli.run(
                    "kms",
                    "schedule-key-deletion",
                    "--key-id",
                    keyId,
                    "--pending-window-in-days",
                    "seven")
                .failsWith(2))
        .contains("Invalid value for option '--pending-window-in-days': 'seven' is not an int");
    assertThat(cli.provider.describeKey(keyId).state()).isEqualTo(KeyState.ENABLED);
  }

  @Test
  void anUnknownKeyIsNotFound() {
    assertThat(
            cli.run("kms", "describe-key", "--key-id", "1234abcd-12ab-34cd-56ef-1234567890ab")
                .failsWith(1))
        .isEqualTo(
            "An error occurred (NotFoundException) when calling the DescribeKey operation: Key"
                + " 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab'"
                + " does not exist");
    assertThat(cli.run("kms", "enable-key", "--key-id", "alias/nope").failsWith(1))
        .isEqualTo(
            "An error occurred (NotFoundException) when calling the EnableKey operation: "
                + "Alias arn:aws:kms:us-east-1:111122223333:alias/nope is not found.");
  }

  @Test
  void aPolicyThatIsNotJsonIsRejectedAndChangesNothing() {
    String keyId = cli.createKey("k");
    String before = cli.provider.getKeyPolicy(keyId);

    String line =
        cli.run("kms", "put-key-policy", "--key-id", keyId, "--policy", "{\"Statement\": [")
            .failsWith(1);

    assertThat(line)
        .startsWith(
            "An error occurred (MalformedPolicyDocumentException) when calling the PutKeyPolicy"
                + " operation: The key policy is not valid JSON");
    assertThat(cli.provider.getKeyPolicy(keyId)).isEqualTo(before);
  }

  @Test
  void aPolicyThatWouldLockTheCallerOutIsRejected() {
    String keyId = cli.createKey("k");
    String before = cli.provider.getKeyPolicy(keyId);

    String line =
        cli.run(
                "kms",
                "put-key-policy",
                "--key-id",
                keyId,
                "--policy",
                KmsKeyCommandsTest.policyAllowing("arn:aws:iam::111122223333:user/bob", "kms:*"))
            .failsWith(1);

    assertThat(line)
        .contains("MalformedPolicyDocumentException")
        .contains("will not allow you to update the key policy");
    assertThat(cli.provider.getKeyPolicy(keyId)).isEqualTo(before);
  }

  @Test
  void anUnknownPolicyNameIsNotFound() {
    String keyId = cli.createKey("k");
    assertThat(
            cli.run("kms", "get-key-policy", "--key-id", keyId, "--policy-name", "other")
                .failsWith(1))
        .startsWith(
            "An error occurred (NotFoundException) when calling the GetKeyPolicy operation: ");
  }

  @Test
  void accessDeniedIsTheAwsCliLine() {
    String keyId = cli.createKey("k");
    String blob =
        cli.run("kms", "encrypt", "--key-id", keyId, "--plaintext", "aGk=")
            .ok()
            .json()
            .get("CiphertextBlob")
            .asText();

    String line =
        cli.run("kms", "decrypt", "--ciphertext-blob", blob, "--principal", "bob").failsWith(1);

    assertThat(line)
        .isEqualTo(
            "An error occurred (AccessDeniedException) when calling the Decrypt operation: User:"
                + " arn:aws:iam::111122223333:user/bob is not authorized to perform: kms:Decrypt on"
                + " resource: arn:aws:kms:us-east-1:111122223333:key/"
                + keyId
                + " because no resource-based policy allows the kms:Decrypt action");
  }

  @Test
  void bobMayNotGenerateDataKeysUnderAKeyThatDoesNotAllowHim() {
    String keyId = cli.createKey("k");

    assertThat(
            cli.run(
                    "kms",
                    "generate-data-key",
                    "--key-id",
                    keyId,
                    "--key-spec",
                    "AES_256",
                    "--principal",
                    "bob")
                .failsWith(1))
        .startsWith(
            "An error occurred (AccessDeniedException) when calling the GenerateDataKey operation:"
                + " User: arn:aws:iam::111122223333:user/bob is not authorized to perform:"
                + " kms:GenerateDataKey");
  }

  @Test
  void thePrincipalComesFromTheEnvironmentAndTheOptionWins() {
    String keyId = cli.createKey("k");
    cli.env.put("COFFER_PRINCIPAL", "bob");

    assertThat(cli.run("kms", "describe-key", "--key-id", keyId).failsWith(1))
        .contains("user/bob is not authorized");
    cli.run("kms", "describe-key", "--key-id", keyId, "--principal", "root").ok();
  }

  @Test
  void aDisabledKeyCannotEncryptOrDecrypt() {
    String keyId = cli.createKey("k");
    String blob =
        cli.run("kms", "encrypt", "--key-id", keyId, "--plaintext", "aGk=")
            .ok()
            .json()
            .get("CiphertextBlob")
            .asText();
    cli.run("kms", "disable-key", "--key-id", keyId).ok();

    assertThat(cli.run("kms", "encrypt", "--key-id", keyId, "--plaintext", "aGk=").failsWith(1))
        .startsWith("An error occurred (DisabledException) when calling the Encrypt operation: ");
    assertThat(
            cli.run("kms", "generate-data-key", "--key-id", keyId, "--key-spec", "AES_256")
                .failsWith(1))
        .startsWith(
            "An error occurred (DisabledException) when calling the GenerateDataKey operation: ");

    assertThat(cli.run("kms", "decrypt", "--ciphertext-blob", blob).failsWith(1))
        .isEqualTo(
            "An error occurred (DisabledException) when calling the Decrypt operation: "
                + "arn:aws:kms:us-east-1:111122223333:key/"
                + keyId
                + " is disabled.");
  }

  @Test
  void aMissingParamFileIsUsage(@TempDir Path dir) {
    Path missing = dir.resolve("nope.bin");
    assertThat(cli.run("kms", "decrypt", "--ciphertext-blob", "fileb://" + missing).failsWith(2))
        .isEqualTo(
            "Error parsing parameter '--ciphertext-blob': Unable to load paramfile fileb://"
                + missing
                + ": No such file or directory: '"
                + missing
                + "'");
  }

  @Test
  void badBase64AndBadContextsAreUsage() {
    String keyId = cli.createKey("k");
    assertThat(cli.run("kms", "encrypt", "--key-id", keyId, "--plaintext", "hello!").failsWith(2))
        .startsWith("Error parsing parameter '--plaintext': Invalid base64: \"hello!\"");
    assertThat(
            cli.run(
                    "kms",
                    "encrypt",
                    "--key-id",
                    keyId,
                    "--plaintext",
                    "aGk=",
                    "--encryption-context",
                    "app")
                .failsWith(2))
        .startsWith(
            "Error parsing parameter '--encryption-context': Expected: 'key=value', received:"
                + " 'app'");
    assertThat(
            cli.run(
                    "kms",
                    "encrypt",
                    "--key-id",
                    keyId,
                    "--plaintext",
                    "aGk=",
                    "--encryption-context",
                    "{\"a\":")
                .failsWith(2))
        .startsWith("Error parsing parameter '--encryption-context': Invalid JSON");
  }

  @Test
  void dataKeyLengthsAreCheckedAsKmsChecksThem() {
    String keyId = cli.createKey("k");
    assertThat(cli.run("kms", "generate-data-key", "--key-id", keyId).failsWith(2))
        .contains("Specify either --key-spec (AES_256 or AES_128) or --number-of-bytes");
    assertThat(
            cli.run("kms", "generate-data-key", "--key-id", keyId, "--key-spec", "AES_512")
                .failsWith(2))
        .contains("Invalid value for --key-spec: 'AES_512'");
    assertThat(
            cli.run("kms", "generate-data-key", "--key-id", keyId, "--number-of-bytes", "2048")
                .failsWith(1))
        .startsWith(
            "An error occurred (ValidationException) when calling the GenerateDataKey operation: ");
  }

  @Test
  void noKeyProviderIsUsage() {
    cli.env.clear();
    assertThat(cli.run("kms", "list-keys").failsWith(2))
        .startsWith("No key provider: pass --key-provider URI");
  }

  @Test
  void unknownCommandsAndOptionsAreUsage() {
    assertThat(cli.run("kms", "frobnicate").failsWith(2))
        .startsWith("coffer kms: error: Unmatched argument");
    assertThat(cli.run("kms", "list-keys", "--bogus").failsWith(2))
        .contains("Unknown option: '--bogus'");
    assertThat(cli.run("kms").failsWith(2)).contains("Missing required subcommand");
  }

  @Test
  void stackTracesOnlyWithDebug() {
    String quiet = cli.run("kms", "describe-key", "--key-id", "alias/nope").err();
    String loud = cli.run("kms", "describe-key", "--key-id", "alias/nope", "--debug").err();

    assertThat(quiet).doesNotContain("\tat ");
    assertThat(loud)
        .contains("dev.coffer.kms.NotFoundException")
        .contains("\tat ")
        .endsWith(
            "An error occurred (NotFoundException) when calling the DescribeKey operation: "
                + "Alias arn:aws:kms:us-east-1:111122223333:alias/nope is not found."
                + System.lineSeparator());
  }

  @Test
  void aProviderThatDoesNotManageKeysSaysSo() {
    String keyId = cli.createKey("k");
    cli.opener = (uri, context) -> new SpiOnly(cli.provider);

    assertThat(cli.run("kms", "create-key").failsWith(1))
        .isEqualTo(
            "An error occurred (UnsupportedOperationException) when calling the CreateKey"
                + " operation: The memory: key provider does not support CreateKey: it does not"
                + " manage keys itself (only local: and memory: do). Use the key service's own"
                + " tools for this operation.");
    cli.run("kms", "describe-key", "--key-id", keyId).ok();
    cli.run("kms", "generate-data-key", "--key-id", keyId, "--key-spec", "AES_256").ok();
    cli.run("kms", "generate-data-key", "--key-id", keyId, "--number-of-bytes", "16").ok();
    String blob =
        cli.run("kms", "encrypt", "--key-id", keyId, "--plaintext", "aGk=")
            .ok()
            .json()
            .get("CiphertextBlob")
            .asText();
    assertThat(
            cli.run("kms", "decrypt", "--ciphertext-blob", blob, "--key-id", keyId)
                .ok()
                .json()
                .get("Plaintext")
                .asText())
        .isEqualTo("aGk=");
    assertThat(cli.run("kms", "decrypt", "--ciphertext-blob", blob).failsWith(1))
        .contains("(UnsupportedOperationException) when calling the Decrypt operation");
  }

  /** A provider with only the SPI, as the AWS one. */
  private static final class SpiOnly implements KeyProvider {
    private final KeyProvider delegate;

    SpiOnly(KeyProvider delegate) {
      this.delegate = delegate;
    }

    @Override
    public String scheme() {
      return delegate.scheme();
    }

    @Override
    public String principal() {
      return delegate.principal();
    }

    @Override
    public DataKey generateDataKey(String keyId, EncryptionContext context) {
      return delegate.generateDataKey(keyId, context);
    }

    @Override
    public WrappedKey encrypt(String keyId, SecretBytes plaintext, EncryptionContext context) {
      return delegate.encrypt(keyId, plaintext, context);
    }

    @Override
    public SecretBytes decrypt(WrappedKey wrapped, EncryptionContext context) {
      return delegate.decrypt(wrapped, context);
    }

    @Override
    public WrappedKey reEncrypt(
        WrappedKey wrapped, EncryptionContext context, String destinationKeyId) {
      return delegate.reEncrypt(wrapped, context, destinationKeyId);
    }

    @Override
    public KeyDescription describeKey(String keyId) {
      return delegate.describeKey(keyId);
    }

    @Override
    public void close() {}
  }
}
