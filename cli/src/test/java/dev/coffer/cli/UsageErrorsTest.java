package dev.coffer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Every numeric or enumerated option, given a bad value, ends in one sentence with the usage exit
 * code (2) for what the command line checks itself, or the service's ValidationException (1) for
 * what DynamoDB or KMS would refuse: never a Java exception's name, never half-done work. {@link
 * #everyNumericOrEnumeratedOptionIsInTheTable()} fails when an option of that kind is added without
 * a row here.
 */
class UsageErrorsTest {
  /** Words that must never reach the user: a Java exception's name instead of a sentence. */
  private static final Pattern JAVA_EXCEPTION =
      Pattern.compile(
          "IllegalArgumentException|IllegalStateException|NumberFormatException|NullPointerException"
              + "|ArithmeticException|InternalServerError|RuntimeException|TypeConversionException");

  /** An option label that lists choices: {@code AES_256|AES_128}, {@code json|text|table}. */
  private static final Pattern CHOICES = Pattern.compile("[A-Za-z0-9_]+(\\|[A-Za-z0-9_]+)+");

  /** Labels with a bar that name kinds of value, not choices. */
  private static final Set<String> NOT_CHOICES = Set.of("NAME|ARN", "FILE|DIR");

  /** Options owned by other work that are known not to follow the rule yet. Never add to this. */
  private static final Set<String> OWNED_ELSEWHERE = Set.of();

  private final CliRun cli = new CliRun();
  @TempDir Path dir;
  private String key;

  @BeforeEach
  void store() {
    cli.env.put("COFFER_STORE", dir.resolve("store").toString());
    key = cli.createKey("store key");
    cli.env.put("COFFER_MASTER_KEY", key);
    cli.run(
            "dynamodb",
            "create-table",
            "--table-name",
            "Music",
            "--attribute-definitions",
            "AttributeName=pk,AttributeType=S",
            "--key-schema",
            "AttributeName=pk,KeyType=HASH")
        .ok();
    cli.run("dynamodb", "put-item", "--table-name", "Music", "--item", "{\"pk\": {\"S\": \"a\"}}")
        .ok();
  }

  /**
   * Command and option (as picocli names them) to the arguments that give it the value {@code X}.
   */
  private Map<String, List<String>> table() {
    Map<String, List<String>> t = new LinkedHashMap<>();
    t.put(
        "coffer reencrypt --bytes-per-second",
        List.of("reencrypt", "--table-name", "Music", "--no-progress", "--bytes-per-second", "X"));
    t.put(
        "coffer rotate data-key --bytes-per-second",
        List.of(
            "rotate",
            "data-key",
            "--table-name",
            "Music",
            "--reencrypt",
            "--no-progress",
            "--bytes-per-second",
            "X"));
    t.put(
        "coffer dynamodb scan --limit",
        List.of("dynamodb", "scan", "--table-name", "Music", "--limit", "X"));
    t.put(
        "coffer dynamodb scan --segment",
        List.of(
            "dynamodb",
            "scan",
            "--table-name",
            "Music",
            "--segment",
            "X",
            "--total-segments",
            "2"));
    t.put(
        "coffer dynamodb scan --total-segments",
        List.of(
            "dynamodb",
            "scan",
            "--table-name",
            "Music",
            "--segment",
            "0",
            "--total-segments",
            "X"));
    t.put(
        "coffer dynamodb query --limit",
        List.of(
            "dynamodb",
            "query",
            "--table-name",
            "Music",
            "--key-condition-expression",
            "pk = :v",
            "--expression-attribute-values",
            "{\":v\": {\"S\": \"a\"}}",
            "--limit",
            "X"));
    for (String c : new String[] {"generate-data-key", "generate-data-key-without-plaintext"}) {
      t.put(
          "coffer kms " + c + " --number-of-bytes",
          List.of("kms", c, "--key-id", key, "--number-of-bytes", "X"));
      t.put(
          "coffer kms " + c + " --key-spec", List.of("kms", c, "--key-id", key, "--key-spec", "X"));
    }
    t.put(
        "coffer kms enable-key-rotation --rotation-period-in-days",
        List.of("kms", "enable-key-rotation", "--key-id", key, "--rotation-period-in-days", "X"));
    t.put(
        "coffer kms schedule-key-deletion --pending-window-in-days",
        List.of("kms", "schedule-key-deletion", "--key-id", key, "--pending-window-in-days", "X"));
    t.put(
        "coffer kms get-key-policy --policy-name",
        List.of("kms", "get-key-policy", "--key-id", key, "--policy-name", "X"));
    t.put(
        "coffer dynamodb put-item --return-values",
        List.of(
            "dynamodb",
            "put-item",
            "--table-name",
            "Music",
            "--item",
            "{\"pk\": {\"S\": \"b\"}}",
            "--return-values",
            "X"));
    t.put(
        "coffer dynamodb delete-item --return-values",
        List.of(
            "dynamodb",
            "delete-item",
            "--table-name",
            "Music",
            "--key",
            "{\"pk\": {\"S\": \"b\"}}",
            "--return-values",
            "X"));
    t.put(
        "coffer dynamodb update-item --return-values",
        List.of(
            "dynamodb",
            "update-item",
            "--table-name",
            "Music",
            "--key",
            "{\"pk\": {\"S\": \"b\"}}",
            "--return-values",
            "X"));
    for (String c : new String[] {"put-item", "delete-item", "update-item"}) {
      t.put(
          "coffer dynamodb " + c + " --return-values-on-condition-check-failure",
          List.of(
              "dynamodb",
              c,
              "--table-name",
              "Music",
              c.equals("put-item") ? "--item" : "--key",
              "{\"pk\": {\"S\": \"b\"}}",
              "--condition-expression",
              "attribute_exists(pk)",
              "--return-values-on-condition-check-failure",
              "X"));
    }
    String oneKey = "{\"pk\": {\"S\": \"b\"}}";
    Map<String, List<String>> capacity = new LinkedHashMap<>();
    capacity.put("put-item", List.of("--table-name", "Music", "--item", oneKey));
    capacity.put("get-item", List.of("--table-name", "Music", "--key", oneKey));
    capacity.put("update-item", List.of("--table-name", "Music", "--key", oneKey));
    capacity.put("delete-item", List.of("--table-name", "Music", "--key", oneKey));
    capacity.put(
        "query",
        List.of(
            "--table-name",
            "Music",
            "--key-condition-expression",
            "pk = :v",
            "--expression-attribute-values",
            "{\":v\": {\"S\": \"a\"}}"));
    capacity.put("scan", List.of("--table-name", "Music"));
    capacity.put(
        "batch-get-item", List.of("--request-items", "{\"Music\": {\"Keys\": [" + oneKey + "]}}"));
    capacity.put(
        "batch-write-item",
        List.of("--request-items", "{\"Music\": [{\"PutRequest\": {\"Item\": " + oneKey + "}}]}"));
    capacity.put(
        "transact-write-items",
        List.of(
            "--transact-items",
            "[{\"Put\": {\"TableName\": \"Music\", \"Item\": " + oneKey + "}}]"));
    capacity.put(
        "transact-get-items",
        List.of(
            "--transact-items",
            "[{\"Get\": {\"TableName\": \"Music\", \"Key\": " + oneKey + "}}]"));
    capacity.forEach(
        (c, args) -> {
          List<String> line = new ArrayList<>(List.of("dynamodb", c));
          line.addAll(args);
          line.addAll(List.of("--return-consumed-capacity", "X"));
          t.put("coffer dynamodb " + c + " --return-consumed-capacity", line);
        });
    t.put(
        "coffer dynamodb scan --select",
        List.of("dynamodb", "scan", "--table-name", "Music", "--select", "X"));
    t.put(
        "coffer dynamodb query --select",
        List.of(
            "dynamodb",
            "query",
            "--table-name",
            "Music",
            "--key-condition-expression",
            "pk = :v",
            "--expression-attribute-values",
            "{\":v\": {\"S\": \"a\"}}",
            "--select",
            "X"));
    for (String o : new String[] {"--billing-mode", "--table-class", "--provisioned-throughput"}) {
      t.put(
          "coffer dynamodb create-table " + o,
          List.of(
              "dynamodb",
              "create-table",
              "--table-name",
              "Other",
              "--attribute-definitions",
              "AttributeName=pk,AttributeType=S",
              "--key-schema",
              "AttributeName=pk,KeyType=HASH",
              o,
              "X"));
    }
    String audit = dir.resolve("audit.jsonl").toString();
    for (String o : new String[] {"--outcome", "--since", "--until"}) {
      t.put("coffer audit " + o, List.of("audit", "--audit-file", audit, o, "X"));
    }
    t.put("coffer --output", List.of("--output", "X", "kms", "list-keys"));
    for (String serve : new String[] {"serve", "kms serve"}) {
      for (String o : new String[] {"--port", "--max-seconds", "--workers"}) {
        List<String> args = new ArrayList<>(List.of(serve.split(" ")));
        args.addAll(List.of(o, "X"));
        t.put("coffer " + serve + " " + o, args);
      }
    }
    t.put("coffer --wal-recovery", List.of("--wal-recovery", "X", "verify"));
    t.put(
        "coffer collect-garbage --grace-period", List.of("collect-garbage", "--grace-period", "X"));
    return t;
  }

  @Test
  void aBadNumberOrChoiceIsOneSentenceNeverAJavaException() throws IOException {
    Files.writeString(dir.resolve("audit.jsonl"), "");
    List<String> wrong = new ArrayList<>();
    for (Map.Entry<String, List<String>> row : table().entrySet()) {
      int refused = 0;
      for (String value : new String[] {"-5", "abc", "99999999999999999999", "", "1.5", "BOGUS"}) {
        List<String> args = new ArrayList<>(row.getValue());
        args.set(args.indexOf("X"), value);
        CliRun.Result r = cli.run(args.toArray(new String[0]));
        if (r.exitCode() == 0) {
          continue;
        }
        refused++;
        String err = r.err().strip();
        if (r.exitCode() != ExitCode.USAGE && r.exitCode() != ExitCode.FAILED
            || !r.out().isEmpty()
            || err.lines().count() != 1
            || JAVA_EXCEPTION.matcher(err).find()) {
          wrong.add(row.getKey() + " " + value + " -> exit " + r.exitCode() + ": " + err);
        }
      }
      if (refused == 0) {
        wrong.add(row.getKey() + ": no bad value was refused");
      }
    }
    assertThat(wrong).isEmpty();
  }

  @Test
  void aNegativeThrottleIsBadUsageAndRotatesNothing() {
    CliRun.Result r = cli.run("reencrypt", "--table-name", "Music", "--bytes-per-second", "-5");
    assertThat(r.failsWith(ExitCode.USAGE))
        .isEqualTo(
            "coffer reencrypt: error: Invalid value for option"
                + " '--bytes-per-second': a rate cannot be negative: give 0 for no throttle or a number of bytes per second,"
                + " e.g. 8388608 (see 'coffer reencrypt --help')");
    assertThat(
            cli.run(
                    "rotate",
                    "data-key",
                    "--table-name",
                    "Music",
                    "--reencrypt",
                    "--bytes-per-second",
                    "-5")
                .failsWith(ExitCode.USAGE))
        .contains("a rate cannot be negative");
    assertThat(
            cli.run("rotate", "data-key", "--table-name", "Music", "--bytes-per-second", "1000")
                .failsWith(ExitCode.USAGE))
        .isEqualTo(
            "coffer rotate data-key: error: --bytes-per-second throttles the"
                + " re-encryption: give it with --reencrypt, or use 'coffer reencrypt --bytes-per-second N' (see 'coffer"
                + " rotate data-key --help')");
    assertThat(cli.run("info").ok().json().at("/Tables/0/DataKeys")).hasSize(1);
  }

  @Test
  void capacitySettingsAreCheckedThenIgnored() {
    String[] create = {
      "dynamodb",
      "create-table",
      "--table-name",
      "Other",
      "--attribute-definitions",
      "AttributeName=pk,AttributeType=S",
      "--key-schema",
      "AttributeName=pk,KeyType=HASH"
    };
    assertThat(cli.run(concat(create, "--billing-mode", "FOO")).failsWith(ExitCode.FAILED))
        .isEqualTo(
            "An error occurred (ValidationException) when calling the CreateTable operation: 1 validation error"
                + " detected: Value 'FOO' at 'billingMode' failed to satisfy constraint: Member must satisfy enum value"
                + " set: [PROVISIONED, PAY_PER_REQUEST]");
    assertThat(
            cli.run(
                    concat(
                        create,
                        "--provisioned-throughput",
                        "ReadCapacityUnits=-1,WriteCapacityUnits=5"))
                .failsWith(ExitCode.USAGE))
        .isEqualTo(
            "Parameter validation failed: Invalid value for parameter"
                + " ProvisionedThroughput.ReadCapacityUnits, value: -1, valid min value: 1");
    assertThat(
            cli.run(concat(create, "--provisioned-throughput", "ReadCapacityUnits=5"))
                .failsWith(ExitCode.USAGE))
        .isEqualTo(
            "Parameter validation failed: Missing required parameter in"
                + " ProvisionedThroughput: \"WriteCapacityUnits\"");
    assertThat(cli.run("dynamodb", "list-tables", "--query", "TableNames").ok().json()).hasSize(1);
    cli.run(
            concat(
                create,
                "--billing-mode",
                "PROVISIONED",
                "--provisioned-throughput",
                "{\"ReadCapacityUnits\": 5, \"WriteCapacityUnits\": 5}",
                "--table-class",
                "STANDARD_INFREQUENT_ACCESS"))
        .ok();
  }

  @Test
  void everyNumericOrEnumeratedOptionIsInTheTable() {
    Set<String> found = new TreeSet<>();
    collect(Main.newCommandLine(), found);
    Set<String> listed = new TreeSet<>(table().keySet());
    listed.addAll(OWNED_ELSEWHERE);
    assertThat(listed).as("rows of table() and OWNED_ELSEWHERE").containsAll(found);
    assertThat(found).hasSizeGreaterThan(15);
  }

  private static void collect(CommandLine line, Set<String> out) {
    for (OptionSpec o : line.getCommandSpec().options()) {
      if (o.inherited() || o.usageHelp() || o.versionHelp()) {
        continue;
      }
      Class<?> type = o.type();
      boolean numeric =
          type.isPrimitive() && type != boolean.class || Number.class.isAssignableFrom(type);
      boolean choices =
          type.isEnum()
              || CHOICES.matcher(o.paramLabel()).matches() && !NOT_CHOICES.contains(o.paramLabel());
      if (numeric || choices) {
        out.add(line.getCommandSpec().qualifiedName() + " " + o.longestName());
      }
    }
    for (CommandLine sub : line.getSubcommands().values()) {
      collect(sub, out);
    }
  }

  private static String[] concat(String[] a, String... b) {
    String[] out = new String[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
