package dev.coffer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** Copies of store directories and anchor directories, for the rollback tests. */
final class StoreDirs {
  private StoreDirs() {}

  /**
   * Copies {@code from} (which may be an open store: a file RocksDB deletes meanwhile is obsolete,
   * and left out, as a copy taken a moment later would).
   */
  static void copy(Path from, Path to) throws IOException {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        Path target = to.resolve(from.relativize(f).toString());
        if (Files.isDirectory(f)) {
          Files.createDirectories(target);
        } else {
          try {
            Files.copy(f, target, StandardCopyOption.REPLACE_EXISTING);
          } catch (NoSuchFileException e) {
            // deleted since the walk listed it
          }
        }
      }
    }
  }

  /** Replaces the contents of {@code dir} with a copy of {@code with}. */
  static void replace(Path dir, Path with) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(f);
      }
    }
    copy(with, dir);
  }

  /** The one anchor file ({@code *.anchor}) in {@code anchors}. */
  static Path anchorFile(Path anchors) throws IOException {
    try (Stream<Path> files = Files.list(anchors)) {
      List<Path> found = files.filter(f -> f.toString().endsWith(".anchor")).toList();
      if (found.size() != 1) {
        throw new IllegalStateException("anchor files in " + anchors + ": " + found);
      }
      return found.get(0);
    }
  }
}
