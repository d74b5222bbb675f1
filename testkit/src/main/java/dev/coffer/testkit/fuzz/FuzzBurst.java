package dev.coffer.testkit.fuzz;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.provider.Arguments;

/**
 * All the fuzz targets of one module behind one input, for the short fuzzing burst of the default
 * build: Jazzer fuzzes one {@code @FuzzTest} per JVM, so a module's burst is one test that hands
 * each input to the target its first byte selects ({@code input[0] mod n}) with the rest of the
 * input. Its seeds are every target's committed corpus with that target's selector byte in front,
 * so the burst starts where each target's regression corpus is. Immutable and thread-safe.
 */
public final class FuzzBurst {
  private final List<FuzzTarget> targets;

  private FuzzBurst(List<FuzzTarget> targets) {
    if (targets.isEmpty() || targets.size() > 256) {
      throw new IllegalArgumentException("1 to 256 targets");
    }
    this.targets = List.copyOf(targets);
  }

  /** A burst over {@code targets}; the first byte of an input selects one. */
  public static FuzzBurst of(FuzzTarget... targets) {
    return new FuzzBurst(Arrays.asList(targets));
  }

  /** The targets, in selector order. */
  public List<FuzzTarget> targets() {
    return targets;
  }

  /**
   * Runs the target {@code input[0]} selects on the rest of {@code input}; an empty input selects
   * nothing.
   */
  public void run(byte[] input) {
    if (input.length == 0) {
      return;
    }
    targets
        .get((input[0] & 0xFF) % targets.size())
        .check()
        .accept(Arrays.copyOfRange(input, 1, input.length));
  }

  /**
   * Every target's committed corpus, each file with its target's selector byte in front, named
   * {@code Target/file}.
   */
  public Stream<Arguments> seeds() {
    List<Arguments> out = new ArrayList<>();
    for (int i = 0; i < targets.size(); i++) {
      FuzzTarget t = targets.get(i);
      for (Path file : corpus(t.testClass())) {
        byte[] body = read(file);
        byte[] seed = new byte[body.length + 1];
        seed[0] = (byte) i;
        System.arraycopy(body, 0, seed, 1, body.length);
        out.add(Arguments.of(Named.of(t.name() + "/" + file.getFileName(), seed)));
      }
    }
    return out.stream();
  }

  /**
   * The files of {@code testClass}'s corpus directory {@code <SimpleName>Inputs/} (recursively),
   * sorted.
   */
  public static List<Path> corpus(Class<?> testClass) {
    URL url = testClass.getResource(testClass.getSimpleName() + "Inputs");
    if (url == null) {
      return List.of();
    }
    try (Stream<Path> files = Files.walk(Path.of(url.toURI()))) {
      return files.filter(Files::isRegularFile).sorted().collect(Collectors.toList());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * The names of the fuzz test classes ({@code *FuzzTest}) compiled into the test class directory
   * of {@code anyTestClass} that this burst does not cover: a target left out of the burst would
   * never be fuzzed by the default build.
   */
  public Set<String> missingFrom(Class<?> anyTestClass) {
    Path root;
    try {
      root = Path.of(anyTestClass.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
    Set<String> covered =
        targets.stream().map(t -> t.testClass().getName()).collect(Collectors.toSet());
    try (Stream<Path> files = Files.walk(root)) {
      return files
          .map(p -> root.relativize(p).toString())
          .filter(p -> p.endsWith("FuzzTest.class") && !p.contains("$"))
          .map(
              p ->
                  p.substring(0, p.length() - ".class".length())
                      .replace('/', '.')
                      .replace('\\', '.'))
          .filter(name -> !covered.contains(name))
          .collect(Collectors.toCollection(TreeSet::new));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Minimizes a finding: {@code spec} is {@code TargetName:path/to/crash-file} (a path relative to
   * the module); writes {@code crash-file.min} and returns what it did.
   */
  public String minimize(String spec) throws IOException {
    String[] arg = spec.split(":", 2);
    FuzzTarget target =
        targets.stream()
            .filter(t -> t.name().equals(arg[0]))
            .findFirst()
            .orElseThrow(
                () -> new IllegalArgumentException("no target " + arg[0] + " in " + targets));
    Path file = Path.of(arg[1]);
    byte[] min = FuzzMinimizer.minimize(target.check(), Files.readAllBytes(file));
    Path out = Path.of(file + ".min");
    Files.write(out, min);
    return "fuzz.minimize: "
        + file
        + " ("
        + Files.size(file)
        + " bytes) -> "
        + out
        + " ("
        + min.length
        + " bytes), failing as "
        + FuzzMinimizer.failure(target.check(), min);
  }

  private static byte[] read(Path file) {
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
