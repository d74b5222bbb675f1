package dev.coffer.kms.contract;

import dev.coffer.kms.KeyManagement;
import dev.coffer.kms.KeyProvider;
import dev.coffer.kms.audit.AuditRecord;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;

/**
 * The contract every {@link KeyProvider} passes. A provider's test extends this class and
 * implements {@link #newFixture(MutableClock)}. Cryptographic calls under test go through {@link
 * Fixture#provider()} and {@link Fixture#as(String)} (the SPI only); set-up (creating keys,
 * policies, states) goes through {@link Fixture#admin()}.
 */
public abstract class KeyProviderContractTest {

  /** What a provider's test supplies. */
  public interface Fixture extends AutoCloseable {
    /** The provider under test, acting as the key owner (allowed everything by default policy). */
    KeyProvider provider();

    /** The provider under test acting as another principal (a bare name such as "bob"). */
    KeyProvider as(String principal);

    /** Key administration as the owner, on the same keys (may bypass the provider under test). */
    KeyManagement admin();

    /** Every audit record emitted so far by the key service, oldest first. */
    List<AuditRecord> auditRecords();

    @Override
    void close();
  }

  /** Creates a fresh fixture whose key service reads time from {@code clock}. */
  protected abstract Fixture newFixture(MutableClock clock);

  /** A clock tests move by hand. Thread-safe. */
  public static final class MutableClock extends Clock {
    private volatile Instant now;

    public MutableClock(Instant start) {
      this.now = start;
    }

    public void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
