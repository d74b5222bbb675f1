package dev.coffer.kms.audit;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import dev.coffer.kms.EncryptionContext;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * An {@link AuditSink} appending one JSON object per line to a file: the {@code
 * coffer.v1.AuditRecord} message of {@code audit.proto} in the proto3 JSON mapping, e.g.
 *
 * <pre>
 * {"formatVersion":1,"timeMillis":"1767225600000","principal":"arn:aws:iam::111122223333:root",
 * "action":"kms:Decrypt","keyId":"arn:aws:kms:...","keyVersion":1,"encryptionContext":{"table":"t1"},
 * "outcome":"AUDIT_OUTCOME_SUCCESS","source":"local"}</pre>
 *
 * Each record is written whole and flushed before {@link #record} returns. Thread-safe: records
 * from many threads never interleave within a line. After {@link #close()} (idempotent) records are
 * refused with an {@link IllegalStateException}, which {@link SafeAudit} logs. {@link #read(Path)}
 * reads such a file back.
 */
public final class JsonLinesAuditSink implements AuditSink, AutoCloseable {
  private static final JsonFormat.Printer PRINTER =
      JsonFormat.printer().omittingInsignificantWhitespace();
  private static final JsonFormat.Parser PARSER = JsonFormat.parser().ignoringUnknownFields();

  private final Path file;
  private final BufferedWriter out;
  private boolean closed;

  private JsonLinesAuditSink(Path file, BufferedWriter out) {
    this.file = file;
    this.out = out;
  }

  /**
   * Opens {@code file} for appending, creating it (and its directory) when absent.
   *
   * @throws UncheckedIOException when it cannot be opened
   */
  public static JsonLinesAuditSink open(Path file) {
    try {
      Path abs = file.toAbsolutePath();
      if (abs.getParent() != null) {
        Files.createDirectories(abs.getParent());
      }
      return new JsonLinesAuditSink(
          abs,
          Files.newBufferedWriter(
              abs,
              StandardCharsets.UTF_8,
              StandardOpenOption.CREATE,
              StandardOpenOption.APPEND,
              StandardOpenOption.WRITE));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open audit file " + file, e);
    }
  }

  /** The file written to. */
  public Path file() {
    return file;
  }

  /**
   * Appends {@code record} as one line and flushes.
   *
   * @throws UncheckedIOException when the write fails
   * @throws IllegalStateException after {@link #close()}
   */
  @Override
  public void record(AuditRecord record) {
    String line;
    try {
      line = PRINTER.print(toProto(record));
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("cannot print audit record", e);
    }
    synchronized (this) {
      if (closed) {
        throw new IllegalStateException("audit file " + file + " is closed");
      }
      try {
        out.write(line);
        out.write('\n');
        out.flush();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write audit file " + file, e);
      }
    }
  }

  /** Flushes and closes the file. Idempotent. */
  @Override
  public synchronized void close() {
    if (!closed) {
      closed = true;
      try {
        out.close();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot close audit file " + file, e);
      }
    }
  }

  /**
   * Reads every record of a file written by this sink, oldest first. A last line cut short by a
   * crash (no final newline, not valid JSON) is skipped.
   *
   * @throws UncheckedIOException when the file cannot be read
   * @throws IllegalArgumentException when a complete line is not an audit record (the message names
   *     the file and line)
   */
  public static List<AuditRecord> read(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read audit file " + file, e);
    }
    List<AuditRecord> out = new ArrayList<>();
    String[] lines = text.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i].strip();
      if (line.isEmpty()) {
        continue;
      }
      boolean last = i == lines.length - 1;
      dev.coffer.proto.AuditRecord.Builder b = dev.coffer.proto.AuditRecord.newBuilder();
      try {
        PARSER.merge(line, b);
      } catch (InvalidProtocolBufferException | RuntimeException e) {
        if (last) {
          break; // torn final write
        }
        throw new IllegalArgumentException(
            "Audit file " + file + " line " + (i + 1) + " is not an audit record.", e);
      }
      out.add(fromProto(b.build()));
    }
    return out;
  }

  /** The proto form of a record. */
  public static dev.coffer.proto.AuditRecord toProto(AuditRecord r) {
    return dev.coffer.proto.AuditRecord.newBuilder()
        .setFormatVersion(1)
        .setTimeMillis(r.time().toEpochMilli())
        .setPrincipal(r.principal())
        .setAction(r.action())
        .setKeyId(r.keyId())
        .setKeyVersion(r.keyVersion())
        .putAllEncryptionContext(r.encryptionContext().asMap())
        .setOutcome(
            switch (r.outcome()) {
              case SUCCESS -> dev.coffer.proto.AuditOutcome.AUDIT_OUTCOME_SUCCESS;
              case DENIED -> dev.coffer.proto.AuditOutcome.AUDIT_OUTCOME_DENIED;
              case FAILED -> dev.coffer.proto.AuditOutcome.AUDIT_OUTCOME_FAILED;
            })
        .setErrorCode(r.errorCode())
        .setMessage(r.message())
        .setSource(r.source())
        .build();
  }

  /** A record from its proto form; an unknown outcome reads as {@link AuditOutcome#FAILED}. */
  public static AuditRecord fromProto(dev.coffer.proto.AuditRecord p) {
    Objects.requireNonNull(p, "record");
    AuditOutcome outcome =
        switch (p.getOutcome()) {
          case AUDIT_OUTCOME_SUCCESS -> AuditOutcome.SUCCESS;
          case AUDIT_OUTCOME_DENIED -> AuditOutcome.DENIED;
          default -> AuditOutcome.FAILED;
        };
    return new AuditRecord(
        Instant.ofEpochMilli(p.getTimeMillis()),
        p.getPrincipal(),
        p.getAction(),
        p.getKeyId(),
        p.getKeyVersion(),
        EncryptionContext.of(p.getEncryptionContextMap()),
        outcome,
        p.getErrorCode(),
        p.getMessage(),
        p.getSource());
  }

  @Override
  public String toString() {
    return "json-lines:" + file;
  }
}
