package dev.coffer.cli.kms;

import com.fasterxml.jackson.databind.JsonNode;
import dev.coffer.cli.CliContext;
import dev.coffer.cli.input.ParamFiles;
import dev.coffer.cli.input.UserJson;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code coffer kms put-account-policy}: replaces the keystore's account policy (Coffer-specific;
 * AWS KMS has no such operation, IAM identity policies play its part there). The document must be
 * strict JSON ({@link UserJson}: bad usage otherwise, nothing changed); the provider then checks it
 * as a policy ({@code MalformedPolicyDocumentException}) and that the caller is the account root or
 * the keystore's owner ({@code AccessDeniedException}). The document is kept as given.
 */
@Command(
    name = "put-account-policy",
    description = {
      "Replace the account policy of a local: or memory: keystore. Prints nothing.",
      "Coffer-specific (no 'aws kms' command): the account policy is Coffer's stand-in for"
          + " the IAM identity policies of an AWS account. It decides who besides the account"
          + " root and the keystore's owner may call the account-level actions (kms:CreateKey,"
          + " kms:ListKeys, kms:ListAliases, kms:GenerateRandom, and the alias side of"
          + " kms:CreateAlias, kms:UpdateAlias, kms:DeleteAlias), and grants key actions that a"
          + " key policy grants to the whole account. Only the account root and the keystore's"
          + " owner may replace it. Statements name their Principal; Resource is \"*\" or key"
          + " and alias ARNs (wildcards allowed)."
    },
    footer = {
      "",
      "Example (let bob create keys and list aliases):",
      "  coffer kms put-account-policy --policy '{\"Version\": \"2012-10-17\",",
      "      \"Statement\": [{\"Effect\": \"Allow\",",
      "      \"Principal\": {\"AWS\": \"arn:aws:iam::111122223333:user/bob\"},",
      "      \"Action\": [\"kms:CreateKey\", \"kms:ListAliases\"], \"Resource\": \"*\"}]}'",
      "  coffer kms put-account-policy --policy file://account-policy.json"
    })
final class PutAccountPolicyCommand extends KmsOperation {
  @Option(
      names = "--policy",
      required = true,
      paramLabel = "JSON|file://PATH",
      description = "The account policy document; it replaces the whole previous one.")
  String policy;

  @Override
  protected JsonNode run(CliContext context) {
    String text = ParamFiles.text("--policy", policy);
    UserJson.parameter("--policy", policy, text);
    managedKeys(context).putAccountPolicy(text);
    return null;
  }
}
