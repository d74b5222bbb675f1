package dev.coffer.cli.kms;

import picocli.CommandLine.Command;

/**
 * {@code coffer kms}: the AWS KMS operations, with {@code aws kms}'s argument names and output
 * shapes, against the provider named by {@code --key-provider}. Administrative commands need a
 * provider that manages its own keys ({@code local:}, {@code memory:}). Without a subcommand it is
 * bad usage.
 */
@Command(
    name = "kms",
    description = "Manage master keys and use them, as 'aws kms' does.",
    subcommands = {
      CreateKeyCommand.class,
      DescribeKeyCommand.class,
      ListKeysCommand.class,
      CreateAliasCommand.class,
      UpdateAliasCommand.class,
      DeleteAliasCommand.class,
      ListAliasesCommand.class,
      EncryptCommand.class,
      DecryptCommand.class,
      ReEncryptCommand.class,
      GenerateDataKeyCommand.class,
      GenerateDataKeyWithoutPlaintextCommand.class,
      EnableKeyCommand.class,
      DisableKeyCommand.class,
      EnableKeyRotationCommand.class,
      DisableKeyRotationCommand.class,
      GetKeyRotationStatusCommand.class,
      RotateKeyOnDemandCommand.class,
      ScheduleKeyDeletionCommand.class,
      CancelKeyDeletionCommand.class,
      GetKeyPolicyCommand.class,
      PutKeyPolicyCommand.class,
      GetAccountPolicyCommand.class,
      PutAccountPolicyCommand.class,
      ServeCommand.class
    },
    footer = {
      "",
      "Examples:",
      "  export COFFER_KEY_PROVIDER=local:$HOME/.coffer/keystore \\",
      "      COFFER_KEYSTORE_PASSPHRASE=...",
      "  coffer kms create-key --description \"orders master key\"",
      "  coffer kms create-alias --alias-name alias/orders --target-key-id <KeyId>",
      "  coffer kms encrypt --key-id alias/orders --plaintext fileb://secret.txt"
    })
public final class KmsCommand {}
