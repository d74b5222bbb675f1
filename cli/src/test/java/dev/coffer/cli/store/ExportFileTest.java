package dev.coffer.cli.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.coffer.cli.CliRun;
import dev.coffer.cli.ExitCode;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code export --output-file} writes plaintext: a new file with mode 0600, never through a
 * symbolic link, never over an existing file unless {@code --overwrite}.
 */
class ExportFileTest {
  private final CliRun cli = new CliRun();
  @TempDir Path dir;

  @BeforeEach
  void tableWithAnItem() {
    assumeTrue(
        dir.getFileSystem().supportedFileAttributeViews().contains("posix"),
        "POSIX file modes are not supported here; export then relies on the directory's permissions");
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
    cli.run(
            "dynamodb",
            "put-item",
            "--table-name",
            "Music",
            "--item",
            "{\"pk\": {\"S\": \"secret\"}}")
        .ok();
  }

  private CliRun.Result export(Path file, String... more) {
    String[] args =
        Stream.concat(
                Stream.of("export", "--table-name", "Music", "--output-file", file.toString()),
                Stream.of(more))
            .toArray(String[]::new);
    return cli.run(args);
  }

  private static String mode(Path file) throws Exception {
    return PosixFilePermissions.toString(
        Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS));
  }

  @Test
  void theFileIsNewAndReadableByItsOwnerOnly() throws Exception {
    Path file = dir.resolve("music.json");
    assertThat(export(file).ok().json().get("ItemCount").asInt()).isEqualTo(1);
    assertThat(mode(file)).isEqualTo("rw-------");
    assertThat(Files.readString(file)).contains("secret");
    Path gz = dir.resolve("music.json.gz");
    export(gz).ok();
    assertThat(mode(gz)).isEqualTo("rw-------");
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString())).doesNotContain(".music.json.partial");
    }
  }

  @Test
  void anExistingFileIsRefusedUnlessOverwrite() throws Exception {
    Path file = dir.resolve("music.json");
    Files.writeString(file, "keep me");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
    assertThat(export(file).failsWith(ExitCode.USAGE))
        .isEqualTo(
            "Error parsing parameter '--output-file': "
                + file
                + " exists: pass --overwrite to replace it (export never writes through an existing file or link)");
    assertThat(Files.readString(file)).isEqualTo("keep me");

    export(file, "--overwrite").ok();
    assertThat(Files.readString(file)).contains("secret");
    assertThat(mode(file)).isEqualTo("rw-------");
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files.filter(p -> p.getFileName().toString().endsWith(".partial"))).isEmpty();
    }
  }

  @Test
  void aSymlinkIsNeverFollowed() throws Exception {
    Path victim = dir.resolve("victim.txt");
    Path link = dir.resolve("music.json");
    Files.createSymbolicLink(link, victim); // dangling: following it would create victim.txt
    assertThat(export(link).failsWith(ExitCode.USAGE)).contains(" exists: pass --overwrite");
    assertThat(victim).doesNotExist();

    Files.writeString(victim, "not yours");
    assertThat(export(link).failsWith(ExitCode.USAGE)).contains(" exists: pass --overwrite");
    export(link, "--overwrite").ok();
    assertThat(Files.isSymbolicLink(link)).isFalse();
    assertThat(mode(link)).isEqualTo("rw-------");
    assertThat(Files.readString(link)).contains("secret");
    assertThat(Files.readString(victim)).isEqualTo("not yours");
  }

  @Test
  void aDirectoryOrOverwriteWithoutAFileIsBadUsage() {
    assertThat(export(dir, "--overwrite").failsWith(ExitCode.USAGE))
        .isEqualTo("Error parsing parameter" + " '--output-file': " + dir + " is a directory");
    assertThat(cli.run("export", "--table-name", "Music", "--overwrite").failsWith(ExitCode.USAGE))
        .isEqualTo("Error parsing parameter '--overwrite': applies only with --output-file");
  }
}
