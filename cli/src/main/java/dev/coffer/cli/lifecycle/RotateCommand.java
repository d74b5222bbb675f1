package dev.coffer.cli.lifecycle;

import picocli.CommandLine.Command;

/** {@code coffer rotate}: master-key and data-key rotation of a store. */
@Command(
    name = "rotate",
    description = "Rotate the store's master key (rewrap) or a table's data key.",
    subcommands = {RotateMasterKeyCommand.class, RotateDataKeyCommand.class},
    footer = {
      "",
      "Examples:",
      "  coffer kms rotate-key-on-demand --key-id alias/coffer",
      "  coffer rotate master-key",
      "  coffer rotate data-key --table-name Music --reencrypt"
    })
public final class RotateCommand {}
