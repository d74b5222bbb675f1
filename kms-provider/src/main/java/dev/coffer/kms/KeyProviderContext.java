package dev.coffer.kms;

import dev.coffer.kms.audit.AuditSink;
import java.time.Clock;
import java.util.Objects;
import java.util.function.Function;

/**
 * What a {@link KeyProviderFactory} may use besides the URI: the principal to act as, where to read
 * secrets (passphrases, raw keys) from, the clock, and the audit sink. Immutable.
 *
 * <p>Secrets are never taken from the URI: the local provider reads {@code
 * COFFER_KEYSTORE_PASSPHRASE}, {@code COFFER_KEYSTORE_KEY_FILE} or {@code COFFER_KEYSTORE_KEY}
 * through {@link #environment()}.
 */
public final class KeyProviderContext {
  private final String principal;
  private final Function<String, String> environment;
  private final Clock clock;
  private final AuditSink auditSink;

  private KeyProviderContext(Builder b) {
    this.principal = b.principal;
    this.environment = b.environment;
    this.clock = b.clock;
    this.auditSink = b.auditSink;
  }

  /**
   * Defaults: no principal (the provider's default), {@link System#getenv}, the UTC system clock,
   * SLF4J audit.
   */
  public static KeyProviderContext defaults() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    return new Builder()
        .principal(principal)
        .environment(environment)
        .clock(clock)
        .auditSink(auditSink);
  }

  /** The principal to act as, or null for the provider's default. */
  public String principal() {
    return principal;
  }

  /** Where to read environment variables from. */
  public Function<String, String> environment() {
    return environment;
  }

  public Clock clock() {
    return clock;
  }

  public AuditSink auditSink() {
    return auditSink;
  }

  /** Builds a {@link KeyProviderContext}. */
  public static final class Builder {
    private String principal;
    private Function<String, String> environment = System::getenv;
    private Clock clock = Clock.systemUTC();
    private AuditSink auditSink = AuditSink.slf4j();

    private Builder() {}

    public Builder principal(String principal) {
      this.principal = principal;
      return this;
    }

    public Builder environment(Function<String, String> environment) {
      this.environment = Objects.requireNonNull(environment, "environment");
      return this;
    }

    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    public Builder auditSink(AuditSink auditSink) {
      this.auditSink = Objects.requireNonNull(auditSink, "auditSink");
      return this;
    }

    public KeyProviderContext build() {
      return new KeyProviderContext(this);
    }
  }
}
