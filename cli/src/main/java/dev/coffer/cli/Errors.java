package dev.coffer.cli;

import dev.coffer.CofferException;
import dev.coffer.kms.KeyProviderException;

/** Turns an exception into the one line the command line prints. */
final class Errors {
  private Errors() {}

  static String describe(Throwable e) {
    if (e instanceof KeyProviderException k) {
      return "An error occurred (" + k.errorCode() + "): " + k.getMessage();
    }
    if (e instanceof CofferException c) {
      return "An error occurred (" + c.errorCode() + "): " + c.getMessage();
    }
    String m = e.getMessage();
    return "An error occurred (" + e.getClass().getSimpleName() + ")" + (m == null ? "" : ": " + m);
  }
}
