package dev.coffer.internal.expression;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * DynamoDB's reserved words, read once from {@code reserved-words.txt} beside this class (the list
 * of the DynamoDB Developer Guide, source noted in the file). A reserved word written bare in an
 * expression is an error in any letter case. Thread-safe.
 */
public final class ReservedWords {
  private static final Set<String> WORDS = load();

  private ReservedWords() {}

  /** Whether {@code name} is reserved (case-insensitive). */
  public static boolean isReserved(String name) {
    return WORDS.contains(name.toUpperCase(Locale.ROOT));
  }

  /** The number of reserved words. */
  public static int count() {
    return WORDS.size();
  }

  private static Set<String> load() {
    Set<String> words = new HashSet<>();
    try (InputStream in = ReservedWords.class.getResourceAsStream("reserved-words.txt")) {
      if (in == null) {
        throw new IllegalStateException("reserved-words.txt is missing from the class path");
      }
      BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        String word = line.trim();
        if (!word.isEmpty() && !word.startsWith("#")) {
          words.add(word.toUpperCase(Locale.ROOT));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("reading reserved-words.txt", e);
    }
    return Set.copyOf(words);
  }
}
