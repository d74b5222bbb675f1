package dev.coffer.cli.store;

import dev.coffer.kms.audit.AuditOutcome;
import dev.coffer.kms.audit.AuditRecord;
import java.time.Instant;
import java.util.Locale;
import java.util.function.Predicate;

/**
 * Which audit records {@code coffer audit} shows. Every criterion is optional; a record must meet
 * all that are set. Names match loosely, as people type them: an action with or without its {@code
 * kms:} prefix and in any case, a principal by its ARN or its last path element ({@code bob} for
 * {@code arn:aws:iam::111122223333:user/bob}), a key by its id, ARN or alias. Immutable.
 *
 * @param since the earliest time, inclusive, or null
 * @param until the latest time, exclusive, or null
 * @param action e.g. {@code Decrypt} or {@code kms:Decrypt}, or null
 * @param principal an ARN or a user name, or null
 * @param keyId a key id, key ARN or alias, or null
 * @param outcome or null
 */
record AuditFilter(
    Instant since,
    Instant until,
    String action,
    String principal,
    String keyId,
    AuditOutcome outcome)
    implements Predicate<AuditRecord> {

  @Override
  public boolean test(AuditRecord r) {
    return (since == null || !r.time().isBefore(since))
        && (until == null || r.time().isBefore(until))
        && (action == null || actionMatches(r.action()))
        && (principal == null || lastElementMatches(r.principal(), principal))
        && (keyId == null
            || lastElementMatches(r.keyId(), keyId)
            || r.keyId().endsWith(":" + keyId))
        && (outcome == null || r.outcome() == outcome);
  }

  private boolean actionMatches(String recorded) {
    String want = action.toLowerCase(Locale.ROOT);
    String got = recorded.toLowerCase(Locale.ROOT);
    return got.equals(want) || got.substring(got.indexOf(':') + 1).equals(want);
  }

  private static boolean lastElementMatches(String recorded, String wanted) {
    return recorded.equals(wanted)
        || recorded.endsWith("/" + wanted)
        || recorded.endsWith(":" + wanted);
  }
}
