package dev.coffer.cli.kms;

import com.fasterxml.jackson.databind.JsonNode;
import dev.coffer.cli.CliContext;
import dev.coffer.cli.output.AwsJson;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code coffer kms rotate-key-on-demand}: {@code RotateKeyOnDemand}. */
@Command(
    name = "rotate-key-on-demand",
    description =
        "Add a new version of a master key's material now; old ciphertexts still decrypt.",
    footer = {"", "Example:", "  coffer kms rotate-key-on-demand --key-id alias/orders"})
final class RotateKeyOnDemandCommand extends KmsOperation {
  @Option(
      names = "--key-id",
      required = true,
      description = "Key id, key ARN, alias name or alias ARN.")
  String keyId;

  @Override
  JsonNode run(CliContext context) {
    return AwsJson.object().put("KeyId", keys(context).rotateKeyOnDemand(keyId));
  }
}
