package dev.coffer.cli.lifecycle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.coffer.Coffer;
import dev.coffer.MasterKeyRotation;
import dev.coffer.cli.AwsCommand;
import dev.coffer.cli.CliContext;
import dev.coffer.cli.output.AwsJson;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code coffer rotate master-key}: re-wraps every wrapped key of the store (store key, data keys,
 * index keys) under the current version of the master key, or under another master key of the same
 * provider. No page is read or written.
 */
@Command(
    name = "master-key",
    description = {
      "Re-wrap every key of the store under the master key's current version (after"
          + " 'coffer kms rotate-key-on-demand'), or under --new-master-key.",
      "One atomic write; no page is read or written. After --new-master-key, open the store"
          + " with that key (--master-key / COFFER_MASTER_KEY)."
    },
    footer = {
      "",
      "Examples:",
      "  coffer rotate master-key",
      "  coffer rotate master-key --new-master-key alias/coffer-2027"
    })
final class RotateMasterKeyCommand extends AwsCommand {
  @Option(
      names = "--new-master-key",
      paramLabel = "ID|alias/NAME",
      description = "Move to this master key.")
  String newMasterKey;

  @Override
  public String operationName() {
    return "RotateMasterKey";
  }

  @Override
  protected JsonNode run(CliContext context) {
    Coffer coffer = context.coffer(false);
    MasterKeyRotation r =
        newMasterKey == null ? coffer.rotateMasterKey() : coffer.rotateMasterKey(newMasterKey);
    ObjectNode out =
        AwsJson.object()
            .put("KeysRewrapped", r.keysRewrapped())
            .put("MasterKeyId", r.masterKeyId())
            .put("ProviderScheme", r.providerScheme())
            .put("DurationSeconds", r.duration().toMillis() / 1000.0);
    if (r.storeKeyRenewed()) {
      // once, for a store older than the sealed-state pair: a new store key, not a re-wrapped one
      out.put("StoreKeyRenewed", true).put("RecordsResealed", r.recordsResealed());
    }
    return out;
  }
}
