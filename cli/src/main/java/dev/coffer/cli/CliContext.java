package dev.coffer.cli;

import dev.coffer.Coffer;
import dev.coffer.CofferOptions;
import dev.coffer.StorageException;
import dev.coffer.cli.output.JmesPathQuery;
import dev.coffer.cli.output.OutputFormat;
import dev.coffer.cli.output.ResponsePrinter;
import dev.coffer.kms.KeyManagement;
import dev.coffer.kms.KeyProvider;
import dev.coffer.kms.KeyProviderContext;
import dev.coffer.kms.KeyProviderException;
import dev.coffer.kms.UnsupportedKeyOperationException;
import dev.coffer.kms.audit.AuditSink;
import dev.coffer.kms.audit.JsonLinesAuditSink;
import dev.coffer.spi.RecordBackend;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run of the command line: the global options resolved against the environment, and the key
 * provider opened once, on first use. Commands get it from the injected {@link RunContext}; {@link
 * #close()} closes the store, its record backend (with {@code --backend}) and the provider. Not
 * thread-safe (one command runs at a time).
 */
public final class CliContext implements AutoCloseable {
  /** The local provider's passphrase variable. */
  static final String ENV_KEYSTORE_PASSPHRASE = "COFFER_KEYSTORE_PASSPHRASE";

  /** The audit file the provider and the store append to, and {@code coffer audit} reads. */
  public static final String ENV_AUDIT_FILE = "COFFER_AUDIT_FILE";

  /**
   * Set to {@code true} to open a store older than its rollback anchor (a restore from a backup).
   * Deprecated: it stays set for every later command; {@code --accept-rollback} is for one run.
   */
  static final String ENV_ACCEPT_ROLLBACK = "COFFER_ACCEPT_ROLLBACK";

  private static final Logger LOG = LoggerFactory.getLogger(CliContext.class);

  private static final List<String> KEYSTORE_SECRET_VARIABLES =
      List.of(ENV_KEYSTORE_PASSPHRASE, "COFFER_KEYSTORE_KEY_FILE", "COFFER_KEYSTORE_KEY");

  private final GlobalOptions options;
  private final CliEnvironment environment;
  private KeyProvider provider;
  private Coffer coffer;
  private RecordBackend backend;
  private Duration garbageGracePeriod;
  private JsonLinesAuditSink auditFile;

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

  /** The principal given as {@code --principal} on the command line only, or null. */
  public String principalOption() {
    return isSet(options.principal) ? options.principal : null;
  }

  /** The master key from {@code --master-key} or {@code COFFER_MASTER_KEY}, or null. */
  public String masterKey() {
    return resolve(options.masterKey, GlobalOptions.ENV_MASTER_KEY);
  }

  /**
   * The store directory from {@code --store} or {@code COFFER_STORE}, or null (also when the store
   * is in a record backend, see {@link #backendUri()}).
   *
   * @throws CliInputException when both a directory and a backend name the store on one level
   */
  public Path store() {
    StoreLocation l = location();
    return l == null ? null : l.dir();
  }

  /**
   * The record backend URI from {@code --backend} or {@code COFFER_BACKEND}, or null (also when the
   * store is a directory, see {@link #store()}).
   *
   * @throws CliInputException when both a directory and a backend name the store on one level
   */
  public String backendUri() {
    StoreLocation l = location();
    return l == null ? null : l.backendUri();
  }

  private StoreLocation location() {
    return StoreLocation.resolve(options.store, options.backend, name -> resolve(null, name));
  }

  /** The environment variable {@code name}, or null when unset or empty. */
  public String variable(String name) {
    return resolve(null, name);
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
          KeyProviderContext.builder()
              .principal(principal())
              .environment(secretsFor(uri))
              .auditSink(auditSink())
              .build();
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

  /**
   * The grace period of unreachable records for a store in a record backend opened by a later
   * {@link #coffer(boolean)} of this run (the engine's default, 60 s, when not set).
   *
   * @throws IllegalStateException when the store is already open
   */
  public void garbageGracePeriod(Duration grace) {
    if (coffer != null) {
      throw new IllegalStateException("the store is already open");
    }
    this.garbageGracePeriod = grace;
  }

  /**
   * The store named by {@link #store()} or {@link #backendUri()}, opened on first call with the key
   * provider and {@link #masterKey()} (or the key the provider's URI names) and {@code
   * --wal-recovery}; closed by {@link #close()}.
   *
   * @param createIfMissing whether a store that does not exist is created (only commands that write
   *     a new table or serve do); in a record backend, a command that creates none also creates no
   *     DynamoDB table
   * @throws CliInputException when no store is named, when both a directory and a backend name it,
   *     when the backend URI is malformed or its scheme unknown, or when an option that needs a
   *     directory is given with a backend
   * @throws StorageException when the backend cannot be reached, or holds no store and none is
   *     created
   * @throws KeyProviderException when the principal may not use the master key
   */
  public Coffer coffer(boolean createIfMissing) {
    return coffer(createIfMissing, true);
  }

  /**
   * The store as {@link #coffer(boolean)} opens it, but for commands that only look at it ({@code
   * info}, {@code verify}): a store directory is checked against its rollback anchor and neither is
   * moved on ({@link CofferOptions#moveRollbackAnchor()}), so looking at a copy of a store (a
   * backup) does not make the store itself look rolled back. Opened once per run, by whichever of
   * the two methods is called first.
   */
  public Coffer cofferToInspect() {
    return coffer(false, false);
  }

  /**
   * The store as {@link #coffer(boolean)} opens it (never created), for commands that only read it
   * ({@code get-item}, {@code query}, {@code scan}, {@code describe-table}, {@code list-tables},
   * {@code batch-get-item}, {@code transact-get-items}, {@code export}): like {@link
   * #cofferToInspect()}, checked against its rollback anchor without moving it, since a command
   * that only reads has nothing to anchor and, run on a copy of the store (a backup), would make
   * that copy the store's newest state and the store itself look rolled back. With {@code
   * --accept-rollback} the store is opened as the store instead: the rollback is accepted, recorded
   * and the store anchored anew (a deliberate restore, accepted by whichever command runs first).
   */
  public Coffer cofferToRead() {
    // without a second deprecation warning for COFFER_ACCEPT_ROLLBACK: the open itself gives it
    return coffer(false, options.acceptRollback || "true".equals(variable(ENV_ACCEPT_ROLLBACK)));
  }

  private Coffer coffer(boolean createIfMissing, boolean moveAnchor) {
    if (coffer == null) {
      StoreLocation location = location();
      if (location == null) {
        throw new CliInputException(
            "No store: pass --store DIR or set COFFER_STORE (the directory of a Coffer store),"
                + " or pass --backend URI or set COFFER_BACKEND (a store in a shared record"
                + " backend).");
      }
      if (!location.isBackend()) {
        CofferOptions.Builder options = baseOptions(createIfMissing);
        if (this.options.walRecovery != null) {
          options.walRecovery(this.options.walRecovery);
        }
        options.acceptRollback(acceptRollback()).moveRollbackAnchor(moveAnchor);
        coffer = Coffer.open(location.dir(), options.build());
        return coffer;
      }
      refuseDirectoryOptions(location);
      // the backend first: a malformed URI is reported before a keystore passphrase is asked for
      RecordBackend opened = BackendStores.open(location, createIfMissing);
      try {
        CofferOptions.Builder options = baseOptions(createIfMissing).backend(opened);
        if (garbageGracePeriod != null) {
          options.garbageGracePeriod(garbageGracePeriod);
        }
        coffer = Coffer.open(options.build());
      } catch (RuntimeException e) {
        try {
          opened.close();
        } catch (RuntimeException suppressed) {
          e.addSuppressed(suppressed);
        }
        throw e;
      }
      backend = opened;
    }
    return coffer;
  }

  /**
   * Whether {@code --accept-rollback} was given, or the deprecated {@code COFFER_ACCEPT_ROLLBACK}
   * is {@code true} (with a warning).
   */
  private boolean acceptRollback() {
    if (options.acceptRollback) {
      return true;
    }
    if ("true".equals(variable(ENV_ACCEPT_ROLLBACK))) {
      LOG.warn(
          "{}=true is deprecated (it accepts a rolled-back store in every command while it is"
              + " set): give --accept-rollback to the one command that opens the restored store",
          ENV_ACCEPT_ROLLBACK);
      return true;
    }
    return false;
  }

  /** The options of every store: the key provider, its master key, the audit sink. */
  private CofferOptions.Builder baseOptions(boolean createIfMissing) {
    CofferOptions.Builder options =
        CofferOptions.builder()
            .keyProvider(keyProvider())
            .auditSink(auditSink())
            .createIfMissing(createIfMissing);
    if (masterKey() != null) {
      options.masterKeyId(masterKey());
    }
    return options;
  }

  /**
   * Refuses what only a store directory has: its write-ahead log ({@code --wal-recovery}) and its
   * rollback anchor ({@code --accept-rollback}, {@code COFFER_ACCEPT_ROLLBACK}); a store in a
   * record backend has neither.
   */
  private void refuseDirectoryOptions(StoreLocation location) {
    if (this.options.walRecovery != null) {
      throw new CliInputException(
          "--wal-recovery recovers the write-ahead log of a store directory; the store named by "
              + location.source()
              + " lives in a record backend, which has none.");
    }
    if (this.options.acceptRollback) {
      throw new CliInputException(
          "--accept-rollback accepts a store directory older than its rollback anchor; the"
              + " store named by "
              + location.source()
              + " lives in a record backend, which keeps no anchor.");
    }
    if ("true".equals(variable(ENV_ACCEPT_ROLLBACK))) {
      throw new CliInputException(
          "COFFER_ACCEPT_ROLLBACK accepts a store directory older than its rollback anchor; the"
              + " store named by "
              + location.source()
              + " lives in a record backend, which keeps no anchor: unset it.");
    }
  }

  /**
   * Where the key provider and the store write their audit records: the JSON-lines file named by
   * {@code COFFER_AUDIT_FILE} (appended to, opened once per run), else the default log.
   */
  private AuditSink auditSink() {
    String file = variable(ENV_AUDIT_FILE);
    if (file == null) {
      return AuditSink.slf4j();
    }
    if (auditFile == null) {
      auditFile = JsonLinesAuditSink.open(Path.of(file));
    }
    return auditFile;
  }

  @Override
  public void close() {
    try {
      if (coffer != null) {
        try {
          coffer.close();
        } finally {
          coffer = null;
        }
      }
    } finally {
      if (backend != null) {
        try {
          backend.close();
        } finally {
          backend = null;
        }
      }
    }
    try {
      if (provider != null) {
        provider.close();
        provider = null;
      }
    } finally {
      if (auditFile != null) {
        auditFile.close();
        auditFile = null;
      }
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
