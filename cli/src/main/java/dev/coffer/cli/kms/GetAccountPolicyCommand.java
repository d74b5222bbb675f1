package dev.coffer.cli.kms;

import com.fasterxml.jackson.databind.JsonNode;
import dev.coffer.cli.CliContext;
import dev.coffer.cli.output.AwsJson;
import picocli.CommandLine.Command;

/**
 * {@code coffer kms get-account-policy}: prints the keystore's account policy (Coffer-specific; on
 * AWS, IAM identity policies play its part). Only the account root and the keystore's owner may
 * read it ({@code AccessDeniedException} otherwise).
 */
@Command(
    name = "get-account-policy",
    description = {
      "Print the account policy of a local: or memory: keystore (a JSON document, as a string in"
          + " the Policy field; empty when none was set).",
      "Coffer-specific (no 'aws kms' command): the account policy is Coffer's stand-in for the"
          + " IAM identity policies of an AWS account (see put-account-policy). Only the account"
          + " root and the keystore's owner may read it."
    },
    footer = {
      "",
      "Example:",
      "  coffer kms get-account-policy --query Policy --output text \\",
      "      > account-policy.json"
    })
final class GetAccountPolicyCommand extends KmsOperation {
  @Override
  protected JsonNode run(CliContext context) {
    return AwsJson.object().put("Policy", managedKeys(context).getAccountPolicy());
  }
}
