package dev.coffer.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import dev.coffer.cli.ReadmeBlocks.Block;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine.ParameterException;

/**
 * Every code block of {@code README.md} runs as pasted, or is checked as far as a test can: the
 * test fails on a block of a language it has no check for, so nothing in the README goes unchecked.
 *
 * <ul>
 *   <li>{@code ```java}: compiled against the project (the class path of this module's tests) and
 *       run in a child JVM, in an empty temporary directory, with {@code
 *       COFFER_KEYSTORE_PASSPHRASE} set (the README tells the reader to set it) and no other {@code
 *       COFFER_*} variable; it must exit 0, then run again in the same directory and exit 0 again
 *       (a reader pastes it into an application that runs more than once). A block that declares a
 *       type ({@code class}, {@code record}, ...) is a compilation unit of its own (run when it has
 *       a {@code main}); any other block is statements: its {@code import} lines become the imports
 *       and the rest the body of {@code main(String[]) throws Exception}. Write the imports the
 *       reader needs in the block: none are added.
 *   <li>{@code ```console}: run command by command by {@link ReadmeTutorialTest}, which compares
 *       the output with what the block shows, section by section.
 *   <li>{@code ```sh}: commands that cannot run inside the build ({@code ./mvnw verify} would build
 *       the project inside its own test; a benchmark takes minutes). Each line is one command (a
 *       trailing {@code \} continues it; {@code #} starts a comment), and its program must be one
 *       of {@link #SH_PROGRAMS}, which checks it without running it: {@code ./coffer ARGS} must
 *       parse as a coffer command line (what {@code coffer demo} does is run by DemoCommandTest);
 *       {@code ./mvnw ARGS} must name lifecycle phases, known flags, and modules and profiles of
 *       the parent pom; {@code bench/run.sh PROFILE} must be a valid bash script with that profile;
 *       {@code torture/run.sh OPTIONS} a valid bash script whose usage names each option; {@code
 *       .ci/run} must be a valid bash script. The script itself must exist and be executable.
 * </ul>
 *
 * <p><b>Adding a block.</b> A {@code java} or {@code console} block needs nothing more: it is run.
 * A {@code sh} command with a new program needs an entry in {@link #SH_PROGRAMS} saying how it is
 * checked. A block of another language (or with none) fails {@link #everyBlockHasAKnownLanguage()}
 * until a check for it is added here, with its rule written in this list.
 */
class ReadmeCodeBlocksTest {
  /** What each language's blocks go through; see the class comment. */
  private static final Set<String> LANGUAGES = Set.of("java", "console", "sh");

  /** The passphrase the Java blocks find in COFFER_KEYSTORE_PASSPHRASE. */
  private static final String PASSPHRASE = "correct horse battery staple";

  private static final Path ROOT = Path.of("..");

  private static final Pattern TYPE_DECLARATION =
      Pattern.compile("(?m)^(?:public |final |abstract )*(?:class|record|interface|enum) (\\w+)");

  /** How a {@code sh} command is checked, by its program. */
  @FunctionalInterface
  interface ShCheck {
    void check(Path program, List<String> args) throws Exception;
  }

  /** The programs a {@code sh} block may run, each with its check (see the class comment). */
  static final Map<String, ShCheck> SH_PROGRAMS =
      Map.of(
          "./coffer", ReadmeCodeBlocksTest::checkCoffer,
          "./mvnw", ReadmeCodeBlocksTest::checkMaven,
          "bench/run.sh", ReadmeCodeBlocksTest::checkBenchRun,
          "torture/run.sh", ReadmeCodeBlocksTest::checkTortureRun,
          ".ci/run", (program, args) -> checkBashSyntax(program));

  @Test
  void everyBlockHasAKnownLanguage() {
    List<Block> blocks = ReadmeBlocks.blocks();
    assertThat(blocks).as("README code blocks").hasSizeGreaterThan(5);
    List<String> unknown =
        blocks.stream().filter(b -> !LANGUAGES.contains(b.language())).map(Block::where).toList();
    assertThat(unknown)
        .as(
            "README blocks no test checks: give each a language this test knows ("
                + LANGUAGES
                + ") or add a check for the new one to ReadmeCodeBlocksTest")
        .isEmpty();
    assertThat(blocks).as("a java block").anyMatch(b -> b.language().equals("java"));
    assertThat(blocks).as("a sh block").anyMatch(b -> b.language().equals("sh"));
  }

  @Test
  void consoleBlocksAreTheOnesTheTutorialTestRuns() {
    List<Block> console =
        ReadmeBlocks.blocks().stream().filter(b -> b.language().equals("console")).toList();
    assertThat(console).isNotEmpty();
    assertThat(ReadmeTutorialTest.consoleBlocks(ReadmeBlocks.readme())).hasSameSizeAs(console);
  }

  @TestFactory
  Stream<DynamicTest> javaBlocksCompileAndRunAsPasted(@TempDir Path tmp) {
    List<Block> java =
        ReadmeBlocks.blocks().stream().filter(b -> b.language().equals("java")).toList();
    assertThat(java).isNotEmpty();
    return java.stream().map(b -> DynamicTest.dynamicTest(b.where(), () -> compileAndRun(b, tmp)));
  }

  @TestFactory
  Stream<DynamicTest> shCommandsExistAndTakeTheirArguments() {
    List<DynamicTest> tests = new ArrayList<>();
    for (Block b : ReadmeBlocks.blocks()) {
      if (!b.language().equals("sh")) {
        continue;
      }
      for (String command : shCommands(b.text())) {
        tests.add(DynamicTest.dynamicTest(b.where() + ": " + command, () -> checkSh(command)));
      }
    }
    assertThat(tests).isNotEmpty();
    return tests.stream();
  }

  // ---- java ----

  private static void compileAndRun(Block block, Path tmp) throws Exception {
    String className = className(block.text(), "ReadmeLine" + block.line());
    String source = source(block, className);
    Path src = Files.createDirectories(tmp.resolve(className + "-src"));
    Path classes = Files.createDirectories(tmp.resolve(className + "-classes"));
    Path work = Files.createDirectories(tmp.resolve(className + "-work"));
    Path file = src.resolve(className + ".java");
    Files.writeString(file, source);

    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    assertThat(javac).as("a JDK's compiler").isNotNull();
    StringWriter diagnostics = new StringWriter();
    try (StandardJavaFileManager files =
        javac.getStandardFileManager(null, null, StandardCharsets.UTF_8)) {
      Iterable<? extends JavaFileObject> units = files.getJavaFileObjects(file.toFile());
      List<String> options =
          List.of(
              "-classpath",
              classPath(),
              "-d",
              classes.toString(),
              "--release",
              "17",
              "-proc:none",
              "-Xlint:none");
      Boolean ok = javac.getTask(diagnostics, files, null, options, null, units).call();
      if (!ok) {
        fail(
            block.where()
                + " does not compile:\n"
                + diagnostics
                + "\n--- as compiled:\n"
                + numbered(source));
      }
    }
    if (!source.contains("void main(")) {
      return; // a compilation unit without an entry point: compiling is the check
    }
    for (int run = 1; run <= 2; run++) {
      String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      ProcessBuilder pb =
          new ProcessBuilder(javaBin, "-cp", classes + File.pathSeparator + classPath(), className)
              .directory(work.toFile())
              .redirectErrorStream(true);
      pb.environment().keySet().removeIf(name -> name.startsWith("COFFER_"));
      pb.environment().put("COFFER_KEYSTORE_PASSPHRASE", PASSPHRASE);
      Process p = pb.start();
      String output = readAll(p.getInputStream());
      if (!p.waitFor(10, TimeUnit.MINUTES)) { // a guard against a hang, not a timing assertion
        p.destroyForcibly();
        fail(block.where() + " did not finish (run " + run + "):\n" + output);
      }
      assertThat(p.exitValue())
          .as(block.where() + " exit code of run " + run + "; its output:\n" + output)
          .isZero();
    }
  }

  /** The class to compile and run: the first type a block declares, else {@code fallback}. */
  static String className(String text, String fallback) {
    Matcher m = TYPE_DECLARATION.matcher(text);
    return m.find() ? m.group(1) : fallback;
  }

  /**
   * The Java source of a block: itself when it declares a type, else its statements in a main
   * method.
   */
  static String source(Block block, String className) {
    String text = block.text();
    if (TYPE_DECLARATION.matcher(text).find()) {
      return text;
    }
    StringBuilder imports = new StringBuilder();
    StringBuilder body = new StringBuilder();
    for (String line : text.split("\n", -1)) {
      (line.startsWith("import ") ? imports : body).append(line).append('\n');
    }
    return imports
        + "\npublic final class "
        + className
        + " {\n"
        + "  public static void main(String[] args) throws Exception {\n"
        + body
        + "  }\n}\n";
  }

  private static String classPath() {
    String cp = System.getProperty("surefire.test.class.path");
    return cp != null && !cp.isBlank() ? cp : System.getProperty("java.class.path");
  }

  private static String readAll(InputStream in) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    in.transferTo(out);
    return out.toString(StandardCharsets.UTF_8);
  }

  private static String numbered(String source) {
    String[] lines = source.split("\n", -1);
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < lines.length; i++) {
      out.append(String.format("%3d  %s%n", i + 1, lines[i]));
    }
    return out.toString();
  }

  // ---- sh ----

  /**
   * The commands of a sh block: one per line, a final {@code \} continuing it, {@code #} comments
   * dropped.
   */
  static List<String> shCommands(String text) {
    List<String> out = new ArrayList<>();
    StringBuilder command = new StringBuilder();
    for (String line : text.split("\n", -1)) {
      String code = withoutComment(line).strip();
      boolean continues = code.endsWith("\\");
      command.append(continues ? code.substring(0, code.length() - 1).strip() : code).append(' ');
      if (!continues) {
        String c = command.toString().strip();
        if (!c.isEmpty()) {
          out.add(c);
        }
        command.setLength(0);
      }
    }
    return out;
  }

  private static String withoutComment(String line) {
    Matcher m = Pattern.compile("(^|\\s)#").matcher(line);
    return m.find() ? line.substring(0, m.start()) : line;
  }

  private static void checkSh(String command) throws Exception {
    List<String> words = ReadmeTutorialTest.split(command);
    String program = words.get(0);
    ShCheck check = SH_PROGRAMS.get(program);
    if (check == null) {
      fail(
          "README runs '"
              + program
              + "', which ReadmeCodeBlocksTest does not know how to check: add it to"
              + " SH_PROGRAMS (known: "
              + SH_PROGRAMS.keySet()
              + ")");
    }
    Path script = ROOT.resolve(program);
    assertThat(script).as(program).isRegularFile();
    assertThat(Files.isExecutable(script)).as(program + " is executable").isTrue();
    check.check(script, words.subList(1, words.size()));
  }

  /** {@code ./coffer ARGS}: ARGS parse as a coffer command line (nothing runs). */
  private static void checkCoffer(Path program, List<String> args) {
    try {
      Main.newCommandLine().parseArgs(args.toArray(new String[0]));
    } catch (ParameterException e) {
      fail("coffer " + String.join(" ", args) + ": " + e.getMessage());
    }
  }

  /**
   * {@code ./mvnw ARGS}: the wrapper is set up; ARGS are known flags, modules of the pom and
   * phases.
   */
  private static void checkMaven(Path program, List<String> args) throws IOException {
    assertThat(ROOT.resolve(".mvn/wrapper/maven-wrapper.properties")).isRegularFile();
    String pom = Files.readString(ROOT.resolve("pom.xml"), StandardCharsets.UTF_8);
    Set<String> flags =
        Set.of("-B", "-ntp", "-q", "-am", "-e", "--batch-mode", "--no-transfer-progress");
    Set<String> phases = Set.of("clean", "validate", "compile", "test", "package", "verify");
    assertThat(args).as("./mvnw arguments").isNotEmpty();
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      if (a.equals("-pl") || a.equals("--projects")) {
        for (String module : args.get(++i).split(",")) {
          assertThat(pom)
              .as("module " + module + " in the parent pom")
              .contains("<module>" + module + "</module>");
        }
      } else if (a.startsWith("-D")) {
        assertThat(a).as("a property").contains("=");
      } else if (a.startsWith("-P")) {
        assertThat(pom)
            .as("profile " + a.substring(2) + " in the parent pom")
            .contains("<id>" + a.substring(2) + "</id>");
      } else if (!flags.contains(a)) {
        assertThat(phases)
            .as("'" + a + "' is a known flag or a lifecycle phase (never install: see RULES)")
            .contains(a);
      }
    }
  }

  /** {@code bench/run.sh [PROFILE]}: valid bash, and PROFILE is one of its cases. */
  private static void checkBenchRun(Path program, List<String> args) throws Exception {
    checkBashSyntax(program);
    assertThat(args).as("bench/run.sh takes one profile").hasSizeLessThanOrEqualTo(1);
    if (!args.isEmpty()) {
      String script = Files.readString(program, StandardCharsets.UTF_8);
      assertThat(
              Pattern.compile("(?m)^\\s*" + Pattern.quote(args.get(0)) + "\\)")
                  .matcher(script)
                  .find())
          .as("bench/run.sh has a profile '" + args.get(0) + "'")
          .isTrue();
    }
  }

  /**
   * {@code torture/run.sh OPTIONS}: valid bash, and each {@code --option} is in the torture's usage
   * text.
   */
  private static void checkTortureRun(Path program, List<String> args) throws Exception {
    checkBashSyntax(program);
    String usage =
        Files.readString(
            ROOT.resolve("torture/src/main/java/dev/coffer/torture/TortureOptions.java"),
            StandardCharsets.UTF_8);
    for (String a : args) {
      if (a.startsWith("--")) {
        assertThat(usage).as("torture/run.sh knows " + a).contains("[" + a);
      }
    }
  }

  private static void checkBashSyntax(Path program) throws Exception {
    Process p =
        new ProcessBuilder("bash", "-n", program.toString()).redirectErrorStream(true).start();
    String out = readAll(p.getInputStream());
    assertThat(p.waitFor(1, TimeUnit.MINUTES)).isTrue();
    assertThat(p.exitValue()).as("bash -n " + program + ": " + out).isZero();
  }

  @Test
  void theShChecksRefuseWhatWouldNotWork() {
    for (String bad :
        List.of(
            "./coffer no-such-command",
            "./coffer dynamodb scan --no-such-option",
            "bench/run.sh no-such-profile",
            "./mvnw install",
            "./mvnw verify -pl no-such-module",
            "make all")) {
      assertThatThrownBy(() -> checkSh(bad)).as(bad).isInstanceOf(AssertionError.class);
    }
  }

  @Test
  void theRulesHoldOnSmallExamples() {
    String sh =
        "./mvnw -B verify -pl bench -am   # builds\nbench/run.sh quick\n./coffer kms \\\n  list-keys\n";
    assertThat(shCommands(sh))
        .containsExactly(
            "./mvnw -B verify -pl bench -am", "bench/run.sh quick", "./coffer kms list-keys");
    Block statements =
        new Block("java", "s", 1, "import java.util.List;\n\nSystem.out.println(List.of(1));\n");
    assertThat(source(statements, "X"))
        .startsWith("import java.util.List;\n")
        .contains("public final class X {")
        .contains(
            "public static void main(String[] args) throws Exception {\n\nSystem.out.println(List.of(1));");
    Block unit = new Block("java", "s", 1, "public final class Y {}\n");
    assertThat(source(unit, "X")).isEqualTo("public final class Y {}\n");
    assertThat(className(unit.text(), "X")).isEqualTo("Y");
    assertThat(className(statements.text(), "X")).isEqualTo("X");
  }
}
