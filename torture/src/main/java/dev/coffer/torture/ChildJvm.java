package dev.coffer.torture;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * The JVM options of torture children, and their temporary files. RocksDB's JNI library (17 MB) is
 * extracted by every JVM that loads it into {@code java.io.tmpdir} and deleted at a normal exit,
 * never after SIGKILL: a thousand killed children would leave 17 GB in {@code /tmp}. So the parent
 * copies the library once into the work directory and puts it on the children's {@code
 * java.library.path} (RocksDB loads it from there without extracting), and gives them a temporary
 * directory of their own that it empties after each kill. Not thread-safe.
 */
final class ChildJvm {
  private final Path tmp;
  private final List<String> options = new ArrayList<>();

  private ChildJvm(Path tmp) {
    this.tmp = tmp;
  }

  /** Prepares {@code dir}/native and {@code dir}/tmp. */
  static ChildJvm in(Path dir) throws IOException {
    ChildJvm jvm = new ChildJvm(Files.createDirectories(dir.resolve("tmp")));
    jvm.options.addAll(
        List.of(
            "-Xmx256m",
            "-XX:+UseSerialGC",
            "-XX:TieredStopAtLevel=1",
            "-XX:-UsePerfData",
            "-Djava.io.tmpdir=" + jvm.tmp));
    String library = rocksDbLibraryName();
    if (library != null) {
      try (InputStream in = ChildJvm.class.getClassLoader().getResourceAsStream(library)) {
        if (in != null) {
          Path nativeDir = Files.createDirectories(dir.resolve("native"));
          Files.copy(in, nativeDir.resolve(library), StandardCopyOption.REPLACE_EXISTING);
          jvm.options.add("-Djava.library.path=" + nativeDir);
        }
      }
    }
    return jvm;
  }

  /**
   * RocksJava's name for its library on this platform, or null when the torture does not know it.
   */
  private static String rocksDbLibraryName() {
    String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
    String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
    if (os.contains("linux")) {
      return arch.equals("amd64") || arch.equals("x86_64")
          ? "librocksdbjni-linux64.so"
          : arch.equals("aarch64") ? "librocksdbjni-linux-aarch64.so" : null;
    }
    if (os.contains("mac")) {
      return arch.equals("aarch64")
          ? "librocksdbjni-osx-arm64.jnilib"
          : "librocksdbjni-osx-x86_64.jnilib";
    }
    return null;
  }

  /** The JVM options. */
  List<String> options() {
    return List.copyOf(options);
  }

  /** Deletes what killed children left in their temporary directory. */
  void cleanTemporaryFiles() throws IOException {
    try (Stream<Path> files = Files.walk(tmp)) {
      for (Path p : files.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
        if (!p.equals(tmp)) {
          Files.deleteIfExists(p);
        }
      }
    }
  }
}
