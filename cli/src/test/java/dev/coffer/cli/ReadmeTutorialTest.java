package dev.coffer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Runs every {@code console} block of the README command by command and compares what each command
 * prints with the output written under it, ids, times and blobs masked. Each {@code ## } section
 * runs on its own, from an empty environment and directory, its blocks in order (so a section can
 * build on its earlier blocks: the "Follow the AWS tutorial locally" section is one session).
 *
 * <p>A block holds lines {@code $ command} followed by the expected output. Commands are {@code
 * export NAME=value}, {@code NAME=$(coffer ...)} (captures stdout) and {@code coffer ...}; {@code
 * $NAME} expands; paths under {@code tutorial/} live in a temporary directory (use that prefix for
 * every file a new section makes). Run with {@code -Dcoffer.readme.update=true} to rewrite the
 * expected outputs from a real run (then read the diff before committing it). {@link
 * ReadmeCodeBlocksTest} checks the README's other blocks.
 */
class ReadmeTutorialTest {
  private static final Pattern CAPTURE = Pattern.compile("^([A-Z_]+)=\\$\\((.*)\\)$");
  private static final Pattern EXPORT = Pattern.compile("^export ([A-Z_]+)=(.*)$");
  private static final Pattern VARIABLE = Pattern.compile("\\$\\{?([A-Z_]+)\\}?");

  /** The console blocks this test runs: every one of the README. */
  static List<ReadmeBlocks.Block> consoleBlocks(String readme) {
    return ReadmeBlocks.parse(readme).stream().filter(b -> b.language().equals("console")).toList();
  }

  @Test
  void everyConsoleBlockInTheReadmeIsTrue(@TempDir Path tmp) throws IOException {
    Path readme = ReadmeBlocks.README;
    String text = Files.readString(readme, StandardCharsets.UTF_8);
    List<String> mismatches = new ArrayList<>();
    StringBuilder updated = new StringBuilder();
    int commands = 0;
    int sections = 0;
    String[] lines = text.split("\n", -1);
    int i = 0;
    while (i < lines.length) {
      int end = i + 1;
      while (end < lines.length && !lines[end].startsWith("## ")) {
        end++;
      }
      String section = String.join("\n", Arrays.asList(lines).subList(i, end));
      if (section.contains("\n```console\n") || section.startsWith("```console\n")) {
        Path dir = Files.createDirectories(tmp.resolve("section" + sections++));
        commands += runSection(section, dir.toString() + "/", updated, mismatches);
      } else {
        updated.append(section).append('\n');
      }
      i = end;
    }

    if (Boolean.getBoolean("coffer.readme.update")) {
      Files.writeString(readme, updated.substring(0, updated.length() - 1));
      return;
    }
    assertThat(sections).as("README sections with console blocks").isPositive();
    assertThat(commands).as("commands run").isGreaterThan(10);
    assertThat(mismatches).as("README console outputs").isEmpty();
  }

  /**
   * Runs the console blocks of one section; appends the section, outputs as they are now, to {@code
   * updated}.
   */
  private static int runSection(
      String section, String root, StringBuilder updated, List<String> mismatches) {
    Map<String, String> env = new HashMap<>();
    Map<String, String> vars = new HashMap<>();
    int commands = 0;
    boolean inBlock = false;
    String pendingCommand = null;
    List<String> expected = new ArrayList<>();
    for (String line : section.split("\n", -1)) {
      if (!inBlock) {
        updated.append(line).append('\n');
        inBlock = line.equals("```console");
        continue;
      }
      if (line.startsWith("$ ") || line.equals("```")) {
        if (pendingCommand != null) {
          String actual = run(pendingCommand, env, vars, root);
          commands++;
          appendOutput(updated, actual);
          if (!mask(String.join("\n", expected)).equals(mask(actual))) {
            mismatches.add(
                "$ "
                    + pendingCommand
                    + "\n--- expected\n"
                    + String.join("\n", expected)
                    + "\n--- actual\n"
                    + actual);
          }
        }
        expected.clear();
        pendingCommand = line.startsWith("$ ") ? line.substring(2) : null;
        updated.append(line).append('\n');
        inBlock = !line.equals("```");
      } else {
        expected.add(line);
      }
    }
    return commands;
  }

  private static void appendOutput(StringBuilder updated, String actual) {
    if (!actual.isEmpty()) {
      updated.append(actual).append('\n');
    }
  }

  private static String run(
      String command, Map<String, String> env, Map<String, String> vars, String root) {
    Matcher export = EXPORT.matcher(command);
    if (export.matches()) {
      String value =
          expand(unquote(export.group(2)), vars).replace("tutorial/", root + "tutorial/");
      env.put(export.group(1), value);
      vars.put(export.group(1), value);
      return "";
    }
    Matcher capture = CAPTURE.matcher(command);
    if (capture.matches()) {
      String out = coffer(capture.group(2), env, vars, root);
      vars.put(capture.group(1), out.strip());
      return "";
    }
    return coffer(command, env, vars, root);
  }

  private static String coffer(
      String command, Map<String, String> env, Map<String, String> vars, String root) {
    List<String> words = split(expand(command, vars).replace("tutorial/", root + "tutorial/"));
    assertThat(words.get(0))
        .as("tutorial commands start with coffer: " + command)
        .isEqualTo("coffer");
    CommandLine cmd =
        Main.newCommandLine(
            CliEnvironment.builder().variables(env::get).prompt(PassphrasePrompt.none()).build());
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cmd.setOut(new PrintWriter(out));
    cmd.setErr(new PrintWriter(err));
    cmd.execute(words.subList(1, words.size()).toArray(new String[0]));
    String all = (out.toString() + err.toString()).replace(root, "");
    return all.endsWith("\n") ? all.substring(0, all.length() - 1) : all;
  }

  /** Masks what differs between runs: ids, ARNs' ids, times, blobs, progress bars. */
  static String mask(String s) {
    return s.replace("\r", "\n")
        .replaceAll("\n*(\\[[# .=-]*\\][^\n]*\n*)+", "\n<progress>\n")
        .replaceAll("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", "<id>")
        .replaceAll(
            "\\d{4}-\\d{2}-\\d{2}[T ]\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?(Z|[+-]\\d{2}:?\\d{2})?",
            "<time>")
        .replaceAll("\\b1\\d{9}(\\.\\d+)?\\b", "<epoch>")
        .replaceAll("[A-Za-z0-9+/]{40,}={0,2}", "<blob>")
        .replaceAll("[0-9a-f]{32}", "<hex>")
        .replaceAll("[ \\t]+\\n", "\n")
        .strip();
  }

  private static String expand(String s, Map<String, String> vars) {
    Matcher m = VARIABLE.matcher(s);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String v = vars.get(m.group(1));
      m.appendReplacement(out, Matcher.quoteReplacement(v == null ? m.group() : v));
    }
    m.appendTail(out);
    return out.toString();
  }

  private static String unquote(String s) {
    if (s.length() >= 2
        && (s.startsWith("'") && s.endsWith("'") || s.startsWith("\"") && s.endsWith("\""))) {
      return s.substring(1, s.length() - 1);
    }
    return s;
  }

  /** Splits a command line as a POSIX shell does for plain words and single or double quotes. */
  static List<String> split(String line) {
    List<String> words = new ArrayList<>();
    StringBuilder word = new StringBuilder();
    boolean inWord = false;
    char quote = 0;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (quote != 0) {
        if (c == quote) {
          quote = 0;
        } else if (c == '\\' && quote == '"' && i + 1 < line.length()) {
          word.append(line.charAt(++i));
        } else {
          word.append(c);
        }
      } else if (c == '\'' || c == '"') {
        quote = c;
        inWord = true;
      } else if (Character.isWhitespace(c)) {
        if (inWord) {
          words.add(word.toString());
          word.setLength(0);
          inWord = false;
        }
      } else if (c == '\\' && i + 1 < line.length()) {
        word.append(line.charAt(++i));
        inWord = true;
      } else {
        word.append(c);
        inWord = true;
      }
    }
    if (inWord) {
      words.add(word.toString());
    }
    return words;
  }
}
