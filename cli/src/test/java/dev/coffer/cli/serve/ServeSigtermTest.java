package dev.coffer.cli.serve;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code coffer serve} in a child JVM over a local keystore, stopped with a real SIGTERM: the
 * shutdown hook runs the graceful stop and closes the store before the JVM exits, and the store and
 * keystore open again afterwards.
 */
class ServeSigtermTest {
  @TempDir Path dir;

  private Process coffer(Path out, String... args) throws Exception {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                "dev.coffer.cli.Main"));
    cmd.addAll(List.of(args));
    ProcessBuilder pb =
        new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile());
    Map<String, String> env = pb.environment();
    env.put("COFFER_KEY_PROVIDER", "local:" + dir.resolve("keystore") + "?create");
    env.put("COFFER_KEYSTORE_KEY", Base64.getEncoder().encodeToString(new byte[32]));
    env.put("COFFER_STORE", dir.resolve("store").toString());
    env.put("COFFER_MASTER_KEY", "alias/serve");
    env.remove("COFFER_PRINCIPAL");
    env.remove("COFFER_AUDIT_FILE");
    return pb.start();
  }

  private String run(String... args) throws Exception {
    Path out = Files.createTempFile(dir, "out", ".txt");
    Process p = coffer(out, args);
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    String text = Files.readString(out);
    assertThat(p.exitValue()).as(text).isZero();
    return text;
  }

  @Test
  @Timeout(300)
  void sigtermStopsGracefullyAndClosesTheStore() throws Exception {
    String keyId =
        run("kms", "create-key", "--query", "KeyMetadata.KeyId", "--output", "text").strip();
    run("kms", "create-alias", "--alias-name", "alias/serve", "--target-key-id", keyId);
    run(
        "dynamodb",
        "create-table",
        "--table-name",
        "Music",
        "--attribute-definitions",
        "AttributeName=Artist,AttributeType=S",
        "--key-schema",
        "AttributeName=Artist,KeyType=HASH");
    Path out = dir.resolve("serve.txt");
    Process serve = coffer(out, "serve");
    try {
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
      while (!Files.readString(out).contains("Press Ctrl-C") && System.nanoTime() < end) {
        assertThat(serve.isAlive()).as(Files.readString(out)).isTrue();
        Thread.sleep(50);
      }
      assertThat(Files.readString(out)).contains("Coffer serve listening on http://127.0.0.1:");
    } finally {
      serve.destroy(); // SIGTERM
    }
    assertThat(serve.waitFor(120, TimeUnit.SECONDS)).isTrue();
    String text = Files.readString(out);
    assertThat(text).contains("Stopping: letting running requests finish, then closing the store.");
    assertThat(text).doesNotContain("Exception");
    // the store and the keystore open again, intact
    assertThat(
            run("dynamodb", "list-tables", "--query", "TableNames[0]", "--output", "text").strip())
        .isEqualTo("Music");
  }
}
