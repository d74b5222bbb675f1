package dev.coffer.testkit;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Finds the AWS CLI for tests: an {@code aws} on the PATH, the first AWS CLI v2 if there is one
 * (else a v1); when there is none and the test runs as root on a Debian-like machine, installs
 * Debian's {@code awscli} package (the AWS CLI v2) with {@code apt-get} once. When neither works
 * the calling test is skipped with a JUnit assumption that says why. Thread-safe.
 */
public final class AwsCli {
  private static String found;
  private static String failure;

  private AwsCli() {}

  /**
   * The absolute path of {@code aws}.
   *
   * @throws org.opentest4j.TestAbortedException when it is missing and cannot be installed
   */
  public static synchronized Path require() {
    if (found == null && failure == null) {
      found = preferV2();
      if (found == null) {
        failure = tryInstall();
        found = failure == null ? Dynalite.which("aws") : null;
        if (found == null && failure == null) {
          failure = "apt-get install awscli succeeded but no 'aws' is on the PATH";
        }
      }
    }
    Assumptions.assumeTrue(
        found != null, "The AWS CLI is not available (" + failure + "): skipping this test.");
    return Path.of(found);
  }

  /**
   * The version line of the CLI {@link #require()} returns, e.g. {@code aws-cli/2.9.19
   * Python/3.11.2 ...}.
   */
  public static String version() {
    return versionOf(require().toString());
  }

  private static String preferV2() {
    String path = System.getenv("PATH");
    if (path == null) {
      return null;
    }
    String first = null;
    for (String d : path.split(java.io.File.pathSeparator)) {
      Path f = Path.of(d, "aws");
      if (java.nio.file.Files.isRegularFile(f) && java.nio.file.Files.isExecutable(f)) {
        if (versionOf(f.toString()).startsWith("aws-cli/2")) {
          return f.toString();
        }
        first = first == null ? f.toString() : first;
      }
    }
    return first;
  }

  private static String versionOf(String aws) {
    try {
      Process p = new ProcessBuilder(aws, "--version").redirectErrorStream(true).start();
      String out =
          new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8)
              .strip();
      return p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0 ? out : "";
    } catch (IOException e) {
      return "";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "";
    }
  }

  private static String tryInstall() {
    String aptGet = Dynalite.which("apt-get");
    if (aptGet == null) {
      return "no 'aws' on the PATH and no apt-get to install Debian's awscli";
    }
    if (!"root".equals(System.getProperty("user.name"))) {
      return "no 'aws' on the PATH; installing Debian's awscli needs root";
    }
    for (List<String> cmd :
        List.of(
            List.of(aptGet, "install", "-y", "-q", "awscli"),
            List.of(aptGet, "update", "-q"),
            List.of(aptGet, "install", "-y", "-q", "awscli"))) {
      if (Dynalite.which("aws") != null) {
        return null;
      }
      try {
        Process p =
            new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        if (!p.waitFor(10, TimeUnit.MINUTES)) {
          p.destroyForcibly();
          return String.join(" ", cmd) + " did not finish in 10 minutes";
        }
      } catch (IOException e) {
        return String.join(" ", cmd) + " failed: " + e.getMessage();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return "interrupted";
      }
    }
    return Dynalite.which("aws") != null ? null : "apt-get could not install awscli";
  }
}
