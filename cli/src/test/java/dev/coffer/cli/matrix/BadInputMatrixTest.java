package dev.coffer.cli.matrix;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.coffer.cli.CliRun;
import dev.coffer.cli.ErrorLines;
import dev.coffer.kms.KeyProviders;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bad-input matrix of the command line (issue 17): every case is a command line that must fail
 * with its exit code (docs/cli.md: 1 the operation failed, 2 bad usage), print nothing on stdout
 * and exactly one line on stderr that contains the case's fragment (the part of the message that
 * names the problem), is printable and at most 1000 characters, and names no Java exception and no
 * stack frame. Successful writes run between the cases and are recorded in a reference map; after
 * the last case every table is scanned and must hold exactly the reference (nothing a refused
 * command was given was written, nothing written was lost), and the store must list exactly the
 * tables created.
 *
 * <p>The cases are in {@link BadInputCases} (a table: name, exit code, fragment, arguments, and the
 * environment for the few that need one); add a line there to add a case. Each case is a dynamic
 * test of its own, run in order in one store under an in-memory key provider ({@code memory:});
 * {@code local:}, {@code aws-kms:} and unknown URIs are opened for real.
 */
class BadInputMatrixTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  /** What a table must hold: key JSON to item JSON. */
  private final Map<String, Map<String, JsonNode>> reference = new TreeMap<>();

  @TestFactory
  Stream<DynamicTest> everyBadInputIsRefusedCleanlyAndNothingIsWritten() throws Exception {
    CliRun cli = new CliRun();
    cli.opener =
        (uri, context) ->
            uri.equals("memory:")
                ? (context.principal() == null
                    ? cli.provider
                    : cli.provider.asPrincipal(context.principal()))
                : KeyProviders.open(uri, context);
    Path store = dir.resolve("store");
    cli.env.put("COFFER_STORE", store.toString());
    String master = cli.createKey("matrix master key");
    cli.env.put("COFFER_MASTER_KEY", master);
    BadInputCases cases = new BadInputCases(cli, dir, master);
    cases.setUp();
    for (BadInputCases.Table t : cases.tables()) {
      reference.put(t.name(), new TreeMap<>());
    }
    List<DynamicTest> tests = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (BadInputCases.Step step : cases.steps()) {
      assertThat(names.add(step.name())).as("case names are distinct: " + step.name()).isTrue();
      tests.add(DynamicTest.dynamicTest(step.name(), () -> run(cli, cases, step)));
    }
    tests.add(
        DynamicTest.dynamicTest(
            "a full read of the store equals what was written", () -> fullRead(cli, cases)));
    assertThat(cases.badCount()).as("bad inputs in the matrix").isGreaterThanOrEqualTo(150);
    return tests.stream();
  }

  private void run(CliRun cli, BadInputCases cases, BadInputCases.Step step) throws Exception {
    Map<String, String> saved = new HashMap<>(cli.env);
    cli.env.putAll(step.env());
    step.env()
        .forEach(
            (k, v) -> {
              if (v == null) {
                cli.env.remove(k);
              }
            });
    Process holder = step.lockStore() ? holdLock(cases.storeDir().resolve("LOCK")) : null;
    try {
      CliRun.Result r = cli.run(step.args().toArray(String[]::new));
      if (System.getProperty("matrix.discover")
          != null) { // -Dmatrix.discover=FILE: record what each case does
        Files.writeString(
            Path.of(System.getProperty("matrix.discover")),
            step.name()
                + " | expected "
                + step.exit()
                + " "
                + step.fragment()
                + "\n    got "
                + r.exitCode()
                + " out="
                + r.out().length()
                + " err="
                + r.err().replace("\n", "\\n")
                + "\n",
            StandardCharsets.UTF_8,
            StandardOpenOption.CREATE,
            StandardOpenOption.APPEND);
        if (step.good() != null && r.exitCode() == 0) {
          step.good().accept(reference);
        }
        return;
      }
      if (step.good() != null) {
        r.ok();
        step.good().accept(reference);
        return;
      }
      String line = r.failsWith(step.exit());
      assertThat(line).as("the message names the problem").contains(step.fragment());
      ErrorLines.assertPrintableLine(line);
      ErrorLines.assertNoJavaInternals(line);
    } finally {
      if (holder != null) {
        holder.getOutputStream().close();
        assertThat(holder.waitFor(1, TimeUnit.MINUTES)).isTrue();
      }
      cli.env.clear();
      cli.env.putAll(saved);
    }
  }

  /** A child JVM that holds the store's lock (as another process with the store open does). */
  private static Process holdLock(Path lockFile) throws Exception {
    Path classes =
        Path.of(StoreLockHolder.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    Process p =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                classes.toString(),
                StoreLockHolder.class.getName(),
                lockFile.toString())
            .redirectErrorStream(true)
            .start();
    BufferedReader out =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    assertThat(out.readLine()).isEqualTo("locked");
    return p;
  }

  private void fullRead(CliRun cli, BadInputCases cases) {
    Set<String> expectedTables = new TreeSet<>(reference.keySet());
    JsonNode listed = cli.run("dynamodb", "list-tables").ok().json().get("TableNames");
    Set<String> tables = new TreeSet<>();
    listed.forEach(n -> tables.add(n.asText()));
    assertThat(tables).as("the tables of the store").isEqualTo(expectedTables);
    for (BadInputCases.Table t : cases.tables()) {
      Map<String, JsonNode> found = new TreeMap<>();
      for (JsonNode item :
          cli.run("dynamodb", "scan", "--table-name", t.name()).ok().json().get("Items")) {
        found.put(BadInputCases.keyOf(item, t), item);
      }
      assertThat(found).as("the items of " + t.name()).isEqualTo(reference.get(t.name()));
    }
    assertThat(reference.values().stream().mapToInt(Map::size).sum())
        .as("items written")
        .isGreaterThanOrEqualTo(5);
  }

  static Map<String, String> env(String... kv) {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put(kv[i], kv[i + 1]);
    }
    return m;
  }

  static String write(Path file, String text) throws Exception {
    Files.writeString(file, text, StandardCharsets.UTF_8);
    return file.toString();
  }

  static JsonNode json(String text) {
    try {
      return JSON.readTree(text);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
