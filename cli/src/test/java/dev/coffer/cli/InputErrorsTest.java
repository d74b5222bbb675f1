package dev.coffer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the command line does with bad input, end to end: strict JSON everywhere it reads user JSON
 * (inline, {@code file://}, import lines), errors that name the option, file and line and quote
 * only a short printable excerpt, and nothing written when a parameter is refused.
 */
class InputErrorsTest {
  /** Control, format, private-use, unassigned, surrogate and separator characters, and U+FFFD. */
  private static final String INVISIBLE =
      "[\\p{Cc}\\p{Cf}\\p{Co}\\p{Cn}\\p{Cs}\\p{Zl}\\p{Zp}\\x{FFFD}]";

  private final CliRun cli = new CliRun();
  @TempDir Path dir;

  @BeforeEach
  void store() {
    cli.env.put("COFFER_STORE", dir.resolve("store").toString());
    cli.env.put("COFFER_MASTER_KEY", cli.createKey("store key"));
    cli.run(
            "dynamodb",
            "create-table",
            "--table-name",
            "Music",
            "--attribute-definitions",
            "AttributeName=pk,AttributeType=S",
            "--key-schema",
            "AttributeName=pk,KeyType=HASH")
        .ok();
  }

  private int count() {
    return cli.run("dynamodb", "scan", "--table-name", "Music", "--query", "Count")
        .ok()
        .json()
        .asInt();
  }

  @Test
  void jsonWithTrailingGarbageIsRefusedAndNothingIsWritten() {
    String line =
        cli.run(
                "dynamodb",
                "put-item",
                "--table-name",
                "Music",
                "--item",
                "{\"pk\": {\"S\": \"a\"}} garbage")
            .failsWith(ExitCode.USAGE);
    assertThat(line)
        .isEqualTo(
            "Error parsing parameter '--item': Invalid JSON: Unexpected text after the JSON value"
                + " (give exactly one value) at line 1 column 20; JSON received: {\"pk\": {\"S\": \"a\"}} garbage");
    assertThat(
            cli.run(
                    "dynamodb",
                    "get-item",
                    "--table-name",
                    "Music",
                    "--key",
                    "{\"pk\": {\"S\": \"a\"}} {}")
                .failsWith(ExitCode.USAGE))
        .startsWith("Error parsing parameter '--key': Invalid JSON: Unexpected text after");
    assertThat(count()).isZero();
  }

  @Test
  void aMemberNameGivenTwiceIsRefusedWhereverItIs() throws Exception {
    assertThat(
            cli.run(
                    "dynamodb",
                    "put-item",
                    "--table-name",
                    "Music",
                    "--item",
                    "{\"pk\": {\"S\": \"a\"}, \"pk\": {\"S\": \"b\"}}")
                .failsWith(ExitCode.USAGE))
        .startsWith(
            "Error parsing parameter '--item': Invalid JSON: Duplicate member name 'pk' (a name may appear"
                + " once in an object) at line 1 column ");
    assertThat(
            cli.run(
                    "dynamodb",
                    "put-item",
                    "--table-name",
                    "Music",
                    "--item",
                    "{\"pk\": {\"S\": \"a\"}, \"m\": {\"M\": {\"x\": {\"N\": \"1\"}, \"x\": {\"N\": \"2\"}}}}")
                .failsWith(ExitCode.USAGE))
        .contains("Duplicate member name 'x'");
    Path file = dir.resolve("item.json");
    Files.writeString(file, "{\n  \"pk\": {\"S\": \"a\", \"S\": \"b\"}\n}\n");
    assertThat(
            cli.run("dynamodb", "put-item", "--table-name", "Music", "--item", "file://" + file)
                .failsWith(ExitCode.USAGE))
        .startsWith(
            "Error parsing parameter '--item': Invalid JSON in file://"
                + file
                + ": Duplicate member name 'S' (a name may appear once in an object) at line 2 column ");
    assertThat(count()).isZero();

    String key = cli.createKey("k");
    assertThat(
            cli.run(
                    "kms",
                    "encrypt",
                    "--key-id",
                    key,
                    "--plaintext",
                    "aGk=",
                    "--encryption-context",
                    "{\"app\": \"a\", \"app\": \"b\"}")
                .failsWith(ExitCode.USAGE))
        .startsWith(
            "Error parsing parameter '--encryption-context': Invalid JSON: Duplicate member name 'app'");
    assertThat(
            cli.run(
                    "kms",
                    "encrypt",
                    "--key-id",
                    key,
                    "--plaintext",
                    "aGk=",
                    "--encryption-context",
                    "app=a,app=b")
                .failsWith(ExitCode.USAGE))
        .isEqualTo("Error parsing parameter '--encryption-context': the key 'app' is given twice");
    assertThat(
            cli.run(
                    "kms",
                    "create-key",
                    "--tags",
                    "TagKey=team,TagValue=a",
                    "TagKey=team,TagValue=b")
                .failsWith(ExitCode.USAGE))
        .isEqualTo("Error parsing parameter '--tags': the tag key 'team' is given twice");
    assertThat(
            cli.run(
                    "dynamodb",
                    "create-table",
                    "--table-name",
                    "Other",
                    "--attribute-definitions",
                    "[{\"AttributeName\": \"pk\", \"AttributeType\": \"S\", \"AttributeType\": \"N\"}]",
                    "--key-schema",
                    "AttributeName=pk,KeyType=HASH")
                .failsWith(ExitCode.USAGE))
        .startsWith(
            "Error parsing parameter '--attribute-definitions': Invalid JSON: Duplicate member name");
  }

  @Test
  void errorsQuoteAShortPrintableExcerptOfHugeOrBinaryInput() throws Exception {
    String huge = "{\"pk\": {\"S\": \"" + "x".repeat(200_000);
    String line =
        cli.run("dynamodb", "put-item", "--table-name", "Music", "--item", huge)
            .failsWith(ExitCode.USAGE);
    assertThat(line.length()).isLessThan(400);
    assertThat(line)
        .contains("JSON received: ...xxx")
        .endsWith("xxx (" + huge.length() + " characters)");

    byte[] garbage = new byte[3000];
    new Random(7).nextBytes(garbage);
    Path bin = dir.resolve("garbage.bin");
    Files.write(bin, garbage);
    line =
        cli.run("dynamodb", "put-item", "--table-name", "Music", "--item", "file://" + bin)
            .failsWith(ExitCode.USAGE);
    assertThat(line.length()).isLessThan(500);
    assertThat(line).doesNotContainPattern(INVISIBLE);

    // picocli's own messages quote the argument: cut as well
    line =
        cli.run("dynamodb", "scan", "--table-name", "Music", "--limit", "9".repeat(100_000))
            .failsWith(ExitCode.USAGE);
    assertThat(line)
        .startsWith("coffer dynamodb scan: error: Invalid value for option '--limit': '999")
        .contains("... (100000 characters)")
        .hasSizeLessThan(400);
    line =
        cli.run("dynamodb", "scan", "--table-name", "Music", "--" + "z".repeat(100_000))
            .failsWith(ExitCode.USAGE);
    assertThat(line).hasSizeLessThan(400);
    line =
        cli.run(
                "dynamodb",
                "scan",
                "--table-name",
                "Music",
                "--query",
                "[" + "\u0007".repeat(50_000))
            .failsWith(ExitCode.USAGE);
    assertThat(line)
        .startsWith("Bad value for --query [\\u0007\\u0007")
        .hasSizeLessThan(ErrorHandler.MAX_LINE_CHARS + 50);
    assertThat(line).doesNotContainPattern(INVISIBLE);
  }

  @Test
  void aBadImportLineNamesItsFileAndLineAndImportsNothing() throws Exception {
    Path file = dir.resolve("music.json");
    String good = "{\"Item\": {\"pk\": {\"S\": \"a\"}}}\n";
    Files.writeString(
        file, good + "\n" + "{\"Item\": {\"pk\": {\"S\": \"b\"}, \"pk\": {\"S\": \"c\"}}}\n");
    assertThat(importFails(file, ExitCode.USAGE))
        .isEqualTo(
            "Cannot import "
                + file
                + " line 3: Invalid JSON:"
                + " Duplicate member name 'pk' (a name may appear once in an object) at column 33; line received:"
                + " {\"Item\": {\"pk\": {\"S\": \"b\"}, \"pk\": {\"S\": \"c\"}}}");

    Files.writeString(file, good + good.strip() + " trailing\n");
    assertThat(importFails(file, ExitCode.USAGE))
        .startsWith(
            "Cannot import "
                + file
                + " line 2: Invalid JSON:"
                + " Unexpected text after the JSON value (give exactly one value) at column 30; line received: ");

    Files.writeString(file, good + "{\"Item\": {\"pk\": {\"N\": \"1\"}}}\n");
    assertThat(importFails(file, ExitCode.FAILED))
        .isEqualTo(
            "An error occurred (ValidationException): Cannot"
                + " import "
                + file
                + " line 2: One or more parameter values were invalid: Type mismatch for key pk expected:"
                + " S actual: N");

    Files.writeString(file, good + "{\"Item\": {\"pk\": {\"S\": \"b\"}}, \"Keys\": {}}\n");
    assertThat(importFails(file, ExitCode.USAGE))
        .startsWith(
            "Cannot import "
                + file
                + " line 2: expected"
                + " {\"Item\": {...}} as DynamoDB's export writes it");

    Files.writeString(file, good + "{\"Item\": {\"pk\": {\"X\": \"b\"}}}\n");
    assertThat(importFails(file, ExitCode.USAGE))
        .isEqualTo(
            "Cannot import "
                + file
                + " line 2: Parameter"
                + " validation failed: Unknown parameter in Item.pk: \"X\", must be one of: S, N, B, SS, NS, BS, M, L,"
                + " NULL, BOOL");

    Files.write(
        file,
        (good + "{\"Item\": {\"pk\": {\"S\": \"\u00ff\"}}}\n")
            .getBytes(StandardCharsets.ISO_8859_1));
    assertThat(importFails(file, ExitCode.USAGE))
        .isEqualTo("Cannot import " + file + " line 2: the line is not" + " UTF-8 text");
    assertThat(count()).isZero();
  }

  private String importFails(Path file, int code) {
    return cli.run("import", "--table-name", "Music", "--input-file", file.toString())
        .failsWith(code);
  }
}
