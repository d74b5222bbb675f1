package dev.coffer.internal.expression;

import dev.coffer.internal.expression.Token.Kind;
import java.util.ArrayList;
import java.util.List;

/**
 * DynamoDB's expression lexer. Names start with a letter ({@code _a} and {@code 1a} are not names:
 * DynamoDB reports their first character as the bad token); placeholders are {@code #} or {@code :}
 * followed by at least one letter, digit or underscore; whitespace is space, tab, CR and LF. Any
 * other character becomes a token of its own, which no grammar accepts, so that the parser reports
 * it with DynamoDB's {@code Syntax error; token: "...", near: "..."}. Stateless.
 */
final class Lexer {
  private Lexer() {}

  /** The tokens of {@code text}, ending with one {@link Kind#END}. */
  static List<Token> tokenize(String text) {
    List<Token> tokens = new ArrayList<>();
    int i = 0;
    int n = text.length();
    while (i < n) {
      char c = text.charAt(i);
      int start = i;
      if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
        i++;
        continue;
      }
      if (isLetter(c)) {
        i++;
        while (i < n && isNamePart(text.charAt(i))) {
          i++;
        }
        tokens.add(new Token(Kind.NAME, text.substring(start, i), start, i));
      } else if ((c == '#' || c == ':') && i + 1 < n && isNamePart(text.charAt(i + 1))) {
        i += 2;
        while (i < n && isNamePart(text.charAt(i))) {
          i++;
        }
        tokens.add(
            new Token(
                c == '#' ? Kind.NAME_PLACEHOLDER : Kind.VALUE_PLACEHOLDER,
                text.substring(start, i),
                start,
                i));
      } else if (c >= '0' && c <= '9') {
        while (i < n && text.charAt(i) >= '0' && text.charAt(i) <= '9') {
          i++;
        }
        tokens.add(new Token(Kind.NUMBER, text.substring(start, i), start, i));
      } else if ((c == '<' || c == '>')
          && i + 1 < n
          && (text.charAt(i + 1) == '=' || (c == '<' && text.charAt(i + 1) == '>'))) {
        i += 2;
        tokens.add(new Token(Kind.PUNCTUATION, text.substring(start, i), start, i));
      } else if ("=<>()[],.+-".indexOf(c) >= 0) {
        i++;
        tokens.add(new Token(Kind.PUNCTUATION, String.valueOf(c), start, i));
      } else {
        i += Character.charCount(text.codePointAt(i));
        tokens.add(new Token(Kind.OTHER, text.substring(start, i), start, i));
      }
    }
    tokens.add(new Token(Kind.END, "", n, n));
    return tokens;
  }

  static boolean isLetter(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  }

  static boolean isNamePart(char c) {
    return isLetter(c) || (c >= '0' && c <= '9') || c == '_';
  }

  /** Whether {@code name} lexes as one name token ({@code [A-Za-z][A-Za-z0-9_]*}). */
  static boolean isPlainName(String name) {
    if (name.isEmpty() || !isLetter(name.charAt(0))) {
      return false;
    }
    for (int i = 1; i < name.length(); i++) {
      if (!isNamePart(name.charAt(i))) {
        return false;
      }
    }
    return true;
  }
}
