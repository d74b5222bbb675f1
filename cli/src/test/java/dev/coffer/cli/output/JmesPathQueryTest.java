package dev.coffer.cli.output;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coffer.cli.CliInputException;
import dev.coffer.cli.CliRun;
import dev.coffer.cli.ErrorLines;
import dev.coffer.cli.ExitCode;
import dev.coffer.cli.input.UserJson;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code --query} expressions nested too deeply for the JMESPath library's recursive parser are bad
 * usage with a sentence, not a {@link StackOverflowError} and a stack trace (found by {@link
 * JmesPathQueryFuzzTest}, docs/fuzzing.md).
 */
class JmesPathQueryTest {
  @Test
  void deepNestingIsBadUsageNotAStackOverflow() {
    for (String query :
        new String[] {
          "(".repeat(2000) + "a" + ")".repeat(2000),
          "!".repeat(4000) + "a",
          "(".repeat(20_000) + "a" + ")".repeat(20_000)
        }) {
      assertThatThrownBy(() -> JmesPathQuery.compile(query))
          .isInstanceOf(CliInputException.class)
          .hasMessageStartingWith("Bad value for --query " + query.substring(0, 4))
          .hasMessageEndingWith(
              ": the expression is nested too deeply (parentheses, brackets, negations or pipes)");
    }
  }

  @Test
  void nestingIsMeasuredBeforeParsingSoTheLimitDoesNotDependOnTheStack() {
    int max = JmesPathQuery.MAX_NESTING;
    assertThatThrownBy(() -> JmesPathQuery.compile("(".repeat(max + 1) + "a" + ")".repeat(max + 1)))
        .hasMessageEndingWith("nested too deeply (parentheses, brackets, negations or pipes)");
    assertThatThrownBy(() -> JmesPathQuery.compile("!".repeat(max + 1) + "a"))
        .isInstanceOf(CliInputException.class);
    assertThatThrownBy(() -> JmesPathQuery.compile("a" + "|a".repeat(max + 1)))
        .isInstanceOf(CliInputException.class);
    assertThat(JmesPathQuery.nesting("Items[?age.N > `30`].{n: name.S, t: tags[0]} | [0]"))
        .isEqualTo(3);
    // brackets inside quoted identifiers, raw strings and literals do not count (4: the pipes)
    assertThat(JmesPathQuery.nesting("\"((((\\\"\".a || '[[[[' || `\"{{{{\"`")).isEqualTo(4);
    assertThat(JmesPathQuery.compile("Items[?age.N > `30`].{n: name.S} | [0]").toString())
        .startsWith("Items");
  }

  @Test
  void throughTheCommandLineItIsExitTwoWithOneLine() {
    CliRun cli = new CliRun();
    String line =
        cli.run("kms", "list-keys", "--query", "(".repeat(3000) + "Keys" + ")".repeat(3000))
            .failsWith(ExitCode.USAGE);
    assertThat(line).contains("the expression is nested too deeply");
    ErrorLines.assertPrintableLine(line);
    ErrorLines.assertNoJavaInternals(line);
  }

  @Test
  void anIndexOrSliceBoundBeyond32BitsIsBadUsageNotANumberFormatException() {
    for (String q :
        List.of(
            "Items[999999999999999999999999999999999990]",
            "Items[-99999999999]",
            "Items[1:99999999999]",
            "Items[::99999999999]")) {
      assertThatThrownBy(() -> JmesPathQuery.compile(q))
          .as(q)
          .isInstanceOf(CliInputException.class)
          .hasMessageStartingWith("Bad value for --query ")
          .hasMessageContaining("out of range");
    }
    assertThat(JmesPathQuery.compile("Items[2147483647]")).isNotNull();
  }

  @Test
  void ordinaryNestingStillWorks() {
    assertThat(JmesPathQuery.compile("((a))").apply(UserJson.parse("{\"a\": 1}")).asInt())
        .isEqualTo(1);
  }
}
