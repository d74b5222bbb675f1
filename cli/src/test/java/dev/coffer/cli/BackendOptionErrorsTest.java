package dev.coffer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The errors of {@code --backend} and {@code COFFER_BACKEND} that need no running backend: each is
 * one line on stderr with the command line's exit code (2 for bad usage, nothing done; 1 for a
 * backend that cannot be reached), never a stack trace. The commands on a reachable backend: {@link
 * BackendStoreTest}.
 */
class BackendOptionErrorsTest {
  @TempDir Path dir;

  private final CliRun cli = new CliRun();

  {
    cli.env.put("COFFER_MASTER_KEY", cli.createKey("backend errors"));
  }

  /**
   * Runs {@code args}, asserts the exit code and one printable error line without Java internals;
   * returns the line.
   */
  private String fails(int code, String... args) {
    String line = cli.run(args).failsWith(code);
    ErrorLines.assertPrintableLine(line);
    ErrorLines.assertNoJavaInternals(line);
    return line;
  }

  @Test
  void anUnknownSchemeIsBadUsageNamingTheKnownOnes() {
    assertThat(fails(2, "--backend", "cassandra:orders", "dynamodb", "list-tables"))
        .isEqualTo(
            "Error parsing parameter '--backend': Unknown record backend scheme 'cassandra' in"
                + " 'cassandra:orders'. Known: dynamodb:<table>?region=<region>&endpoint=<url>");
    cli.env.put("COFFER_BACKEND", "orders-table");
    assertThat(fails(2, "dynamodb", "list-tables"))
        .isEqualTo(
            "Error parsing the environment variable COFFER_BACKEND: Record backend URI"
                + " 'orders-table' has no scheme. Known:"
                + " dynamodb:<table>?region=<region>&endpoint=<url>");
  }

  @Test
  void aMalformedDynamoDbUriIsBadUsage() {
    assertThat(fails(2, "--backend", "dynamodb:x", "info"))
        .startsWith("Error parsing parameter '--backend': dynamodb: needs a table name of 3 to 255")
        .endsWith("got 'x'");
    assertThat(fails(2, "--backend", "dynamodb:orders?regoin=us-east-1", "dynamodb", "list-tables"))
        .isEqualTo(
            "Error parsing parameter '--backend': dynamodb: unknown parameter 'regoin' (known:"
                + " region, endpoint, create)");
    assertThat(
            fails(
                2,
                "--backend",
                "dynamodb:orders?region=us-east-1&endpoint=ftp://host",
                "dynamodb",
                "list-tables"))
        .isEqualTo(
            "Error parsing parameter '--backend': dynamodb: endpoint 'ftp://host' is not an"
                + " http(s) URL");
    assertThat(
            fails(
                2,
                "--backend",
                "dynamodb:orders?region=us-east-1&endpoint=http://a%20b",
                "dynamodb",
                "list-tables"))
        .startsWith("Error parsing parameter '--backend': Illegal character");
  }

  @Test
  void anUnreachableEndpointFailsInOneLine() throws IOException {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = s.getLocalPort();
    }
    String uri = "dynamodb:orders?region=us-east-1&endpoint=http://127.0.0.1:" + closedPort;
    assertThat(fails(1, "--backend", uri, "dynamodb", "list-tables"))
        .startsWith(
            "An error occurred (InternalServerError) when calling the ListTables operation: Cannot"
                + " open the store in "
                + uri
                + ": ")
        .contains("DynamoDB table orders", "Unable to execute HTTP request");
  }

  @Test
  void aStoreDirectoryAndABackendOnOneLevelAreRefused() {
    String uri = "dynamodb:orders?region=us-east-1";
    assertThat(fails(2, "--store", dir.toString(), "--backend", uri, "dynamodb", "list-tables"))
        .isEqualTo(
            "--store and --backend both name the store: give one (--store DIR for a store in a"
                + " directory, --backend URI for a store in a shared record backend).");
    cli.env.put("COFFER_STORE", dir.toString());
    cli.env.put("COFFER_BACKEND", uri);
    assertThat(fails(2, "info"))
        .isEqualTo(
            "COFFER_STORE and COFFER_BACKEND are both set and name two stores: unset one, or name"
                + " the store on the command line with --store DIR or --backend URI.");
    // on the command line, either one overrides both variables
    assertThat(fails(1, "--store", dir.resolve("none").toString(), "dynamodb", "list-tables"))
        .contains("No Coffer store in " + dir.resolve("none"));
    assertThat(fails(2, "--backend", "cassandra:orders", "info"))
        .startsWith("Error parsing parameter '--backend': Unknown record backend scheme");
  }

  @Test
  void theDirectoryOnlyOptionsAreRefusedWithABackend() {
    String uri = "dynamodb:orders?region=us-east-1";
    assertThat(
            fails(
                2, "--backend", uri, "--wal-recovery", "point-in-time", "dynamodb", "list-tables"))
        .isEqualTo(
            "--wal-recovery recovers the write-ahead log of a store directory; the store named"
                + " by --backend lives in a record backend, which has none.");
    assertThat(fails(2, "--backend", uri, "--accept-rollback", "dynamodb", "list-tables"))
        .isEqualTo(
            "--accept-rollback accepts a store directory older than its rollback anchor; the"
                + " store named by --backend lives in a record backend, which keeps no anchor.");
    cli.env.put("COFFER_BACKEND", uri);
    cli.env.put("COFFER_ACCEPT_ROLLBACK", "true");
    assertThat(fails(2, "dynamodb", "list-tables"))
        .isEqualTo(
            "COFFER_ACCEPT_ROLLBACK accepts a store directory older than its rollback anchor; the"
                + " store named by COFFER_BACKEND lives in a record backend, which keeps no anchor:"
                + " unset it.");
  }

  @Test
  void collectGarbageIsRefusedForAStoreDirectory() {
    assertThat(fails(2, "--store", dir.toString(), "collect-garbage"))
        .isEqualTo(
            "collect-garbage collects what a store in a record backend (--backend) leaves"
                + " unreachable; a store directory (--store) changes its records in place and has"
                + " nothing to collect.");
    assertThat(fails(2, "--backend", "dynamodb:orders", "collect-garbage", "--grace-period", "-1"))
        .startsWith("coffer collect-garbage: error: Invalid value for option '--grace-period'");
  }

  @Test
  void noStoreNamedMentionsBothWays() {
    cli.env.remove("COFFER_STORE");
    assertThat(fails(2, "dynamodb", "list-tables"))
        .isEqualTo(
            "No store: pass --store DIR or set COFFER_STORE (the directory of a Coffer store), or"
                + " pass --backend URI or set COFFER_BACKEND (a store in a shared record backend).");
  }

  @Test
  void theHelpNamesTheOptionAndItsVariable() {
    String help = cli.run("--help").ok().out();
    assertThat(help)
        .contains("--backend=URI", "COFFER_BACKEND", "<table>?region=<region>&endpoint=<url>");
  }
}
