package dev.coffer.cli.kms;

import com.fasterxml.jackson.databind.JsonNode;
import dev.coffer.cli.CliContext;
import dev.coffer.cli.output.AwsJson;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code coffer kms get-key-policy}: {@code GetKeyPolicy}. */
@Command(
    name = "get-key-policy",
    description = "Print a master key's policy (a JSON document, as a string in the Policy field).",
    footer = {
      "",
      "Example:",
      "  coffer kms get-key-policy --key-id alias/orders --policy-name default \\",
      "      --query Policy --output text > policy.json"
    })
final class GetKeyPolicyCommand extends KmsOperation {
  @Option(
      names = "--key-id",
      required = true,
      description = "Key id, key ARN, alias name or alias ARN.")
  String keyId;

  @Option(names = "--policy-name", description = "Always 'default' (the default).")
  String policyName = PolicyNames.DEFAULT;

  @Override
  JsonNode run(CliContext context) {
    PolicyNames.check(policyName, keyId, "kms:GetKeyPolicy");
    return AwsJson.object()
        .put("Policy", keys(context).getKeyPolicy(keyId))
        .put("PolicyName", policyName);
  }
}
