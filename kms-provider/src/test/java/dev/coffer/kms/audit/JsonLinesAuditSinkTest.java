package dev.coffer.kms.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.coffer.kms.DataKey;
import dev.coffer.kms.EncryptionContext;
import dev.coffer.kms.KeyManagement.CreateKeyRequest;
import dev.coffer.kms.memory.InMemoryKeyProvider;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonLinesAuditSinkTest {
  @TempDir Path dir;

  private static AuditRecord record(int i, AuditOutcome outcome) {
    return new AuditRecord(
        Instant.ofEpochMilli(1_767_225_600_000L + i),
        "arn:aws:iam::111122223333:user/bob",
        "kms:Decrypt",
        "arn:aws:kms:us-east-1:111122223333:key/k" + i,
        i % 3,
        EncryptionContext.of("table", "t" + i, "purpose", "page"),
        outcome,
        outcome == AuditOutcome.SUCCESS ? null : "AccessDeniedException",
        outcome == AuditOutcome.SUCCESS ? null : "denied \"quoted\"\nnewline",
        "local");
  }

  @Test
  void writesOneJsonObjectPerLineAndReadsThemBack() throws Exception {
    Path file = dir.resolve("audit").resolve("audit.jsonl");
    List<AuditRecord> written =
        List.of(record(1, AuditOutcome.SUCCESS), record(2, AuditOutcome.DENIED));
    try (JsonLinesAuditSink sink = JsonLinesAuditSink.open(file)) {
      written.forEach(sink::record);
    }
    List<String> lines = Files.readAllLines(file);
    assertThat(lines).hasSize(2);
    JsonNode first = new ObjectMapper().readTree(lines.get(0));
    assertThat(first.get("action").asText()).isEqualTo("kms:Decrypt");
    assertThat(first.get("outcome").asText()).isEqualTo("AUDIT_OUTCOME_SUCCESS");
    assertThat(first.get("encryptionContext").get("table").asText()).isEqualTo("t1");
    assertThat(JsonLinesAuditSink.read(file)).isEqualTo(written);
  }

  @Test
  void appendsAcrossOpens() {
    Path file = dir.resolve("a.jsonl");
    try (JsonLinesAuditSink sink = JsonLinesAuditSink.open(file)) {
      sink.record(record(1, AuditOutcome.SUCCESS));
    }
    try (JsonLinesAuditSink sink = JsonLinesAuditSink.open(file)) {
      sink.record(record(2, AuditOutcome.FAILED));
    }
    assertThat(JsonLinesAuditSink.read(file))
        .extracting(AuditRecord::outcome)
        .containsExactly(AuditOutcome.SUCCESS, AuditOutcome.FAILED);
  }

  @Test
  void manyThreadsNeverInterleave() throws Exception {
    Path file = dir.resolve("threads.jsonl");
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try (JsonLinesAuditSink sink = JsonLinesAuditSink.open(file)) {
      List<Future<?>> fs = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        int base = t * 1000;
        fs.add(
            pool.submit(
                () -> {
                  for (int i = 0; i < 250; i++) {
                    sink.record(record(base + i, AuditOutcome.SUCCESS));
                  }
                }));
      }
      for (Future<?> f : fs) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(JsonLinesAuditSink.read(file)).hasSize(1000);
  }

  @Test
  void tornLastLineIsSkippedButABadMiddleLineIsAnError() throws Exception {
    Path file = dir.resolve("torn.jsonl");
    try (JsonLinesAuditSink sink = JsonLinesAuditSink.open(file)) {
      sink.record(record(1, AuditOutcome.SUCCESS));
    }
    Files.writeString(
        file, "{\"action\":\"kms:Decr", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    assertThat(JsonLinesAuditSink.read(file)).hasSize(1);
    Files.writeString(
        file, "\n" + Files.readAllLines(file).get(0) + "\n", StandardOpenOption.APPEND);
    assertThatThrownBy(() -> JsonLinesAuditSink.read(file))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("line 2");
  }

  @Test
  void closeIsIdempotentAndLaterRecordsAreRefused() {
    JsonLinesAuditSink sink = JsonLinesAuditSink.open(dir.resolve("c.jsonl"));
    sink.close();
    sink.close();
    assertThatThrownBy(() -> sink.record(record(1, AuditOutcome.SUCCESS)))
        .isInstanceOf(IllegalStateException.class);
    SafeAudit.record(sink, record(1, AuditOutcome.SUCCESS)); // logged, not thrown
  }

  @Test
  void providerCallsLandInTheFile() {
    Path file = dir.resolve("provider.jsonl");
    try (JsonLinesAuditSink sink = JsonLinesAuditSink.open(file)) {
      InMemoryKeyProvider p =
          InMemoryKeyProvider.builder().auditSink(AuditSink.all(AuditSink.slf4j(), sink)).build();
      String id = p.createKey(CreateKeyRequest.withDescription("k")).keyId();
      try (DataKey dk = p.generateDataKey(id, EncryptionContext.of("table", "t"))) {
        p.decrypt(dk.wrapped(), EncryptionContext.of("table", "t")).close();
      }
    }
    assertThat(JsonLinesAuditSink.read(file))
        .extracting(AuditRecord::action)
        .containsExactly("kms:CreateKey", "kms:GenerateDataKey", "kms:Decrypt");
  }
}
