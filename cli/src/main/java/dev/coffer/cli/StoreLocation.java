package dev.coffer.cli;

import java.nio.file.Path;
import java.util.function.Function;

/**
 * Where the store of a run is: a directory ({@code --store}, {@code COFFER_STORE}) or a shared
 * record backend ({@code --backend}, {@code COFFER_BACKEND}), and which option or variable named
 * it. A name on the command line overrides both variables; two names on one level (both options, or
 * both variables and no option) are refused, since they name two different stores. Immutable.
 *
 * @param dir the store directory, or null
 * @param backendUri the record backend URI, or null
 * @param source the option or variable that named it, e.g. {@code --backend}
 */
record StoreLocation(Path dir, String backendUri, String source) {
  /**
   * Resolves the location from the options given on the command line (null when not given) and the
   * environment; null when nothing names a store.
   *
   * @throws CliInputException when two names on one level name two stores
   */
  static StoreLocation resolve(
      String storeOption, String backendOption, Function<String, String> variables) {
    if (isSet(storeOption) && isSet(backendOption)) {
      throw new CliInputException(
          "--store and --backend both name the store: give one (--store DIR for a store in a"
              + " directory, --backend URI for a store in a shared record backend).");
    }
    if (isSet(backendOption)) {
      return new StoreLocation(null, backendOption, "--backend");
    }
    if (isSet(storeOption)) {
      return new StoreLocation(Path.of(storeOption), null, "--store");
    }
    String store = variables.apply(GlobalOptions.ENV_STORE);
    String backend = variables.apply(GlobalOptions.ENV_BACKEND);
    if (isSet(store) && isSet(backend)) {
      throw new CliInputException(
          "COFFER_STORE and COFFER_BACKEND are both set and name two stores: unset one, or name"
              + " the store on the command line with --store DIR or --backend URI.");
    }
    if (isSet(backend)) {
      return new StoreLocation(null, backend, GlobalOptions.ENV_BACKEND);
    }
    if (isSet(store)) {
      return new StoreLocation(Path.of(store), null, GlobalOptions.ENV_STORE);
    }
    return null;
  }

  /** Whether the store lives in a record backend rather than a directory. */
  boolean isBackend() {
    return backendUri != null;
  }

  private static boolean isSet(String value) {
    return value != null && !value.isEmpty();
  }
}
