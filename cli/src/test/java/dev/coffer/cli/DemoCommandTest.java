package dev.coffer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The demo runs end to end and proves what it says: no plaintext on disk, bob refused. */
class DemoCommandTest {
  @Test
  void demoRunsAndFindsNoPlaintext(@TempDir Path tmp) throws Exception {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cmd = Main.newCommandLine();
    cmd.setOut(new PrintWriter(out));
    cmd.setErr(new PrintWriter(err));
    Path dir = tmp.resolve("demo");

    int exit = cmd.execute("demo", "--dir", dir.toString());

    assertThat(exit).as(err.toString()).isZero();
    String text = out.toString();
    assertThat(text)
        .contains("Tables: [orders, users]")
        .contains("Wrote 39 items")
        .contains("Count 3, LastEvaluatedKey")
        .contains("refused, InvalidCiphertextException")
        .contains("no page was read or rewritten")
        .contains("destroyed versions [1]; orders data keys now: v1 DESTROYED, v2 PRIMARY")
        .contains("GetItem users: refused, KMSInvalidStateException")
        .contains("GetItem users: refused, DisabledException")
        .contains("GetItem users alice@example.com: ok")
        .contains("coffer:RotateMasterKey SUCCESS")
        .contains(
            "refused: AccessDeniedException: User: arn:aws:iam::111122223333:user/bob is not authorized to"
                + " perform: kms:Decrypt")
        .contains("opened; bob reads alice@example.com's displayName: Customer A Marker0");
    assertThat(text.lines().filter(l -> l.contains("none found in plaintext")).count())
        .isEqualTo(2);
    assertThat(text)
        .doesNotContain("FOUND")
        .doesNotContain("UNEXPECTED")
        .doesNotContain("MISMATCH");
    assertThat(Files.exists(dir.resolve("store"))).as("--dir is kept").isTrue();
  }

  @Test
  void demoRunsThroughTheAwsKmsProviderAndTheLocalEndpoint(@TempDir Path tmp) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cmd = Main.newCommandLine();
    cmd.setOut(new PrintWriter(out));
    cmd.setErr(new PrintWriter(err));

    int exit = cmd.execute("demo", "--aws-kms", "--dir", tmp.resolve("demo").toString());

    assertThat(exit).as(err.toString()).isZero();
    assertThat(out.toString())
        .contains("used through the aws-kms: provider")
        .contains("Wrote 39 items")
        .contains("refused: AccessDeniedException: User: arn:aws:iam::111122223333:user/bob")
        .contains("opened; bob reads alice@example.com's displayName")
        .contains("GetItem users: refused, KMSInvalidStateException")
        .doesNotContain("FOUND")
        .doesNotContain("UNEXPECTED");
  }

  @Test
  void refusesANonEmptyDirectory(@TempDir Path tmp) throws Exception {
    Files.writeString(tmp.resolve("precious.txt"), "keep me");
    StringWriter err = new StringWriter();
    CommandLine cmd = Main.newCommandLine();
    cmd.setErr(new PrintWriter(err));

    int exit = cmd.execute("demo", "--dir", tmp.toString());

    assertThat(exit).isEqualTo(ExitCode.USAGE);
    assertThat(err.toString()).contains("is not empty");
    assertThat(Files.readString(tmp.resolve("precious.txt"))).isEqualTo("keep me");
  }
}
