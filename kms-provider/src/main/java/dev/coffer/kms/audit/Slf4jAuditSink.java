package dev.coffer.kms.audit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Writes each record as one INFO line on the SLF4J logger {@code dev.coffer.audit}. */
final class Slf4jAuditSink implements AuditSink {
  static final Slf4jAuditSink INSTANCE = new Slf4jAuditSink();
  private static final Logger LOG = LoggerFactory.getLogger("dev.coffer.audit");

  private Slf4jAuditSink() {}

  @Override
  public void record(AuditRecord r) {
    if (LOG.isInfoEnabled()) {
      LOG.info(
          "{} {} {} key={} v{} ctx={} {}{}{}",
          r.time(),
          r.principal(),
          r.action(),
          r.keyId(),
          r.keyVersion(),
          r.encryptionContext(),
          r.outcome(),
          r.errorCode().isEmpty() ? "" : " " + r.errorCode(),
          r.message().isEmpty() ? "" : " " + r.message());
    }
  }

  @Override
  public String toString() {
    return "slf4j";
  }
}
