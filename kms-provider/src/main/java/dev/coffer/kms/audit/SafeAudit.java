package dev.coffer.kms.audit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Delivers a record to a sink, logging instead of throwing when the sink fails. */
public final class SafeAudit {
  private static final Logger LOG = LoggerFactory.getLogger(SafeAudit.class);

  private SafeAudit() {}

  /** Sends {@code record} to {@code sink}; a failing sink is logged, never thrown. */
  public static void record(AuditSink sink, AuditRecord record) {
    try {
      sink.record(record);
    } catch (RuntimeException e) {
      LOG.error(
          "audit sink {} failed to record {} on {}", sink, record.action(), record.keyId(), e);
    }
  }
}
