package dev.coffer.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The benchmarks use the engine's public API only, with one documented allowance: {@code
 * CofferPageSealer}, the page cipher that {@code CipherBenchmark} measures against bare AES-GCM
 * (the page cipher has no public API). No other source file of this module names a {@code
 * dev.coffer.internal} or {@code dev.coffer.kms.internal} package.
 */
class InternalAccessTest {
  /** The allowance, and this test (which spells the package names it looks for). */
  private static final List<String> ALLOWED =
      List.of("CofferPageSealer.java", "InternalAccessTest.java");

  @Test
  void onlyThePageCipherBenchmarkReachesIntoTheEngine() throws IOException {
    Path sources = Paths.get("src");
    assertThat(sources).as("run from the bench module's directory").isDirectory();
    List<String> offenders;
    try (Stream<Path> files = Files.walk(sources)) {
      offenders =
          files
              .filter(p -> p.toString().endsWith(".java"))
              .filter(p -> !ALLOWED.contains(p.getFileName().toString()))
              .filter(InternalAccessTest::mentionsInternal)
              .map(Path::toString)
              .collect(Collectors.toList());
    }
    assertThat(offenders).isEmpty();
  }

  /**
   * Whether the code (comments stripped: javadoc may name the engine class it mirrors) names an
   * internal package.
   */
  private static boolean mentionsInternal(Path p) {
    try {
      String code =
          new String(Files.readAllBytes(p), StandardCharsets.UTF_8)
              .replaceAll("(?s)/\\*.*?\\*/", "")
              .replaceAll("//[^\n]*", "");
      return code.contains("dev.coffer.internal.") || code.contains("dev.coffer.kms.internal.");
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
