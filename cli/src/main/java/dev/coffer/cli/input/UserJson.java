package dev.coffer.cli.input;

import com.fasterxml.jackson.core.ErrorReportConfiguration;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.coffer.cli.CliInputException;
import java.io.IOException;

/**
 * Reads the JSON a user gives the command line (parameters, {@code file://} parameters, import
 * lines) strictly, as RFC 8259 and the AWS services do: exactly one value, nothing after it but
 * white space; no member name twice in one object; no comments, single quotes, {@code NaN} or
 * leading zeros; at most 1000 levels of nesting. The error says what is wrong and where, and quotes
 * at most {@value Excerpt#MAX_CHARS} characters of the input ({@link Excerpt}). Thread-safe.
 */
public final class UserJson {
  /**
   * The longest member name read: DynamoDB's attribute names go up to 64 KB, which the store
   * checks; Jackson's default (50,000 characters) would refuse valid ones first.
   */
  static final int MAX_NAME_CHARS = 1 << 20;

  private static final ObjectMapper STRICT =
      JsonMapper.builder(
              JsonFactory.builder()
                  .streamReadConstraints(
                      StreamReadConstraints.builder().maxNameLength(MAX_NAME_CHARS).build())
                  .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                  .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
                  // Jackson would quote up to 256 characters of a bad token; Excerpt caps the rest.
                  .errorReportConfiguration(
                      ErrorReportConfiguration.builder()
                          .maxErrorTokenLength(40)
                          .maxRawContentLength(0)
                          .build())
                  .build())
          .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
          // FAIL_ON_TRAILING_TOKENS' check is done by hand in parse(), to say where the extra text
          // starts.
          .disable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .build();

  private UserJson() {}

  /**
   * The JSON value of parameter {@code option}, given inline or as {@code file://PATH}.
   *
   * @throws CliInputException ({@code Error parsing parameter '<option>': Invalid JSON: ...}, with
   *     {@code in file://PATH} for a file) when the text is not one strict JSON value, or the file
   *     cannot be read
   */
  public static JsonNode parameter(String option, String value) {
    return parameter(option, value, ParamFiles.text(option, value));
  }

  /**
   * The JSON value of parameter {@code option} whose text, {@code text}, was already read from
   * {@code value} (inline, or {@code file://PATH}).
   *
   * @throws CliInputException when the text is not one strict JSON value
   */
  public static JsonNode parameter(String option, String value, String text) {
    String source = ParamFiles.isFile(value) ? " in " + Excerpt.of(value) : "";
    try {
      return parse(text);
    } catch (InvalidJsonException e) {
      throw CliInputException.parameter(
          option,
          "Invalid JSON"
              + source
              + ": "
              + e.getMessage()
              + "; JSON received: "
              + Excerpt.around(text.strip(), Math.max(0, e.charOffset() - leadingSpace(text))));
    }
  }

  /**
   * Parses {@code text} as one strict JSON value.
   *
   * @throws InvalidJsonException what is wrong, with its line and column
   */
  public static JsonNode parse(String text) {
    try (JsonParser parser = STRICT.createParser(text)) {
      JsonNode node;
      try {
        node = STRICT.readTree(parser);
      } catch (StreamConstraintsException e) {
        throw new InvalidJsonException(constraint(e), null);
      } catch (JsonProcessingException e) {
        throw new InvalidJsonException(reason(e), e.getLocation());
      }
      if (node == null || node.isMissingNode()) {
        throw new InvalidJsonException("no value", null);
      }
      int end = (int) parser.currentLocation().getCharOffset();
      int extra = end;
      while (extra < text.length() && isJsonSpace(text.charAt(extra))) {
        extra++;
      }
      if (extra >= text.length()) {
        return node;
      }
      throw new InvalidJsonException(
          "Unexpected text after the JSON value (give exactly one value)", text, extra);
    } catch (IOException e) {
      throw new InvalidJsonException(reason(e), null); // not reached for a String source
    }
  }

  /** Which of Jackson's size limits {@code e} reports, in the command line's words. */
  private static String constraint(StreamConstraintsException e) {
    StreamReadConstraints limits = STRICT.getFactory().streamReadConstraints();
    String m = String.valueOf(e.getOriginalMessage());
    if (m.startsWith("Name length")) {
      return "a member name is longer than " + limits.getMaxNameLength() + " characters";
    }
    if (m.startsWith("Number value length")) {
      return "a number is longer than " + limits.getMaxNumberLength() + " characters";
    }
    if (m.startsWith("String value length")) {
      return "a string is longer than " + limits.getMaxStringLength() + " characters";
    }
    if (m.startsWith("Document nesting depth") || m.startsWith("Depth")) {
      return "nested more than " + limits.getMaxNestingDepth() + " levels deep";
    }
    return "too large to read";
  }

  /** Jackson's reason in one line, without its hints about where a structure started. */
  private static String reason(IOException e) {
    String m = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
    m = m == null ? "malformed" : m.lines().findFirst().orElse("malformed");
    int cut = m.indexOf(" (start marker");
    m = cut < 0 ? m : m.substring(0, cut);
    if (m.startsWith("Duplicate field ")) {
      m =
          "Duplicate member name "
              + m.substring("Duplicate field ".length())
              + " (a name may appear once in an object)";
    }
    return Excerpt.line(m, 2 * Excerpt.MAX_CHARS);
  }

  private static boolean isJsonSpace(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
  }

  private static int leadingSpace(String text) {
    int i = 0;
    while (i < text.length() && Character.isWhitespace(text.charAt(i))) {
      i++;
    }
    return i;
  }

  /**
   * Text that is not one strict JSON value. The message says what is wrong and, when known, where
   * ({@code at line L column C}).
   */
  public static final class InvalidJsonException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final String reason;
    private final int line;
    private final int column;
    private final int charOffset;

    InvalidJsonException(String reason, JsonLocation location) {
      super(
          reason
              + (location == null || location.getLineNr() < 1
                  ? ""
                  : " at line " + location.getLineNr() + " column " + location.getColumnNr()));
      this.reason = reason;
      this.line = location == null ? -1 : location.getLineNr();
      this.column = location == null ? -1 : location.getColumnNr();
      this.charOffset = location == null ? 0 : (int) Math.max(0, location.getCharOffset());
    }

    /** At character {@code index} of {@code text}. */
    InvalidJsonException(String reason, String text, int index) {
      this(reason, location(text, index));
    }

    private static JsonLocation location(String text, int index) {
      int line = 1;
      int lineStart = 0;
      for (int i = 0; i < index; i++) {
        if (text.charAt(i) == '\n') {
          line++;
          lineStart = i + 1;
        }
      }
      return new JsonLocation(null, -1, index, line, index - lineStart + 1);
    }

    /** What is wrong, without the place. */
    public String reason() {
      return reason;
    }

    /** The line (from 1) where it is wrong, or -1 when unknown. */
    public int line() {
      return line;
    }

    /** The column (from 1) where it is wrong, or -1 when unknown. */
    public int column() {
      return column;
    }

    /** The index in the text where it is wrong (0 when unknown). */
    public int charOffset() {
      return charOffset;
    }
  }
}
