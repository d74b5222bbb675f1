package dev.coffer.cli.input;

import dev.coffer.cli.CliInputException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
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
          option,
          "Invalid base64: \"" + Excerpt.of(value) + "\" (use fileb://PATH for a file's bytes)");
    }
  }

  private static String reason(IOException e) {
    if (e instanceof AccessDeniedException) {
      return "Permission denied";
    }
    return e.getMessage() == null ? e.getClass().getSimpleName() : Excerpt.of(e.getMessage());
  }

  /**
   * Whether {@code value} names a file ({@code file://} or {@code fileb://}) rather than being the
   * value.
   */
  public static boolean isFile(String value) {
    return value.startsWith(FILE) || value.startsWith(FILEB);
  }

  private static byte[] read(String option, String value, String prefix) {
    Path path;
    try {
      path = Path.of(value.substring(prefix.length()));
    } catch (InvalidPathException e) {
      throw CliInputException.parameter(
          option, "Unable to load paramfile " + Excerpt.of(value) + ": not a valid path");
    }
    try {
      return Files.readAllBytes(path);
    } catch (NoSuchFileException e) {
      throw CliInputException.parameter(
          option,
          "Unable to load paramfile "
              + Excerpt.of(value)
              + ": No such file or directory: '"
              + Excerpt.of(path.toString())
              + "'");
    } catch (IOException e) {
      throw CliInputException.parameter(
          option, "Unable to load paramfile " + Excerpt.of(value) + ": " + reason(e));
    }
  }
}
