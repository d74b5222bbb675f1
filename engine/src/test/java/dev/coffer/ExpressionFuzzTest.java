package dev.coffer;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.coffer.internal.expression.Printer;
import dev.coffer.internal.expression.UpdateResult;
import dev.coffer.testkit.fuzz.FuzzText;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Fuzz target: DynamoDB's expression languages as the public API takes them ({@link
 * Condition#expression}, {@link Condition#filterExpression}, {@link Update#expression}, {@link
 * Projection#expression}, {@link Query#keyCondition}, {@link Expressions.Builder#build()} with
 * {@link Expressions#keyCondition}).
 *
 * <p><b>Documented exceptions:</b> {@link ValidationException} only (docs/expressions.md:
 * "everything wrong with an expression itself is a ValidationException at once"), with a message
 * that names the parameter ({@code Invalid ConditionExpression: ...}) or one of the request-level
 * problems. What parses must also behave: evaluating a condition never throws, applying an update
 * throws only {@link ValidationException} and otherwise yields a valid item that keeps its key, a
 * projection applies, and every parsed expression printed back as text (with the placeholders the
 * printer chose) parses to an equal expression.
 *
 * <p><b>Input:</b> the first byte picks the entry point: {@code C} condition, {@code F} filter,
 * {@code U} update, {@code P} projection, {@code K} key condition, {@code E} the five expressions
 * of one request separated by {@code |} (key condition|filter|projection|update|condition, an empty
 * part is absent); upper case passes only the placeholders the text mentions, lower case all of
 * them (so unused ones are reported); any other byte picks one by its value. The rest is the
 * expression text ({@link FuzzText}). The placeholders are fixed: see {@link #NAMES} and {@link
 * #VALUES}.
 */
public class ExpressionFuzzTest {
  static final Map<String, String> NAMES = new LinkedHashMap<>();
  static final Map<String, AttributeValue> VALUES = new LinkedHashMap<>();
  private static final Pattern PLACEHOLDER = Pattern.compile("[#:][A-Za-z0-9_]+");
  private static final KeySchema SCHEMA =
      KeySchema.of("pk", AttributeType.S, "sk", AttributeType.N);
  private static final KeySchema PK_ONLY = KeySchema.of("pk", AttributeType.B);
  private static final List<Item> ITEMS = new ArrayList<>();

  static {
    NAMES.put("#a", "a");
    NAMES.put("#b", "b");
    NAMES.put("#n", "name");
    NAMES.put("#s", "status");
    NAMES.put("#d", "a.b");
    NAMES.put("#pk", "pk");
    NAMES.put("#sk", "sk");
    NAMES.put("#l", "l");
    NAMES.put("#m", "m");
    NAMES.put("#0", "0");
    VALUES.put(":s", AttributeValue.s("x"));
    VALUES.put(":t", AttributeValue.s("abc"));
    VALUES.put(":e", AttributeValue.s(""));
    VALUES.put(":n", AttributeValue.n(1));
    VALUES.put(":m", AttributeValue.n("-2.5"));
    VALUES.put(":big", AttributeValue.n("9.9999999999999999999999999999999999999E+125"));
    VALUES.put(":b", AttributeValue.b(new byte[] {1, 2}));
    VALUES.put(":bool", AttributeValue.bool(true));
    VALUES.put(":null", AttributeValue.nul());
    VALUES.put(":l", AttributeValue.l(AttributeValue.s("x"), AttributeValue.n(2)));
    VALUES.put(":map", AttributeValue.m(Map.of("k", AttributeValue.s("v"))));
    VALUES.put(":ss", AttributeValue.ss("x", "y"));
    VALUES.put(":ns", AttributeValue.ns("1", "2"));
    VALUES.put(":bs", AttributeValue.bs(List.of(new byte[] {1}, new byte[] {2})));
    VALUES.put(":type", AttributeValue.s("S"));
    ITEMS.add(null);
    ITEMS.add(Item.empty());
    ITEMS.add(
        Item.builder()
            .string("pk", "p")
            .number("sk", "5")
            .string("a", "x")
            .number("b", "1")
            .string("name", "abc")
            .string("status", "open")
            .put("a.b", AttributeValue.bool(false))
            .put(
                "l",
                AttributeValue.l(
                    AttributeValue.s("x"),
                    AttributeValue.n(2),
                    AttributeValue.l(AttributeValue.ss("x")),
                    AttributeValue.m(Map.of("c", AttributeValue.n(3)))))
            .put(
                "m",
                AttributeValue.m(
                    Map.of(
                        "k",
                        AttributeValue.s("v"),
                        "n",
                        AttributeValue.m(Map.of("deep", AttributeValue.l(AttributeValue.nul()))))))
            .put("ss", AttributeValue.ss("x", "y"))
            .put("ns", AttributeValue.ns("1", "2"))
            .put("bs", AttributeValue.bs(List.of(new byte[] {1})))
            .put("0", AttributeValue.b(new byte[] {1, 2, 3}))
            .build());
  }

  @FuzzTest(maxDuration = "30s")
  void fuzz(byte[] input) {
    check(input);
  }

  /** The check of one input (see the class comment). */
  public static void check(byte[] input) {
    if (input.length == 0) {
      return;
    }
    int selector = input[0] & 0xFF;
    int mode = "CFUPKE".indexOf(Character.toUpperCase((char) selector));
    if (mode < 0) {
      mode = selector % 6;
    }
    boolean all = Character.isLowerCase((char) selector);
    String text = FuzzText.of(input, 1, input.length);
    Map<String, String> names = all ? NAMES : used(text, NAMES);
    Map<String, AttributeValue> values = all ? VALUES : used(text, VALUES);
    try {
      switch (mode) {
        case 0 -> condition(Condition.expression(text, names, values));
        case 1 -> condition(Condition.filterExpression(text, names, values));
        case 2 -> update(Update.expression(text, names, values));
        case 3 -> projection(Projection.expression(text, names));
        case 4 -> keyCondition(text, names, values);
        default -> request(text, names, values);
      }
    } catch (ValidationException e) {
      assertThat(e.getMessage()).as("a ValidationException's message").isNotBlank();
      assertThat(e.errorCode()).isEqualTo("ValidationException");
    }
  }

  private static void condition(Condition c) {
    for (Item item : ITEMS) {
      c.matches(item); // documented never to throw
    }
    Printer.Printed p = Printer.condition(c.tree(), name -> true);
    assertThat(Condition.expression(p.expression(), p.names(), p.values()))
        .as("reparsed " + p)
        .isEqualTo(c);
    assertThat(c.toString()).isNotEmpty();
  }

  private static void update(Update u) {
    Printer.Printed p = Printer.update(u.tree(), name -> true);
    assertThat(Update.expression(p.expression(), p.names(), p.values()))
        .as("reparsed " + p)
        .isEqualTo(u);
    Key key = Key.of(AttributeValue.s("p"), AttributeValue.n(5));
    for (Item old : ITEMS) {
      if (old != null && !old.has("pk")) {
        continue;
      }
      UpdateResult r;
      try {
        r = u.applyTo(old, key, SCHEMA);
      } catch (ValidationException e) {
        continue; // documented: the update does not fit this item
      }
      if (r.item() == null) {
        // documented: REMOVE and DELETE alone on an item that does not exist create nothing
        assertThat(old).as("only a missing item stays missing").isNull();
        continue;
      }
      assertThat(r.item().get("pk")).isEqualTo(key.partition());
      assertThat(r.item().get("sk")).isEqualTo(key.sort());
      assertThat(Item.of(r.item().attributes())).isEqualTo(r.item()); // a valid item
    }
  }

  private static void projection(Projection p) {
    assertThat(Projection.of(p.paths())).isEqualTo(p);
    for (Item item : ITEMS) {
      if (item != null) {
        p.apply(item);
      }
    }
    assertThat(p.toString()).isNotEmpty();
  }

  private static void keyCondition(
      String text, Map<String, String> names, Map<String, AttributeValue> values) {
    Query q = Query.keyCondition(SCHEMA, text, names, values);
    assertThat(q.partitionKey().type()).isEqualTo(AttributeType.S);
    for (AttributeValue v : q.sortValues()) {
      assertThat(v.type()).isEqualTo(AttributeType.N);
    }
    try {
      Query.keyCondition(PK_ONLY, text, names, values);
    } catch (ValidationException expected) {
      // the same condition on another schema may be refused, as documented
    }
  }

  private static void request(
      String text, Map<String, String> names, Map<String, AttributeValue> values) {
    String[] parts = Arrays.copyOf(text.split("\\|", 5), 5);
    Expressions e =
        Expressions.builder()
            .keyConditionExpression(part(parts[0]))
            .filterExpression(part(parts[1]))
            .projectionExpression(part(parts[2]))
            .updateExpression(part(parts[3]))
            .conditionExpression(part(parts[4]))
            .expressionAttributeNames(names.isEmpty() ? null : names)
            .expressionAttributeValues(values.isEmpty() ? null : values)
            .build();
    e.filterExpression().ifPresent(ExpressionFuzzTest::condition);
    e.conditionExpression().ifPresent(ExpressionFuzzTest::condition);
    e.projectionExpression().ifPresent(ExpressionFuzzTest::projection);
    if (e.hasKeyCondition()) {
      e.keyCondition(SCHEMA);
    }
  }

  private static String part(String s) {
    return s == null || s.isEmpty() ? null : s;
  }

  /** The entries of {@code all} whose placeholder occurs in {@code text}. */
  private static <V> Map<String, V> used(String text, Map<String, V> all) {
    Map<String, V> out = new LinkedHashMap<>();
    Matcher m = PLACEHOLDER.matcher(text);
    while (m.find()) {
      V v = all.get(m.group());
      if (v != null) {
        out.put(m.group(), v);
      }
    }
    return out;
  }
}
