package dev.coffer.kms.memory;

import dev.coffer.kms.KeyProviderContext;
import dev.coffer.kms.audit.AuditSink;
import dev.coffer.kms.internal.Arns;
import dev.coffer.kms.internal.KeyRing;
import dev.coffer.kms.internal.RingBackedProvider;
import java.time.Clock;
import java.util.Objects;

/**
 * A key provider that keeps its master keys in memory, with the same semantics as the local
 * provider (states, aliases, policies, rotation, deletion, audit), plus {@link #faults() fault
 * injection}. For tests: keys are lost when the last reference goes. URI: {@code memory:}.
 *
 * <p>{@link #asPrincipal(String)} returns a view acting as another principal on the same keys, so
 * a test can create a key as its owner and use it as someone the policy does not allow.
 * Thread-safe.
 */
public final class InMemoryKeyProvider extends RingBackedProvider {
  private final FaultInjector faults;

  private InMemoryKeyProvider(KeyRing ring, String principal, FaultInjector faults) {
    super(ring, principal);
    this.faults = faults;
  }

  /** A new, empty provider acting as the account root, with the system clock and SLF4J audit. */
  public static InMemoryKeyProvider create() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  @Override
  public InMemoryKeyProvider asPrincipal(String principal) {
    return new InMemoryKeyProvider(ring(), principal, faults);
  }

  /** The faults and counters shared by every view of this provider. */
  public FaultInjector faults() {
    return faults;
  }

  @Override
  protected void beforeCall(String action, String keyRef) {
    faults.before(principal(), action, keyRef);
  }

  @Override
  public String scheme() {
    return "memory";
  }

  /** Nothing to release; the keys stay usable through other references. */
  @Override
  public void close() {}

  /** Builds an {@link InMemoryKeyProvider}. */
  public static final class Builder {
    private String principal;
    private Clock clock = Clock.systemUTC();
    private AuditSink auditSink = AuditSink.slf4j();
    private String account = Arns.DEFAULT_ACCOUNT;
    private String region = Arns.DEFAULT_REGION;

    private Builder() {}

    /** Settings from a factory context. */
    public Builder context(KeyProviderContext context) {
      return principal(context.principal()).clock(context.clock()).auditSink(context.auditSink());
    }

    /** The principal to act as (name or ARN); the account root by default. */
    public Builder principal(String principal) {
      this.principal = principal;
      return this;
    }

    /** The clock for key dates, rotation and deletion; inject one to test time. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    public Builder auditSink(AuditSink auditSink) {
      this.auditSink = Objects.requireNonNull(auditSink, "auditSink");
      return this;
    }

    /** The 12-digit account id in ARNs. */
    public Builder account(String account) {
      this.account = Objects.requireNonNull(account, "account");
      return this;
    }

    /** The region in ARNs. */
    public Builder region(String region) {
      this.region = Objects.requireNonNull(region, "region");
      return this;
    }

    public InMemoryKeyProvider build() {
      KeyRing ring = new KeyRing(KeyRing.memoryStore(account, region), clock, auditSink, "memory");
      return new InMemoryKeyProvider(ring, principal, new FaultInjector());
    }
  }
}
