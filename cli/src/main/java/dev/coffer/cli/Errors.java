package dev.coffer.cli;

import dev.coffer.CofferException;
import dev.coffer.kms.KeyProviderException;

/** Turns an exception into the one line the command line prints, in the AWS CLI's words. */
final class Errors {
  private Errors() {}

  /**
   * The line for an error of {@code operation} (e.g. {@code Decrypt}), or of no known operation
   * when null.
   */
  static String describe(Throwable e, String operation) {
    if (e instanceof CliInputException) {
      return e.getMessage();
    }
    String code;
    if (e instanceof KeyProviderException k) {
      code = k.errorCode();
    } else if (e instanceof CofferException c) {
      code = c.errorCode();
    } else {
      code = e.getClass().getSimpleName();
    }
    String where = operation == null ? "" : " when calling the " + operation + " operation";
    String m = e.getMessage();
    return "An error occurred (" + code + ")" + where + ": " + (m == null ? "" : m);
  }
}
