package dev.coffer.cli.input;

import dev.coffer.cli.CliInputException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Base64;

/**
 * Reads parameter values as the AWS CLI v2 does: {@code file://PATH} is the text of a file, {@code
 * fileb://PATH} its bytes; any other value of a blob parameter is base64. Stateless.
 */
public final class ParamFiles {
  private static final String FILE = "file://";
  private static final String FILEB = "fileb://";

  private ParamFiles() {}

  /**
   * A text parameter: the value itself, or the UTF-8 text of {@code file://PATH}.
   *
   * @param option the option name, for the error message
   * @throws CliInputException when the file cannot be read
   */
  public static String text(String option, String value) {
    if (value.startsWith(FILE)) {
      return new String(read(option, value, FILE), StandardCharsets.UTF_8);
    }
    if (value.startsWith(FILEB)) {
      return new String(read(option, value, FILEB), StandardCharsets.UTF_8);
    }
    return value;
  }

  /**
   * A blob parameter: the bytes of {@code fileb://PATH} (or {@code file://PATH}), or else the value
   * decoded from base64.
   *
   * @throws CliInputException when the file cannot be read or the value is not base64
   */
  public static byte[] blob(String option, String value) {
    if (value.startsWith(FILEB)) {
      return read(option, value, FILEB);
    }
    if (value.startsWith(FILE)) {
      return read(option, value, FILE);
    }
    try {
      return Base64.getDecoder().decode(value.strip());
    } catch (IllegalArgumentException e) {
      throw CliInputException.parameter(
          option, "Invalid base64: \"" + value + "\" (use fileb://PATH for a file's bytes)");
    }
  }

  private static byte[] read(String option, String value, String prefix) {
    Path path = Path.of(value.substring(prefix.length()));
    try {
      return Files.readAllBytes(path);
    } catch (NoSuchFileException e) {
      throw CliInputException.parameter(
          option,
          "Unable to load paramfile " + value + ": No such file or directory: '" + path + "'");
    } catch (IOException e) {
      throw CliInputException.parameter(option, "Unable to load paramfile " + value + ": " + e);
    }
  }
}
