package dev.coffer.cli.input;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.coffer.cli.CliInputException;
import dev.coffer.cli.ErrorLines;
import dev.coffer.testkit.fuzz.FuzzText;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.TypeConversionException;

/**
 * Fuzz target: the command line's other parameter readers: shorthand maps and tags ({@link
 * Shorthand#stringMap}, {@link Shorthand#tags}: {@code k=v,k2=v2} or JSON), blobs in base64 ({@link
 * ParamFiles#blob}) and whole-number options ({@link WholeNumbers}).
 *
 * <p><b>Documented exceptions:</b> {@link CliInputException} ({@code Error parsing parameter
 * '<option>': ...}) for maps, tags and blobs; picocli's {@link TypeConversionException} ({@code
 * expected ...}) for whole numbers, which picocli prints as bad usage. Messages are one printable
 * line of at most 1000 characters. Values naming a file ({@code file://}, {@code fileb://}) are not
 * fuzzed: they read the disk.
 *
 * <p><b>Input:</b> the first byte picks the reader ({@code mod 6}: encryption context, tags (one
 * value per line), blob, port, threads, seconds); the rest is the value ({@link FuzzText}).
 */
public class ShorthandFuzzTest {
  @FuzzTest(maxDuration = "30s")
  void fuzz(byte[] input) {
    check(input);
  }

  /** The check of one input (see the class comment). */
  public static void check(byte[] input) {
    if (input.length == 0) {
      return;
    }
    String value = FuzzText.of(input, 1, input.length);
    int mode = (input[0] & 0xFF) % 6;
    List<String> values = mode == 1 ? Arrays.asList(value.split("\n", -1)) : List.of(value);
    if (values.stream().anyMatch(ParamFiles::isFile)) {
      return;
    }
    try {
      switch (mode) {
        case 0 -> {
          Map<String, String> map = Shorthand.stringMap("--encryption-context", value);
          assertThat(map).isNotNull();
        }
        case 1 -> Shorthand.tags("--tags", values);
        case 2 -> ParamFiles.blob("--plaintext", value);
        case 3 -> assertThat(new WholeNumbers.Port().convert(value)).isBetween(0, 65_535);
        case 4 -> assertThat(new WholeNumbers.Threads().convert(value)).isBetween(1, 1024);
        default -> assertThat(new WholeNumbers.Seconds().convert(value)).isNotNegative();
      }
    } catch (CliInputException e) {
      assertThat(mode).isLessThan(3);
      assertThat(e.getMessage()).startsWith("Error parsing parameter '--");
      ErrorLines.assertPrintableLine(e.getMessage());
    } catch (TypeConversionException e) {
      assertThat(mode).isGreaterThanOrEqualTo(3);
      assertThat(e.getMessage()).startsWith("expected ");
    }
  }
}
