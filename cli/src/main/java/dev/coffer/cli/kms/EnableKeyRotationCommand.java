package dev.coffer.cli.kms;

import com.fasterxml.jackson.databind.JsonNode;
import dev.coffer.cli.CliContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code coffer kms enable-key-rotation}: {@code EnableKeyRotation}. Prints nothing. */
@Command(
    name = "enable-key-rotation",
    description =
        "Rotate a master key automatically every 90 to 2560 days (default 365). Prints nothing.",
    footer = {
      "",
      "Example:",
      "  coffer kms enable-key-rotation --key-id alias/orders \\",
      "      --rotation-period-in-days 180"
    })
final class EnableKeyRotationCommand extends KmsOperation {
  @Option(
      names = "--key-id",
      required = true,
      description = "Key id, key ARN, alias name or alias ARN.")
  String keyId;

  @Option(
      names = "--rotation-period-in-days",
      paramLabel = "90..2560",
      description = "Days between rotations (default 365).")
  int rotationPeriodInDays = 365;

  @Override
  JsonNode run(CliContext context) {
    keys(context).enableKeyRotation(keyId, rotationPeriodInDays);
    return null;
  }
}
