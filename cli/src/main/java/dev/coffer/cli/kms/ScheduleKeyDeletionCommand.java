package dev.coffer.cli.kms;

import com.fasterxml.jackson.databind.JsonNode;
import dev.coffer.cli.CliContext;
import dev.coffer.cli.output.AwsJson;
import dev.coffer.kms.KeyDescription;
import dev.coffer.kms.KeyManagement;
import java.time.Instant;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code coffer kms schedule-key-deletion}: {@code ScheduleKeyDeletion}. */
@Command(
    name = "schedule-key-deletion",
    description =
        "Delete a master key after a waiting period of 7 to 30 days (default 30);"
            + " cancel-key-deletion undoes it.",
    footer = {
      "",
      "Example:",
      "  coffer kms schedule-key-deletion --key-id alias/orders \\",
      "      --pending-window-in-days 7"
    })
final class ScheduleKeyDeletionCommand extends KmsOperation {
  @Option(
      names = "--key-id",
      required = true,
      description = "Key id, key ARN, alias name or alias ARN.")
  String keyId;

  @Option(
      names = "--pending-window-in-days",
      paramLabel = "7..30",
      description = "Waiting period in days (default 30).")
  int pendingWindowInDays = 30;

  @Override
  JsonNode run(CliContext context) {
    KeyManagement keys = keys(context);
    Instant deletionDate = keys.scheduleKeyDeletion(keyId, pendingWindowInDays);
    KeyDescription d = context.keyProvider().describeKey(keyId);
    return AwsJson.object()
        .put("KeyId", d.arn())
        .put("DeletionDate", AwsJson.timestamp(deletionDate))
        .put("KeyState", d.state().awsName())
        .put("PendingWindowInDays", pendingWindowInDays);
  }
}
