package dev.coffer;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The raw-file check of the no-plaintext tests: no marker string, in UTF-8, UTF-16LE or UTF-16BE,
 * in any file under a store's directory.
 */
final class PlaintextScan {
  private static final List<Charset> ENCODINGS =
      List.of(StandardCharsets.UTF_8, StandardCharsets.UTF_16LE, StandardCharsets.UTF_16BE);

  private PlaintextScan() {}

  /**
   * Fails when a file under {@code dir} (there must be some) holds one of {@code markers}; {@code
   * when} names the moment in the failure message.
   */
  static void assertNoMarkers(Path dir, List<String> markers, String when) throws IOException {
    List<Path> files;
    try (Stream<Path> s = Files.walk(dir)) {
      files = s.filter(Files::isRegularFile).toList();
    }
    assertThat(files).isNotEmpty();
    for (Path f : files) {
      byte[] content = Files.readAllBytes(f);
      for (String marker : markers) {
        for (Charset cs : ENCODINGS) {
          assertThat(indexOf(content, marker.getBytes(cs)))
              .as("%s: marker %s (%s) in %s", when, marker, cs, f.getFileName())
              .isEqualTo(-1);
        }
      }
    }
  }

  /** The first index of {@code needle} in {@code haystack}, or -1. */
  static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i <= haystack.length - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
