package dev.coffer.cli.kms;

import com.fasterxml.jackson.databind.JsonNode;
import dev.coffer.cli.CliContext;
import dev.coffer.cli.input.ParamFiles;
import dev.coffer.cli.input.Shorthand;
import dev.coffer.kms.KeyManagement.CreateKeyRequest;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code coffer kms create-key}: {@code CreateKey}, a symmetric AES-256 master key. */
@Command(
    name = "create-key",
    description = "Create a symmetric (AES-256) master key. Prints its KeyMetadata.",
    footer = {
      "",
      "Examples:",
      "  coffer kms create-key --description \"orders master key\"",
      "  coffer kms create-key --policy file://policy.json \\",
      "      --tags TagKey=team,TagValue=payments"
    })
final class CreateKeyCommand extends KmsOperation {
  @Option(names = "--description", description = "A description of the key.")
  String description;

  @Option(
      names = "--policy",
      paramLabel = "JSON|file://PATH",
      description = "Key policy; by default the creator and the account root may do everything.")
  String policy;

  @Option(
      names = "--tags",
      arity = "1..*",
      paramLabel = "TagKey=K,TagValue=V",
      description = "Tags, as TagKey=K,TagValue=V items or a JSON list.")
  List<String> tags = List.of();

  @Override
  JsonNode run(CliContext context) {
    String policyText = policy == null ? null : ParamFiles.text("--policy", policy);
    CreateKeyRequest request =
        new CreateKeyRequest(description, policyText, Shorthand.tags("--tags", tags));
    return KmsShapes.keyMetadataResponse(keys(context).createKey(request));
  }
}
