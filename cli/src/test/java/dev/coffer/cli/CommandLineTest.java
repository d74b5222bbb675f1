package dev.coffer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coffer.kms.KeyProviderContext;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Help, completion, and how the global options reach the key provider. */
class CommandLineTest {
  private final CliRun cli = new CliRun();

  @Test
  void everyCommandHasHelpWithAnExample() {
    List<String> missing = new ArrayList<>();
    CommandLine root = Main.newCommandLine();
    for (CommandLine c : all(root)) {
      String usage = c.getUsageMessage();
      if (!usage.contains("Example")) {
        missing.add(c.getCommandSpec().qualifiedName());
      }
    }
    assertThat(missing).isEmpty();
    assertThat(all(root)).hasSizeGreaterThan(22);
  }

  @Test
  void examplesFitIn80ColumnsSoTheyAreNotWrappedMidCommand() {
    for (CommandLine c : all(Main.newCommandLine())) {
      for (String line : c.getCommandSpec().usageMessage().footer()) {
        assertThat(line.length())
            .as(c.getCommandSpec().qualifiedName() + ": " + line)
            .isLessThanOrEqualTo(80);
      }
    }
  }

  @Test
  void helpExitsZeroAndShowsTheGlobalOptions() {
    CliRun.Result r = cli.run("kms", "encrypt", "--help").ok();

    assertThat(r.out())
        .contains("--key-provider=URI")
        .contains("--query=JMESPATH")
        .contains("Example");
  }

  @Test
  void completionPrintsABashScriptWithTheKmsCommands() {
    String script = cli.run("completion").ok().out();

    assertThat(script)
        .contains("complete -F")
        .contains("generate-data-key")
        .contains("--pending-window-in-days");
  }

  /**
   * Issue 15, finding 6: principals are self-asserted with the local: and memory: providers, and
   * the help of {@code --principal} says so (docs/key-providers.md, "What a principal is worth
   * here").
   */
  @Test
  void thePrincipalsHelpSaysItIsNotAuthenticatedWithLocalKeys() {
    String help = cli.run("--help").ok().out().replaceAll("\\s+", " ");
    assertThat(help)
        .contains("Not authenticated with local: and memory: keys")
        .contains("anyone holding the keystore secret can act as anyone");
  }

  @Test
  void theProviderIsOpenedOnceWithTheUriAndPrincipalFromTheEnvironmentOrOptions() {
    List<String> opened = new ArrayList<>();
    KeyProviderOpener shared = cli.opener;
    cli.opener =
        (uri, context) -> {
          opened.add(uri + " as " + context.principal());
          return shared.open(uri, context);
        };
    cli.env.put("COFFER_PRINCIPAL", "alice");

    cli.run("kms", "create-key").ok();
    cli.run("kms", "list-keys", "--key-provider", "memory:", "--principal", "carol").ok();

    assertThat(opened).containsExactly("memory: as alice", "memory: as carol");
  }

  @Test
  void aLocalKeystoreWithoutASecretVariableAsksForThePassphrase() {
    List<KeyProviderContext> contexts = new ArrayList<>();
    List<String> prompts = new ArrayList<>();
    KeyProviderOpener shared = cli.opener;
    cli.opener =
        (uri, context) -> {
          contexts.add(context);
          return shared.open(uri, context);
        };
    cli.prompt =
        p -> {
          prompts.add(p);
          return "typed secret".toCharArray();
        };

    cli.run("kms", "list-keys", "--key-provider", "local:/tmp/ks").ok();
    assertThat(prompts).containsExactly("Passphrase for keystore /tmp/ks: ");
    assertThat(contexts.get(0).environment().apply("COFFER_KEYSTORE_PASSPHRASE"))
        .isEqualTo("typed secret");

    cli.env.put("COFFER_KEYSTORE_PASSPHRASE", "from env");
    cli.run("kms", "list-keys", "--key-provider", "local:/tmp/ks").ok();
    assertThat(prompts).hasSize(1);
    assertThat(contexts.get(1).environment().apply("COFFER_KEYSTORE_PASSPHRASE"))
        .isEqualTo("from env");

    cli.run("kms", "list-keys").ok();
    assertThat(prompts).hasSize(1);
  }

  @Test
  void storeAndMasterKeyResolveFromOptionsThenEnvironment() {
    cli.env.put("COFFER_STORE", "/var/lib/coffer");
    cli.env.put("COFFER_MASTER_KEY", "alias/env");
    GlobalOptions options = new GlobalOptions();
    CliContext fromEnv =
        new CliContext(options, CliEnvironment.builder().variables(cli.env::get).build());
    assertThat(fromEnv.store()).hasToString("/var/lib/coffer");
    assertThat(fromEnv.masterKey()).isEqualTo("alias/env");

    options.store = "/tmp/s";
    options.masterKey = "alias/opt";
    assertThat(fromEnv.store()).hasToString("/tmp/s");
    assertThat(fromEnv.masterKey()).isEqualTo("alias/opt");
  }

  @Test
  void aBackendOptionOverridesBothVariablesAndAStoreOptionToo() {
    cli.env.put("COFFER_BACKEND", "dynamodb:from-env?region=us-east-1");
    GlobalOptions options = new GlobalOptions();
    CliContext context =
        new CliContext(options, CliEnvironment.builder().variables(cli.env::get).build());
    assertThat(context.backendUri()).isEqualTo("dynamodb:from-env?region=us-east-1");
    assertThat(context.store()).isNull();

    cli.env.put("COFFER_STORE", "/var/lib/coffer");
    options.backend = "dynamodb:from-option";
    assertThat(context.backendUri()).isEqualTo("dynamodb:from-option");
    assertThat(context.store()).isNull();

    options.backend = null;
    options.store = "/tmp/s";
    assertThat(context.store()).hasToString("/tmp/s");
    assertThat(context.backendUri()).isNull();
  }

  @Test
  void withoutTableCreationKeepsAnExplicitChoice() {
    assertThat(BackendStores.withoutTableCreation("dynamodb:t1x"))
        .isEqualTo("dynamodb:t1x?create=false");
    assertThat(BackendStores.withoutTableCreation("dynamodb:t1x?region=eu-west-1"))
        .isEqualTo("dynamodb:t1x?region=eu-west-1&create=false");
    assertThat(BackendStores.withoutTableCreation("dynamodb:t1x?"))
        .isEqualTo("dynamodb:t1x?create=false");
    assertThat(BackendStores.withoutTableCreation("dynamodb:t1x?create=true&region=eu-west-1"))
        .isEqualTo("dynamodb:t1x?create=true&region=eu-west-1");
    assertThat(BackendStores.withoutTableCreation("other:t1x")).isEqualTo("other:t1x");
  }

  @Test
  void operationNamesComeFromCommandNames() {
    assertThat(AwsOperation.fromCommandName("generate-data-key-without-plaintext"))
        .isEqualTo("GenerateDataKeyWithoutPlaintext");
    assertThat(AwsOperation.fromCommandName("re-encrypt")).isEqualTo("ReEncrypt");
  }

  private static List<CommandLine> all(CommandLine c) {
    List<CommandLine> out = new ArrayList<>();
    if (!(c.getCommandSpec().userObject() instanceof CommandLine.HelpCommand)) {
      out.add(c);
    }
    for (CommandLine sub : c.getSubcommands().values()) {
      out.addAll(all(sub));
    }
    return out;
  }
}
