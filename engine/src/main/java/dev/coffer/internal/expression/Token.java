package dev.coffer.internal.expression;

/**
 * One lexical token of an expression, with its place in the source text (UTF-16 indexes, end
 * exclusive). {@link Kind#END} has the empty range at the end of the text.
 */
record Token(Kind kind, String text, int start, int end) {
  /** The token classes of DynamoDB's expression lexer. */
  enum Kind {
    /** A name: a letter, then letters, digits and underscores. Keywords are names too. */
    NAME,
    /** {@code #name}: an ExpressionAttributeNames placeholder. */
    NAME_PLACEHOLDER,
    /** {@code :value}: an ExpressionAttributeValues placeholder. */
    VALUE_PLACEHOLDER,
    /** Decimal digits (list indexes). */
    NUMBER,
    /** {@code = <> < <= > >= ( ) [ ] , . + -}. */
    PUNCTUATION,
    /** Any other character, on its own: always a syntax error. */
    OTHER,
    /** The end of the text. */
    END
  }

  /** Whether this is the punctuation {@code p}. */
  boolean is(String p) {
    return kind == Kind.PUNCTUATION && text.equals(p);
  }

  /** Whether this is the keyword {@code keyword} (keywords ignore case). */
  boolean isKeyword(String keyword) {
    return kind == Kind.NAME && text.equalsIgnoreCase(keyword);
  }

  /** The token as DynamoDB quotes it in a syntax error. */
  String display() {
    return kind == Kind.END ? "<EOF>" : text;
  }
}
