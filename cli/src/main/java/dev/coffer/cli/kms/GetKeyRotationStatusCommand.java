package dev.coffer.cli.kms;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.coffer.cli.CliContext;
import dev.coffer.cli.output.AwsJson;
import dev.coffer.kms.KeyManagement.KeyRotationStatus;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code coffer kms get-key-rotation-status}: {@code GetKeyRotationStatus}. */
@Command(
    name = "get-key-rotation-status",
    description = "Show whether a master key rotates automatically, how often and when next.",
    footer = {"", "Example:", "  coffer kms get-key-rotation-status --key-id alias/orders"})
final class GetKeyRotationStatusCommand extends KmsOperation {
  @Option(
      names = "--key-id",
      required = true,
      description = "Key id, key ARN, alias name or alias ARN.")
  String keyId;

  @Override
  JsonNode run(CliContext context) {
    KeyRotationStatus s = keys(context).getKeyRotationStatus(keyId);
    ObjectNode out =
        AwsJson.object()
            .put("KeyRotationEnabled", s.keyRotationEnabled())
            .put("KeyId", KmsArgs.keyArn(context.keyProvider(), s.keyId()));
    if (s.rotationPeriodInDays() > 0) {
      out.put("RotationPeriodInDays", s.rotationPeriodInDays());
    }
    if (s.nextRotationDate() != null) {
      out.put("NextRotationDate", AwsJson.timestamp(s.nextRotationDate()));
    }
    if (s.onDemandRotationStartDate() != null) {
      out.put("OnDemandRotationStartDate", AwsJson.timestamp(s.onDemandRotationStartDate()));
    }
    return out;
  }
}
