package dev.coffer.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The fenced code blocks of the repository's {@code README.md}, in order: each with its language
 * (the word after the opening fence, empty when none), the {@code ## } section it is in, the line
 * of its opening fence and its text. For the tests that check every block.
 */
final class ReadmeBlocks {
  /** The README, seen from the {@code cli} module's directory (where its tests run). */
  static final Path README = Path.of("..", "README.md");

  private ReadmeBlocks() {}

  /** One fenced block. {@code line} is the 1-based line of the opening fence. */
  record Block(String language, String section, int line, String text) {
    /** {@code README.md line N (language, in "section")}, for messages. */
    String where() {
      return "README.md line "
          + line
          + " ("
          + (language.isEmpty() ? "no language" : language)
          + " block in \""
          + section
          + "\")";
    }
  }

  static String readme() {
    try {
      return Files.readString(README, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + README.toAbsolutePath(), e);
    }
  }

  static List<Block> blocks() {
    return parse(readme());
  }

  /** The fenced blocks of {@code markdown}; an unclosed fence runs to the end. */
  static List<Block> parse(String markdown) {
    List<Block> out = new ArrayList<>();
    String section = "";
    String[] lines = markdown.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i];
      if (line.startsWith("## ")) {
        section = line.substring(3).strip();
      } else if (line.startsWith("```")) {
        String language = line.substring(3).strip();
        int start = i;
        StringBuilder text = new StringBuilder();
        for (i++; i < lines.length && !lines[i].startsWith("```"); i++) {
          text.append(lines[i]).append('\n');
        }
        out.add(new Block(language, section, start + 1, text.toString()));
      }
    }
    return out;
  }
}
