package dev.coffer.cli.store;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import dev.coffer.cli.CliInputException;
import dev.coffer.cli.input.Excerpt;
import dev.coffer.kms.audit.AuditRecord;
import dev.coffer.kms.audit.JsonLinesAuditSink;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads an audit file written by {@link JsonLinesAuditSink}, from where the last read stopped: only
 * complete lines (ending in a newline), so a record being written is read whole on the next call.
 * For {@code coffer audit} and its {@code --follow}. Not thread-safe.
 */
final class AuditLog {
  private static final JsonFormat.Parser PARSER = JsonFormat.parser().ignoringUnknownFields();

  private final Path file;
  private long offset;
  private int lineNumber;

  AuditLog(Path file) {
    this.file = file;
  }

  /**
   * The records appended since the last call (all of them on the first); none when the file does
   * not exist yet.
   *
   * @throws CliInputException when a complete line is not an audit record (naming file and line)
   * @throws UncheckedIOException when the file cannot be read
   */
  List<AuditRecord> readNew() {
    List<AuditRecord> out = new ArrayList<>();
    if (!Files.exists(file)) {
      return out;
    }
    byte[] bytes;
    try (SeekableByteChannel ch = Files.newByteChannel(file)) {
      long size = ch.size();
      if (size < offset) {
        offset = 0; // truncated or replaced: start over
        lineNumber = 0;
      }
      ByteBuffer buf = ByteBuffer.allocate((int) Math.min(Integer.MAX_VALUE - 8, size - offset));
      ch.position(offset);
      while (buf.hasRemaining() && ch.read(buf) > 0) {
        // fill
      }
      bytes = buf.array();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read audit file " + file, e);
    }
    int start = 0;
    for (int i = 0; i < bytes.length; i++) {
      if (bytes[i] == '\n') {
        lineNumber++;
        String line = new String(bytes, start, i - start, StandardCharsets.UTF_8).strip();
        if (!line.isEmpty()) {
          out.add(parse(line));
        }
        start = i + 1;
      }
    }
    offset += start;
    return out;
  }

  private AuditRecord parse(String line) {
    // The wire message has the API type's simple name, so one of the two stays qualified.
    dev.coffer.proto.AuditRecord.Builder b = dev.coffer.proto.AuditRecord.newBuilder();
    try {
      PARSER.merge(line, b);
    } catch (InvalidProtocolBufferException | RuntimeException e) {
      throw new CliInputException(
          "Audit file "
              + Excerpt.of(file.toString())
              + " line "
              + lineNumber
              + " is not an audit record.");
    }
    return JsonLinesAuditSink.fromProto(b.build());
  }
}
