package dev.coffer.cli.kms;

import com.fasterxml.jackson.databind.JsonNode;
import dev.coffer.cli.CliContext;
import dev.coffer.cli.input.ParamFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code coffer kms put-key-policy}: {@code PutKeyPolicy}. The provider checks the document; a
 * malformed one, or one that would lock the caller out, changes nothing.
 */
@Command(
    name = "put-key-policy",
    description = "Replace a master key's policy. Prints nothing.",
    footer = {
      "",
      "Example:",
      "  coffer kms put-key-policy --key-id alias/orders --policy-name default \\",
      "      --policy file://policy.json"
    })
final class PutKeyPolicyCommand extends KmsOperation {
  @Option(
      names = "--key-id",
      required = true,
      description = "Key id, key ARN, alias name or alias ARN.")
  String keyId;

  @Option(
      names = "--policy",
      required = true,
      paramLabel = "JSON|file://PATH",
      description = "The policy document.")
  String policy;

  @Option(names = "--policy-name", description = "Always 'default' (the default).")
  String policyName = PolicyNames.DEFAULT;

  @Override
  JsonNode run(CliContext context) {
    PolicyNames.check(policyName, keyId, "kms:PutKeyPolicy");
    keys(context).putKeyPolicy(keyId, ParamFiles.text("--policy", policy));
    return null;
  }
}
