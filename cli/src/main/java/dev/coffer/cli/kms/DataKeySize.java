package dev.coffer.cli.kms;

import dev.coffer.cli.input.Excerpt;
import dev.coffer.kms.KmsValidationException;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/**
 * The length of a data key from {@code --key-spec} or {@code --number-of-bytes}, exactly one of
 * which must be given, as in KMS.
 */
final class DataKeySize {
  /** The length the provider's {@code GenerateDataKey} makes. */
  static final int AES_256_BYTES = 32;

  private DataKeySize() {}

  /**
   * @throws ParameterException (bad usage) when both or neither are given, or the key spec is
   *     unknown
   * @throws KmsValidationException when the number of bytes is outside 1..1024, as KMS says it
   */
  static int bytes(String keySpec, Integer numberOfBytes, CommandSpec spec) {
    if ((keySpec == null) == (numberOfBytes == null)) {
      throw new ParameterException(
          spec.commandLine(),
          "Specify either --key-spec (AES_256 or AES_128) or --number-of-bytes, not both");
    }
    if (keySpec != null) {
      return switch (keySpec) {
        case "AES_256" -> 32;
        case "AES_128" -> 16;
        default ->
            throw new ParameterException(
                spec.commandLine(),
                "Invalid value for --key-spec: '"
                    + Excerpt.of(keySpec)
                    + "' (expected AES_256 or AES_128)");
      };
    }
    if (numberOfBytes < 1 || numberOfBytes > 1024) {
      throw new KmsValidationException(
          "1 validation error detected: Value '"
              + numberOfBytes
              + "' at 'numberOfBytes' failed to satisfy constraint: Member must have value between"
              + " 1 and 1024",
          null,
          "kms:GenerateDataKey");
    }
    return numberOfBytes;
  }
}
