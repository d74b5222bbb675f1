package dev.coffer.cli.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.coffer.cli.CliContext;
import dev.coffer.cli.CliInputException;
import dev.coffer.cli.input.Excerpt;
import dev.coffer.cli.output.AwsJson;
import dev.coffer.kms.audit.AuditOutcome;
import dev.coffer.kms.audit.AuditRecord;
import dev.coffer.kms.audit.JsonLinesAuditSink;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code coffer audit}: the records of a JSON-lines audit file ({@link JsonLinesAuditSink}),
 * filtered; with {@code --follow}, new records as they are appended, one compact JSON object per
 * line, until interrupted.
 */
@Command(
    name = "audit",
    description = {
      "Show the records of an audit file written by the key providers (JSON lines), filtered.",
      "--since/--until take ISO-8601 (2026-11-23T17:00:00Z, 2026-11-23) or a time before now (30m, 1h, 2d).",
      "--principal (the global option) filters by principal here; COFFER_PRINCIPAL does not.",
      "--follow prints each record as one JSON line, then waits for new ones until interrupted (Ctrl-C)."
    },
    footer = {
      "",
      "Examples:",
      "  coffer audit --audit-file ~/.coffer/audit.jsonl --since 1h \\",
      "      --outcome DENIED",
      "  export COFFER_AUDIT_FILE=~/.coffer/audit.jsonl",
      "  coffer audit --principal bob --action Decrypt --output table",
      "  coffer audit --follow --key-id alias/orders"
    })
public final class AuditCommand extends StoreCommand {
  /** Environment variable for {@code --audit-file}. */
  static final String ENV_AUDIT_FILE = CliContext.ENV_AUDIT_FILE;

  @Option(
      names = "--audit-file",
      paramLabel = "FILE",
      description = "The audit file (env COFFER_AUDIT_FILE).")
  Path auditFile;

  @Option(names = "--since", paramLabel = "TIME", description = "Records at or after this time.")
  String since;

  @Option(names = "--until", paramLabel = "TIME", description = "Records before this time.")
  String until;

  @Option(names = "--action", description = "e.g. Decrypt or kms:Decrypt.")
  String action;

  @Option(names = "--key-id", description = "Key id, key ARN or alias of the records.")
  String keyId;

  @Option(
      names = "--outcome",
      paramLabel = "SUCCESS|DENIED|FAILED",
      description = "How the operations ended.")
  String outcome;

  @Option(names = "--follow", description = "Wait for new records until interrupted.")
  boolean follow;

  /** How long --follow waits between reads. */
  long pollMillis = 200;

  @Override
  JsonNode run(CliContext context) {
    Path file = file(context);
    AuditFilter filter = filter(context);
    AuditLog log = new AuditLog(file);
    if (!follow) {
      if (!Files.exists(file)) {
        throw CliInputException.parameter(
            "--audit-file", "No such file: '" + Excerpt.of(file.toString()) + "'");
      }
      ObjectNode out = AwsJson.object();
      ArrayNode events = out.putArray("Events");
      log.readNew().stream().filter(filter).forEach(r -> events.add(json(r)));
      return out;
    }
    PrintWriter out = spec.commandLine().getOut();
    while (!Thread.currentThread().isInterrupted()) {
      for (AuditRecord r : log.readNew()) {
        if (filter.test(r)) {
          out.println(json(r).toString());
        }
      }
      out.flush();
      try {
        Thread.sleep(pollMillis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    return null;
  }

  private Path file(CliContext context) {
    if (auditFile != null) {
      return auditFile;
    }
    String env = context.variable(ENV_AUDIT_FILE);
    if (env == null) {
      throw new CliInputException(
          "No audit file: pass --audit-file FILE or set " + ENV_AUDIT_FILE + ".");
    }
    return Path.of(env);
  }

  private AuditFilter filter(CliContext context) {
    Instant now = Instant.now();
    AuditOutcome wanted = null;
    if (outcome != null) {
      try {
        wanted = AuditOutcome.valueOf(outcome.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw CliInputException.parameter(
            "--outcome",
            "Valid choices are SUCCESS, DENIED, FAILED; received: '" + Excerpt.of(outcome) + "'");
      }
    }
    return new AuditFilter(
        since == null ? null : TimeArg.parse("--since", since, now),
        until == null ? null : TimeArg.parse("--until", until, now),
        action,
        context.principalOption(),
        keyId,
        wanted);
  }

  /** One record in the AWS style: {@code EventTime}, {@code Principal}, {@code Action}, ... */
  static ObjectNode json(AuditRecord r) {
    ObjectNode o =
        AwsJson.object()
            .put("EventTime", AwsJson.timestamp(r.time()))
            .put("Principal", r.principal())
            .put("Action", r.action());
    if (!r.keyId().isEmpty()) {
      o.put("KeyId", r.keyId());
    }
    if (r.keyVersion() != 0) {
      o.put("KeyVersion", r.keyVersion());
    }
    if (!r.encryptionContext().asMap().isEmpty()) {
      ObjectNode ctx = o.putObject("EncryptionContext");
      r.encryptionContext().asMap().forEach(ctx::put);
    }
    o.put("Outcome", r.outcome().name());
    if (!r.errorCode().isEmpty()) {
      o.put("ErrorCode", r.errorCode());
    }
    if (!r.message().isEmpty()) {
      o.put("Message", r.message());
    }
    if (!r.source().isEmpty()) {
      o.put("Source", r.source());
    }
    return o;
  }
}
