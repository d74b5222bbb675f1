package dev.coffer.cli.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.coffer.cli.CliRun;
import dev.coffer.kms.EncryptionContext;
import dev.coffer.kms.audit.AuditOutcome;
import dev.coffer.kms.audit.AuditRecord;
import dev.coffer.kms.audit.JsonLinesAuditSink;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code coffer audit} over a file written by {@link JsonLinesAuditSink}. */
class AuditCommandTest {
  private static final String ALICE = "arn:aws:iam::111122223333:user/alice";
  private static final String BOB = "arn:aws:iam::111122223333:user/bob";
  private static final String KEY =
      "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";

  private final CliRun cli = new CliRun();
  @TempDir Path dir;
  private Path file;
  private final Instant now = Instant.now();

  @BeforeEach
  void auditFile() {
    file = dir.resolve("audit.jsonl");
    cli.env.put("COFFER_AUDIT_FILE", file.toString());
    try (JsonLinesAuditSink sink = JsonLinesAuditSink.open(file)) {
      sink.record(
          record(
              now.minus(Duration.ofHours(3)), ALICE, "kms:GenerateDataKey", AuditOutcome.SUCCESS));
      sink.record(
          record(now.minus(Duration.ofMinutes(30)), ALICE, "kms:Decrypt", AuditOutcome.SUCCESS));
      sink.record(
          record(now.minus(Duration.ofMinutes(5)), BOB, "kms:Decrypt", AuditOutcome.DENIED));
    }
  }

  private static AuditRecord record(
      Instant t, String principal, String action, AuditOutcome outcome) {
    return new AuditRecord(
        t,
        principal,
        action,
        KEY,
        1,
        EncryptionContext.of(Map.of("table", "users")),
        outcome,
        outcome == AuditOutcome.DENIED ? "AccessDeniedException" : "",
        "",
        "local");
  }

  private List<String> actions(CliRun.Result r) {
    List<String> out = new ArrayList<>();
    r.ok()
        .json()
        .get("Events")
        .forEach(
            e ->
                out.add(
                    e.get("Principal").asText().replaceAll(".*/", "")
                        + " "
                        + e.get("Action").asText()));
    return out;
  }

  @Test
  void listsEveryRecordInTheAwsStyle() {
    JsonNode events = cli.run("audit").ok().json().get("Events");
    assertThat(events).hasSize(3);
    JsonNode denied = events.get(2);
    assertThat(denied.get("Outcome").asText()).isEqualTo("DENIED");
    assertThat(denied.get("ErrorCode").asText()).isEqualTo("AccessDeniedException");
    assertThat(denied.at("/EncryptionContext/table").asText()).isEqualTo("users");
    assertThat(denied.get("EventTime").asText()).endsWith("+00:00");
  }

  @Test
  void filters() {
    assertThat(actions(cli.run("audit", "--since", "1h")))
        .containsExactly("alice kms:Decrypt", "bob kms:Decrypt");
    assertThat(actions(cli.run("audit", "--until", "1h")))
        .containsExactly("alice kms:GenerateDataKey");
    assertThat(actions(cli.run("audit", "--since", now.minus(Duration.ofMinutes(10)).toString())))
        .containsExactly("bob kms:Decrypt");
    assertThat(actions(cli.run("audit", "--action", "decrypt"))).hasSize(2);
    assertThat(actions(cli.run("audit", "--principal", "bob"))).containsExactly("bob kms:Decrypt");
    assertThat(actions(cli.run("audit", "--principal", ALICE))).hasSize(2);
    assertThat(actions(cli.run("audit", "--outcome", "denied"))).containsExactly("bob kms:Decrypt");
    assertThat(actions(cli.run("audit", "--key-id", "1234abcd-12ab-34cd-56ef-1234567890ab")))
        .hasSize(3);
    assertThat(actions(cli.run("audit", "--key-id", "other"))).isEmpty();
    assertThat(
            actions(
                cli.run(
                    "audit",
                    "--action",
                    "Decrypt",
                    "--outcome",
                    "SUCCESS",
                    "--audit-file",
                    file.toString())))
        .containsExactly("alice kms:Decrypt");
  }

  @Test
  void badArgumentsAreUsageErrors() {
    assertThat(cli.run("audit", "--since", "yesterday").failsWith(2))
        .startsWith("Error parsing parameter '--since': Expected an ISO-8601 time");
    assertThat(cli.run("audit", "--outcome", "MAYBE").failsWith(2))
        .contains("SUCCESS, DENIED, FAILED");
    assertThat(cli.run("audit", "--audit-file", dir.resolve("none").toString()).failsWith(2))
        .contains("No such file");
    cli.env.remove("COFFER_AUDIT_FILE");
    assertThat(cli.run("audit").failsWith(2)).startsWith("No audit file");
  }

  @Test
  void aCorruptLineIsNamed() throws Exception {
    Files.writeString(file, "garbage\n", java.nio.file.StandardOpenOption.APPEND);
    assertThat(cli.run("audit").failsWith(2))
        .isEqualTo("Audit file " + file + " line 4 is not an audit record.");
  }

  @Test
  void followPrintsNewRecordsUntilInterrupted() throws Exception {
    CommandLine cmd =
        dev.coffer.cli.Main.newCommandLine(
            dev.coffer.cli.CliEnvironment.builder().variables(cli.env::get).build());
    StringWriter out = new StringWriter();
    cmd.setOut(new PrintWriter(out, true));
    int[] code = {-1};
    Thread t = new Thread(() -> code[0] = cmd.execute("audit", "--follow", "--principal", "bob"));
    t.start();
    try (JsonLinesAuditSink sink = JsonLinesAuditSink.open(file)) {
      sink.record(record(Instant.now(), BOB, "kms:Encrypt", AuditOutcome.SUCCESS));
      sink.record(record(Instant.now(), ALICE, "kms:Encrypt", AuditOutcome.SUCCESS));
    }
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (out.toString().lines().count() < 2 && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    t.interrupt();
    t.join(5000);
    assertThat(code[0]).isZero();
    List<String> lines = out.toString().lines().toList();
    assertThat(lines).hasSize(2);
    assertThat(lines.get(0)).contains("\"Action\":\"kms:Decrypt\"").contains("user/bob");
    assertThat(lines.get(1)).contains("\"Action\":\"kms:Encrypt\"").contains("user/bob");
  }
}
