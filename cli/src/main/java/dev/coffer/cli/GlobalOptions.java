package dev.coffer.cli;

import dev.coffer.WalRecovery;
import dev.coffer.cli.input.WalRecoveryMode;
import dev.coffer.cli.output.OutputFormat;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * The options every {@code coffer} command accepts, before or after the subcommand's name. Each one
 * that is not given falls back to its environment variable (resolved by {@link CliContext}, not
 * here, so tests can inject the environment). No option takes a secret: passphrases come from the
 * environment or an interactive prompt.
 */
public final class GlobalOptions {
  /** Environment variable for {@code --store}. */
  public static final String ENV_STORE = "COFFER_STORE";

  /** Environment variable for {@code --backend}. */
  public static final String ENV_BACKEND = "COFFER_BACKEND";

  /** Environment variable for {@code --key-provider}. */
  public static final String ENV_KEY_PROVIDER = "COFFER_KEY_PROVIDER";

  /** Environment variable for {@code --master-key}. */
  public static final String ENV_MASTER_KEY = "COFFER_MASTER_KEY";

  /** Environment variable for {@code --principal}. */
  public static final String ENV_PRINCIPAL = "COFFER_PRINCIPAL";

  @Option(
      names = "--store",
      paramLabel = "DIR",
      scope = ScopeType.INHERIT,
      description =
          "Store directory, for the table commands (env COFFER_STORE). Not with --backend.")
  String store;

  @Option(
      names = "--backend",
      paramLabel = "URI",
      scope = ScopeType.INHERIT,
      description =
          "Keep the store in a shared record backend instead of a directory, for the table"
              + " commands: dynamodb:<table>?region=<region>&endpoint=<url> (env COFFER_BACKEND)."
              + " Every instance that names the same URI opens the same store. Not with --store;"
              + " on the command line either one overrides both variables.")
  String backend;

  @Option(
      names = "--key-provider",
      paramLabel = "URI",
      scope = ScopeType.INHERIT,
      description =
          "Key provider: local:<keystore path>, memory:, aws-kms:<key ARN> (env"
              + " COFFER_KEY_PROVIDER).")
  String keyProvider;

  @Option(
      names = "--master-key",
      paramLabel = "ID|alias/NAME",
      scope = ScopeType.INHERIT,
      description =
          "Master key used when a command needs a key and none is given (env COFFER_MASTER_KEY).")
  String masterKey;

  @Option(
      names = "--principal",
      paramLabel = "NAME|ARN",
      scope = ScopeType.INHERIT,
      description =
          "Principal to act as: a user name (bob), root, or an ARN (env COFFER_PRINCIPAL)."
              + " Not authenticated with local: and memory: keys: anyone holding the keystore secret"
              + " can act as anyone, so key policies there guard against mistakes and name who"
              + " acted in the audit, not against that person; they protect keys only behind"
              + " 'coffer kms serve', where access keys authenticate principals.")
  String principal;

  @Option(
      names = "--output",
      paramLabel = "json|text|table",
      scope = ScopeType.INHERIT,
      converter = OutputFormat.Converter.class,
      description = "Output format: json (default), text or table.")
  OutputFormat output;

  @Option(
      names = "--query",
      paramLabel = "JMESPATH",
      scope = ScopeType.INHERIT,
      description = "JMESPath expression applied to the JSON response before it is formatted.")
  String query;

  @Option(
      names = "--wal-recovery",
      paramLabel = "torn-tail-only|point-in-time",
      scope = ScopeType.INHERIT,
      converter = WalRecoveryMode.class,
      description =
          "What opening the store does with a damaged write-ahead log: torn-tail-only (the default)"
              + " drops only a last record torn by a crash and refuses any other damage; point-in-time"
              + " keeps the writes before the damage and drops the damaged record and every write after"
              + " it, for good. No environment variable: give it for the one run that recovers.")
  WalRecovery walRecovery;

  @Option(
      names = "--accept-rollback",
      scope = ScopeType.INHERIT,
      description =
          "Open a store directory that its rollback anchor refuses (older than its anchor, as after"
              + " a restore from a backup; its anchor missing or damaged; its sealed state record"
              + " missing) as it is, and anchor it anew. Logged as a warning and recorded in the"
              + " store (coffer info shows the last one). For this run only: no environment variable"
              + " (COFFER_ACCEPT_ROLLBACK=true still works, deprecated). Not with --backend.")
  boolean acceptRollback;

  @Option(
      names = "--debug",
      scope = ScopeType.INHERIT,
      description = "Print stack traces of errors.")
  boolean debug;
}
