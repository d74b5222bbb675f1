package dev.coffer.cli;

import dev.coffer.cli.output.JmesPathQuery;
import dev.coffer.cli.output.OutputFormat;
import dev.coffer.cli.output.ResponsePrinter;
import dev.coffer.kms.KeyManagement;
import dev.coffer.kms.KeyProvider;
import dev.coffer.kms.KeyProviderContext;
import dev.coffer.kms.UnsupportedKeyOperationException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * One run of the command line: the global options resolved against the environment, and the key
 * provider opened once, on first use. Commands get it from {@link Main#context()}; {@link #close()}
 * closes the provider. Not thread-safe (one command runs at a time).
 */
public final class CliContext implements AutoCloseable {
  /** The local provider's passphrase variable. */
  static final String ENV_KEYSTORE_PASSPHRASE = "COFFER_KEYSTORE_PASSPHRASE";

  private static final List<String> KEYSTORE_SECRET_VARIABLES =
      List.of(ENV_KEYSTORE_PASSPHRASE, "COFFER_KEYSTORE_KEY_FILE", "COFFER_KEYSTORE_KEY");

  private final GlobalOptions options;
  private final CliEnvironment environment;
  private KeyProvider provider;

  CliContext(GlobalOptions options, CliEnvironment environment) {
    this.options = options;
    this.environment = environment;
  }

  /** The key provider URI from {@code --key-provider} or {@code COFFER_KEY_PROVIDER}, or null. */
  public String keyProviderUri() {
    return resolve(options.keyProvider, GlobalOptions.ENV_KEY_PROVIDER);
  }

  /**
   * The principal from {@code --principal} or {@code COFFER_PRINCIPAL}, or null (the provider's
   * default).
   */
  public String principal() {
    return resolve(options.principal, GlobalOptions.ENV_PRINCIPAL);
  }

  /** The master key from {@code --master-key} or {@code COFFER_MASTER_KEY}, or null. */
  public String masterKey() {
    return resolve(options.masterKey, GlobalOptions.ENV_MASTER_KEY);
  }

  /** The store directory from {@code --store} or {@code COFFER_STORE}, or null. */
  public Path store() {
    String s = resolve(options.store, GlobalOptions.ENV_STORE);
    return s == null ? null : Path.of(s);
  }

  /** Whether {@code --debug} was given. */
  public boolean debug() {
    return options.debug;
  }

  /** A printer for {@code out} with the chosen {@code --output} and {@code --query}. */
  public ResponsePrinter printer(PrintWriter out) {
    OutputFormat format = options.output == null ? OutputFormat.JSON : options.output;
    JmesPathQuery query = options.query == null ? null : JmesPathQuery.compile(options.query);
    return new ResponsePrinter(out, format, query);
  }

  /**
   * The key provider, opened on first call as {@link #principal()}.
   *
   * @throws CliInputException when no provider is named
   */
  public KeyProvider keyProvider() {
    if (provider == null) {
      String uri = keyProviderUri();
      if (uri == null) {
        throw new CliInputException(
            "No key provider: pass --key-provider URI or set COFFER_KEY_PROVIDER"
                + " (e.g. local:/path/keystore or memory:).");
      }
      KeyProviderContext context =
          KeyProviderContext.builder().principal(principal()).environment(secretsFor(uri)).build();
      provider = environment.opener().open(uri, context);
    }
    return provider;
  }

  /**
   * The key provider as {@link KeyManagement}, for the administrative and direct-cryptography
   * operations.
   *
   * @param operation the KMS operation name, e.g. {@code CreateKey}, for the error message
   * @throws UnsupportedKeyOperationException when the provider does not manage its own keys
   */
  public KeyManagement keyManagement(String operation) {
    KeyProvider p = keyProvider();
    if (p instanceof KeyManagement km) {
      return km;
    }
    throw new UnsupportedKeyOperationException(
        "The "
            + p.scheme()
            + ": key provider does not support "
            + operation
            + ": it does not manage keys itself (only local: and memory: do)."
            + " Use the key service's own tools for this operation.",
        null,
        "kms:" + operation);
  }

  @Override
  public void close() {
    if (provider != null) {
      provider.close();
      provider = null;
    }
  }

  private String resolve(String option, String variable) {
    if (isSet(option)) {
      return option;
    }
    String v = environment.variables().apply(variable);
    return isSet(v) ? v : null;
  }

  private static boolean isSet(String value) {
    return value != null && !value.isEmpty();
  }

  /**
   * The environment the provider reads its secrets from: the real one, plus a passphrase asked at
   * the console when a {@code local:} keystore is named and no secret variable is set.
   */
  private Function<String, String> secretsFor(String uri) {
    Function<String, String> variables = environment.variables();
    if (!uri.startsWith("local:")
        || KEYSTORE_SECRET_VARIABLES.stream().anyMatch(n -> isSet(variables.apply(n)))) {
      return variables;
    }
    char[] typed = environment.prompt().read("Passphrase for keystore " + uri.substring(6) + ": ");
    if (typed == null) {
      return variables;
    }
    String passphrase = new String(typed);
    Arrays.fill(typed, '\0');
    return name -> name.equals(ENV_KEYSTORE_PASSPHRASE) ? passphrase : variables.apply(name);
  }
}
