package dev.coffer.kms.audit;

import java.util.List;

/**
 * Receives audit records. Implementations must be thread-safe and should not throw; a sink that
 * fails is reported through SLF4J and does not fail the audited operation.
 */
@FunctionalInterface
public interface AuditSink {

  /** Records one event. */
  void record(AuditRecord record);

  /** The default sink: one SLF4J INFO line per record on the logger {@code dev.coffer.audit}. */
  static AuditSink slf4j() {
    return Slf4jAuditSink.INSTANCE;
  }

  /** A sink that drops every record. */
  static AuditSink none() {
    return r -> {};
  }

  /** A sink that sends every record to each of {@code sinks}. */
  static AuditSink all(AuditSink... sinks) {
    List<AuditSink> list = List.of(sinks);
    return r -> list.forEach(s -> SafeAudit.record(s, r));
  }
}
