package dev.coffer;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A table's billing mode and provisioned throughput as DynamoDB's CreateTable, UpdateTable and
 * DescribeTable carry them ({@code BillingMode}, {@code ProvisionedThroughput}). Coffer has no
 * capacity limits: the settings change nothing in how the table works; the catalog keeps them
 * ({@link TableSpec.Builder#capacitySettings}, {@link Table#updateCapacitySettings}) so that they
 * are described back ({@link TableDescription#capacitySettings()}) after a close and a reopen. A
 * table created without them is described as {@link #payPerRequest()}.
 *
 * <pre>{@code
 * CapacitySettings.builder()
 *     .billingMode(CapacitySettings.BillingMode.PROVISIONED)
 *     .readCapacityUnits(5).writeCapacityUnits(5)
 *     .build();
 * }</pre>
 *
 * <p>Immutable and thread-safe; built with {@link #builder()} / {@link #toBuilder()}, as the AWS
 * SDK v2's model types.
 */
public final class CapacitySettings {
  /** DynamoDB's billing modes. */
  public enum BillingMode {
    /** Provisioned throughput: read and write capacity units of at least 1 each. */
    PROVISIONED,
    /** On demand: no provisioned units (both 0). */
    PAY_PER_REQUEST
  }

  private static final CapacitySettings PAY_PER_REQUEST =
      builder().billingMode(BillingMode.PAY_PER_REQUEST).build();

  private final BillingMode billingMode;
  private final long readCapacityUnits;
  private final long writeCapacityUnits;
  private final Instant lastIncrease;
  private final Instant lastDecrease;
  private final int decreasesToday;

  private CapacitySettings(Builder b) {
    this.billingMode = b.billingMode;
    this.readCapacityUnits = b.readCapacityUnits;
    this.writeCapacityUnits = b.writeCapacityUnits;
    this.lastIncrease = b.lastIncrease;
    this.lastDecrease = b.lastDecrease;
    this.decreasesToday = b.decreasesToday;
  }

  /** A builder; the billing mode must be set. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this value's settings. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.billingMode = billingMode;
    b.readCapacityUnits = readCapacityUnits;
    b.writeCapacityUnits = writeCapacityUnits;
    b.lastIncrease = lastIncrease;
    b.lastDecrease = lastDecrease;
    b.decreasesToday = decreasesToday;
    return b;
  }

  /** PAY_PER_REQUEST with no provisioned units: what a table created without settings reports. */
  public static CapacitySettings payPerRequest() {
    return PAY_PER_REQUEST;
  }

  /** The billing mode. */
  public BillingMode billingMode() {
    return billingMode;
  }

  /** Provisioned read capacity units (0 under PAY_PER_REQUEST). */
  public long readCapacityUnits() {
    return readCapacityUnits;
  }

  /** Provisioned write capacity units (0 under PAY_PER_REQUEST). */
  public long writeCapacityUnits() {
    return writeCapacityUnits;
  }

  /** When the provisioned throughput was last increased, if ever. */
  public Optional<Instant> lastIncrease() {
    return Optional.ofNullable(lastIncrease);
  }

  /** When the provisioned throughput was last decreased, if ever. */
  public Optional<Instant> lastDecrease() {
    return Optional.ofNullable(lastDecrease);
  }

  /** DynamoDB's {@code NumberOfDecreasesToday}, as the last UpdateTable counted it. */
  public int decreasesToday() {
    return decreasesToday;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CapacitySettings c
        && c.billingMode == billingMode
        && c.readCapacityUnits == readCapacityUnits
        && c.writeCapacityUnits == writeCapacityUnits
        && Objects.equals(c.lastIncrease, lastIncrease)
        && Objects.equals(c.lastDecrease, lastDecrease)
        && c.decreasesToday == decreasesToday;
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        billingMode,
        readCapacityUnits,
        writeCapacityUnits,
        lastIncrease,
        lastDecrease,
        decreasesToday);
  }

  @Override
  public String toString() {
    return "CapacitySettings["
        + billingMode
        + (billingMode == BillingMode.PROVISIONED
            ? ", read=" + readCapacityUnits + ", write=" + writeCapacityUnits
            : "")
        + (lastIncrease != null ? ", lastIncrease=" + lastIncrease : "")
        + (lastDecrease != null ? ", lastDecrease=" + lastDecrease : "")
        + (decreasesToday != 0 ? ", decreasesToday=" + decreasesToday : "")
        + "]";
  }

  /** Builds {@link CapacitySettings}. Not thread-safe. */
  public static final class Builder {
    private BillingMode billingMode;
    private long readCapacityUnits;
    private long writeCapacityUnits;
    private Instant lastIncrease;
    private Instant lastDecrease;
    private int decreasesToday;

    private Builder() {}

    /** The billing mode (required). */
    public Builder billingMode(BillingMode mode) {
      this.billingMode = Objects.requireNonNull(mode, "billingMode");
      return this;
    }

    /** Provisioned read capacity units: at least 1 under PROVISIONED, 0 under PAY_PER_REQUEST. */
    public Builder readCapacityUnits(long units) {
      this.readCapacityUnits = units;
      return this;
    }

    /** Provisioned write capacity units: at least 1 under PROVISIONED, 0 under PAY_PER_REQUEST. */
    public Builder writeCapacityUnits(long units) {
      this.writeCapacityUnits = units;
      return this;
    }

    /** When the throughput was last increased (null: never). */
    public Builder lastIncrease(Instant when) {
      this.lastIncrease = when;
      return this;
    }

    /** When the throughput was last decreased (null: never). */
    public Builder lastDecrease(Instant when) {
      this.lastDecrease = when;
      return this;
    }

    /** DynamoDB's {@code NumberOfDecreasesToday} (0 or more). */
    public Builder decreasesToday(int count) {
      this.decreasesToday = count;
      return this;
    }

    /**
     * @throws ValidationException (with DynamoDB's wording) when the billing mode is missing, when
     *     PROVISIONED has a unit count below 1, or PAY_PER_REQUEST one other than 0
     * @throws IllegalArgumentException when {@code decreasesToday} is negative
     */
    public CapacitySettings build() {
      if (billingMode == null) {
        throw new ValidationException(
            "1 validation error detected: Value null at 'billingMode' failed to satisfy"
                + " constraint: Member must not be null");
      }
      if (billingMode == BillingMode.PROVISIONED
          && (readCapacityUnits < 1 || writeCapacityUnits < 1)) {
        throw new ValidationException(
            "One or more parameter values were invalid: ReadCapacityUnits and"
                + " WriteCapacityUnits must both be specified when BillingMode is PROVISIONED");
      }
      if (billingMode == BillingMode.PAY_PER_REQUEST
          && (readCapacityUnits != 0 || writeCapacityUnits != 0)) {
        throw new ValidationException(
            "One or more parameter values were invalid: Neither ReadCapacityUnits nor"
                + " WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST");
      }
      if (decreasesToday < 0) {
        throw new IllegalArgumentException(
            "decreasesToday must be 0 or more, was " + decreasesToday);
      }
      return new CapacitySettings(this);
    }
  }
}
