package dev.coffer.torture;

import dev.coffer.kms.audit.AuditOutcome;
import dev.coffer.kms.audit.AuditRecord;
import dev.coffer.kms.audit.AuditSink;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** An audit sink that keeps every record, for assertions. Thread-safe. */
final class AuditLog implements AuditSink {
  private final List<AuditRecord> records = new CopyOnWriteArrayList<>();

  @Override
  public void record(AuditRecord record) {
    records.add(record);
  }

  /** The records of {@code action} with {@code outcome}. */
  List<AuditRecord> find(String action, AuditOutcome outcome) {
    return records.stream()
        .filter(r -> r.action().equals(action) && r.outcome() == outcome)
        .toList();
  }

  /** Every record. */
  List<AuditRecord> all() {
    return List.copyOf(records);
  }

  void clear() {
    records.clear();
  }
}
