package dev.coffer.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.stream.Stream;

/**
 * Searches every file under a directory for strings, in UTF-8 and in UTF-16 (both byte orders): the
 * demo's proof that no value it wrote reached disk in plaintext.
 */
final class PlaintextScan {
  /** What a scan saw: files and bytes read, and every (marker, file) pair found. */
  record Result(int files, long bytes, List<String> hits) {}

  private PlaintextScan() {}

  static Result scan(Path dir, Collection<String> markers) {
    List<byte[][]> patterns = new ArrayList<>();
    for (String m : markers) {
      patterns.add(
          new byte[][] {
            m.getBytes(StandardCharsets.UTF_8),
            m.getBytes(StandardCharsets.UTF_16LE),
            m.getBytes(StandardCharsets.UTF_16BE)
          });
    }
    List<String> hits = new ArrayList<>();
    int files = 0;
    long bytes = 0;
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path f : (Iterable<Path>) walk.filter(Files::isRegularFile)::iterator) {
        byte[] content = Files.readAllBytes(f);
        files++;
        bytes += content.length;
        int i = 0;
        for (String m : markers) {
          for (byte[] p : patterns.get(i)) {
            if (indexOf(content, p) >= 0) {
              hits.add(m + " in " + dir.relativize(f));
              break;
            }
          }
          i++;
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new Result(files, bytes, hits);
  }

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
