package dev.coffer.cli.kms;

import dev.coffer.cli.CliContext;
import dev.coffer.cli.CliInputException;
import dev.coffer.cli.input.Shorthand;
import dev.coffer.kms.EncryptionContext;
import dev.coffer.kms.KeyProvider;
import java.util.Optional;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/** Parameter helpers shared by the {@code kms} commands. */
final class KmsArgs {
  private KmsArgs() {}

  /** An encryption context from shorthand or JSON; empty when {@code value} is null. */
  static EncryptionContext context(String option, String value) {
    if (value == null) {
      return EncryptionContext.empty();
    }
    try {
      return EncryptionContext.of(Shorthand.stringMap(option, value));
    } catch (IllegalArgumentException e) {
      throw CliInputException.parameter(option, e.getMessage());
    }
  }

  /**
   * {@code --key-id} when given, else {@code --master-key} / {@code COFFER_MASTER_KEY}, else the
   * key the provider's URI names.
   *
   * @throws ParameterException (bad usage) when there is none
   */
  static String keyIdOrDefault(String keyId, CliContext context, CommandSpec spec) {
    if (keyId != null) {
      return keyId;
    }
    if (context.masterKey() != null) {
      return context.masterKey();
    }
    Optional<String> fromUri = context.keyProvider().defaultKeyId();
    if (fromUri.isPresent()) {
      return fromUri.get();
    }
    throw new ParameterException(
        spec.commandLine(),
        "Missing required option: '--key-id=<keyId>' (or set --master-key or COFFER_MASTER_KEY)");
  }

  /**
   * The key ARN of {@code keyRef}: itself when it is one, else as {@code DescribeKey} reports it.
   */
  static String keyArn(KeyProvider provider, String keyRef) {
    return keyRef.startsWith("arn:") && keyRef.contains(":key/")
        ? keyRef
        : provider.describeKey(keyRef).arn();
  }
}
