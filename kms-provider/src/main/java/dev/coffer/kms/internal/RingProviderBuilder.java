package dev.coffer.kms.internal;

import dev.coffer.kms.KeyProviderContext;
import dev.coffer.kms.ManagedKeyProvider;
import dev.coffer.kms.audit.AuditSink;
import java.time.Clock;
import java.util.Objects;

/**
 * The settings every builder of a {@link RingBackedProvider} shares, validated as they are set. Not
 * thread-safe.
 *
 * @param <B> the public builder interface
 * @param <P> the public provider interface
 */
public abstract class RingProviderBuilder<
        B extends ManagedKeyProvider.Builder<B, P>, P extends ManagedKeyProvider>
    implements ManagedKeyProvider.Builder<B, P> {
  protected String principal;
  protected Clock clock = Clock.systemUTC();
  protected AuditSink auditSink = AuditSink.slf4j();
  protected String account = Arns.DEFAULT_ACCOUNT;
  protected String region = Arns.DEFAULT_REGION;

  protected RingProviderBuilder() {}

  /** This builder as its public type. */
  protected abstract B self();

  @Override
  public B context(KeyProviderContext context) {
    return principal(context.principal()).clock(context.clock()).auditSink(context.auditSink());
  }

  @Override
  public B principal(String principal) {
    this.principal = principal;
    return self();
  }

  @Override
  public B clock(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
    return self();
  }

  @Override
  public B auditSink(AuditSink auditSink) {
    this.auditSink = Objects.requireNonNull(auditSink, "auditSink");
    return self();
  }

  @Override
  public B account(String account) {
    if (account == null || !account.matches("[0-9]{12}")) {
      throw new IllegalArgumentException("the account id must be 12 digits, not " + account);
    }
    this.account = account;
    return self();
  }

  @Override
  public B region(String region) {
    if (region == null || !Arns.isRegion(region)) {
      throw new IllegalArgumentException(
          "the region must be a region name such as us-east-1, not " + region);
    }
    this.region = region;
    return self();
  }
}
