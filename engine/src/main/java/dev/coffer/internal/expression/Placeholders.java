package dev.coffer.internal.expression;

import dev.coffer.AttributeValue;
import dev.coffer.ValidationException;
import dev.coffer.internal.model.Strings;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The ExpressionAttributeNames ({@code #n}) and ExpressionAttributeValues ({@code :v}) of one
 * request, shared by all its expressions. Checks the maps as DynamoDB does when made, resolves
 * placeholders for the parsers, and afterwards reports definitions no expression used. Not
 * thread-safe: one per request.
 */
public final class Placeholders {
  /**
   * DynamoDB's limit on a placeholder's length, in UTF-8 bytes including {@code #} or {@code :}.
   */
  public static final int MAX_KEY_BYTES = 255;

  private static final Pattern NAME_KEY = Pattern.compile("#[0-9a-zA-Z_]+");
  private static final Pattern VALUE_KEY = Pattern.compile(":[0-9a-zA-Z_]+");

  private final Map<String, String> names;
  private final Map<String, AttributeValue> values;
  private final boolean namesGiven;
  private final boolean valuesGiven;
  private final Set<String> usedNames = new LinkedHashSet<>();
  private final Set<String> usedValues = new LinkedHashSet<>();

  private Placeholders(Map<String, String> names, Map<String, AttributeValue> values) {
    this.namesGiven = names != null;
    this.valuesGiven = values != null;
    this.names = names == null ? Map.of() : new LinkedHashMap<>(names);
    this.values = values == null ? Map.of() : new LinkedHashMap<>(values);
  }

  /** No placeholders. */
  public static Placeholders none() {
    return new Placeholders(null, null);
  }

  /**
   * Checks and holds the maps; null means the request does not have the parameter (an empty map is
   * an error, as in DynamoDB).
   *
   * @throws ValidationException with DynamoDB's message for an empty map, a malformed or too long
   *     key, or an empty attribute name; for a name that is not valid UTF-8 (an unpaired UTF-16
   *     surrogate, which would otherwise reach the store as {@code '?'})
   */
  public static Placeholders of(Map<String, String> names, Map<String, AttributeValue> values) {
    if (names != null) {
      if (names.isEmpty()) {
        throw new ValidationException("ExpressionAttributeNames must not be empty");
      }
      names.forEach(
          (k, v) -> {
            checkKey("ExpressionAttributeNames", k, NAME_KEY, true);
            if (v == null || v.isEmpty()) {
              throw new ValidationException(
                  "ExpressionAttributeNames contains invalid value: Empty attribute name for key "
                      + k);
            }
            Strings.checkWellFormed(v, "The ExpressionAttributeNames value for key " + k);
          });
    }
    if (values != null) {
      if (values.isEmpty()) {
        throw new ValidationException("ExpressionAttributeValues must not be empty");
      }
      values.forEach(
          (k, v) -> {
            checkKey("ExpressionAttributeValues", k, VALUE_KEY, false);
            Objects.requireNonNull(v, () -> "ExpressionAttributeValues value of " + k);
          });
    }
    return new Placeholders(names, values);
  }

  private static void checkKey(
      String parameter, String key, Pattern syntax, boolean sizeInMessage) {
    Objects.requireNonNull(key, parameter + " key");
    int bytes = key.getBytes(StandardCharsets.UTF_8).length;
    if (bytes > MAX_KEY_BYTES) {
      throw new ValidationException(
          parameter
              + " contains invalid key: The expression attribute map contains a key"
              + " that is too long;"
              + (sizeInMessage ? " size of key: " + bytes : ""));
    }
    if (!syntax.matcher(key).matches()) {
      throw new ValidationException(
          parameter + " contains invalid key: Syntax error; key: \"" + key + "\"");
    }
  }

  /** Whether the request has ExpressionAttributeNames. */
  public boolean hasNames() {
    return namesGiven;
  }

  /** Whether the request has ExpressionAttributeValues. */
  public boolean hasValues() {
    return valuesGiven;
  }

  /** The name {@code placeholder} stands for (marking it used), or null when not defined. */
  String name(String placeholder) {
    String n = names.get(placeholder);
    if (n != null) {
      usedNames.add(placeholder);
    }
    return n;
  }

  /** The value {@code placeholder} stands for (marking it used), or null when not defined. */
  AttributeValue value(String placeholder) {
    AttributeValue v = values.get(placeholder);
    if (v != null) {
      usedValues.add(placeholder);
    }
    return v;
  }

  /**
   * Fails as DynamoDB does when a name, then a value, was defined and used by no expression: {@code
   * Value provided in ExpressionAttributeNames unused in expressions: keys: {#a, #b}}.
   */
  public void checkAllUsed() {
    check("ExpressionAttributeNames", names.keySet(), usedNames);
    check("ExpressionAttributeValues", values.keySet(), usedValues);
  }

  private static void check(String parameter, Set<String> defined, Set<String> used) {
    Set<String> unused = new LinkedHashSet<>(defined);
    unused.removeAll(used);
    if (!unused.isEmpty()) {
      throw new ValidationException(
          "Value provided in "
              + parameter
              + " unused in expressions: keys: {"
              + String.join(", ", unused)
              + "}");
    }
  }
}
