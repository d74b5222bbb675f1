package dev.coffer.cli;

/**
 * A parameter could not be read or parsed on the client side (a missing {@code fileb://} file, bad
 * base64, a malformed encryption context): bad usage, exit code 2. The message is the line the AWS
 * CLI prints, e.g. {@code Error parsing parameter '--plaintext': ...}.
 */
public final class CliInputException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public CliInputException(String message) {
    super(message);
  }

  public CliInputException(String message, Throwable cause) {
    super(message, cause);
  }

  /** {@code Error parsing parameter '<option>': <reason>}, as the AWS CLI says it. */
  public static CliInputException parameter(String option, String reason) {
    return new CliInputException("Error parsing parameter '" + option + "': " + reason);
  }
}
