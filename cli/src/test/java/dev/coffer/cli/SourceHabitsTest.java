package dev.coffer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Two habits of the command line's main sources, checked on the source text: no command reaches for
 * {@link Main} (the context comes from the injected {@link RunContext}, exit codes from {@link
 * ExitCode}), which keeps the root command out of import cycles with its subcommands; and no inline
 * fully qualified class name where an import would do.
 */
class SourceHabitsTest {
  private static final Path MAIN = Path.of("src", "main", "java");

  /** Files that still use the old way. Remove entries as they are fixed; never add one. */
  private static final Set<String> NOT_YET_MOVED = Set.of();

  /** A class named by package: {@code java.util.HashSet}, {@code dev.coffer.Item}. */
  private static final Pattern QUALIFIED =
      Pattern.compile(
          "(?<![\\w.\"/])(?:java|javax|dev|com|org|picocli|io)\\.(?:[a-z][a-z0-9_]*\\.)+[A-Z]\\w*");

  @Test
  void noCommandReachesForMain() throws IOException {
    List<String> offenders = new ArrayList<>();
    for (Path file : sources()) {
      String name = relative(file);
      if (name.equals("dev/coffer/cli/Main.java") || NOT_YET_MOVED.contains(name)) {
        continue;
      }
      String code = withoutComments(Files.readString(file, StandardCharsets.UTF_8));
      if (code.contains("import dev.coffer.cli.Main;")
          || Pattern.compile("\\bMain\\s*[.)]").matcher(code).find()) {
        offenders.add(name);
      }
    }
    assertThat(offenders).as("files that use Main instead of RunContext and ExitCode").isEmpty();
  }

  @Test
  void importsInsteadOfQualifiedNames() throws IOException {
    List<String> offenders = new ArrayList<>();
    for (Path file : sources()) {
      String name = relative(file);
      if (name.endsWith("package-info.java") || NOT_YET_MOVED.contains(name)) {
        continue; // a package's javadoc has no imports to use
      }
      String[] lines = Files.readString(file, StandardCharsets.UTF_8).split("\n", -1);
      for (int i = 0; i < lines.length; i++) {
        String line = lines[i];
        if (line.startsWith("import ") || line.startsWith("package ")) {
          continue;
        }
        Matcher m = QUALIFIED.matcher(line);
        while (m.find()) {
          boolean clash = i > 0 && lines[i - 1].contains("stays qualified");
          if (!clash) {
            offenders.add(name + ":" + (i + 1) + ": " + m.group());
          }
        }
      }
    }
    assertThat(offenders)
        .as(
            "inline qualified names (import them; a real name clash says so in a comment"
                + " on the line before, with the words 'stays qualified')")
        .isEmpty();
  }

  private static List<Path> sources() throws IOException {
    try (Stream<Path> s = Files.walk(MAIN)) {
      List<Path> files = s.filter(p -> p.toString().endsWith(".java")).sorted().toList();
      assertThat(files).as("sources under " + MAIN.toAbsolutePath()).isNotEmpty();
      return files;
    }
  }

  private static String relative(Path file) {
    return MAIN.relativize(file).toString().replace('\\', '/');
  }

  private static String withoutComments(String code) {
    return code.replaceAll("(?s)/\\*.*?\\*/", "").replaceAll("//[^\n]*", "");
  }
}
