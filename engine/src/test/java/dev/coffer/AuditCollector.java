package dev.coffer;

import dev.coffer.kms.audit.AuditRecord;
import dev.coffer.kms.audit.AuditSink;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** An audit sink that keeps every record, for assertions. */
final class AuditCollector implements AuditSink {
  final List<AuditRecord> records = new CopyOnWriteArrayList<>();

  @Override
  public void record(AuditRecord r) {
    records.add(r);
  }

  /** The engine's records with this action. */
  List<AuditRecord> engine(String action) {
    return records.stream()
        .filter(r -> r.source().equals("engine") && r.action().equals(action))
        .toList();
  }
}
