package dev.coffer.kms;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@code DescribeKey} tells about a master key. Immutable and thread-safe; built with {@link
 * #builder()}.
 */
public final class KeyDescription {
  private final String keyId;
  private final String arn;
  private final List<String> aliases;
  private final String description;
  private final KeyState state;
  private final Instant creationDate;
  private final Instant deletionDate;
  private final boolean rotationEnabled;
  private final int rotationPeriodInDays;
  private final Instant nextRotationDate;
  private final int currentKeyVersion;
  private final Map<String, String> tags;

  private KeyDescription(Builder b) {
    this.keyId = Objects.requireNonNull(b.keyId, "keyId");
    this.arn = Objects.requireNonNull(b.arn, "arn");
    this.aliases = List.copyOf(b.aliases);
    this.description = b.description == null ? "" : b.description;
    this.state = Objects.requireNonNull(b.state, "state");
    this.creationDate = Objects.requireNonNull(b.creationDate, "creationDate");
    this.deletionDate = b.deletionDate;
    this.rotationEnabled = b.rotationEnabled;
    this.rotationPeriodInDays = b.rotationPeriodInDays;
    this.nextRotationDate = b.nextRotationDate;
    this.currentKeyVersion = b.currentKeyVersion;
    this.tags = Map.copyOf(b.tags);
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    return new Builder(this);
  }

  /** The key id (a UUID for KMS and local keys). */
  public String keyId() {
    return keyId;
  }

  /** The ARN, e.g. {@code arn:aws:kms:us-east-1:111122223333:key/<id>}. */
  public String arn() {
    return arn;
  }

  /** Alias names pointing at the key, each starting with {@code alias/}. */
  public List<String> aliases() {
    return aliases;
  }

  public String description() {
    return description;
  }

  public KeyState state() {
    return state;
  }

  public Instant creationDate() {
    return creationDate;
  }

  /** When a key in {@link KeyState#PENDING_DELETION} will be deleted. */
  public Optional<Instant> deletionDate() {
    return Optional.ofNullable(deletionDate);
  }

  public boolean rotationEnabled() {
    return rotationEnabled;
  }

  /** The automatic rotation period in days, or 0 when rotation is off or unknown. */
  public int rotationPeriodInDays() {
    return rotationPeriodInDays;
  }

  /** When the next automatic rotation happens, while it is on. */
  public Optional<Instant> nextRotationDate() {
    return Optional.ofNullable(nextRotationDate);
  }

  /**
   * The version that encrypts now (1 for a never-rotated key), or 0 where the provider hides it.
   */
  public int currentKeyVersion() {
    return currentKeyVersion;
  }

  public Map<String, String> tags() {
    return tags;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof KeyDescription)) {
      return false;
    }
    KeyDescription k = (KeyDescription) o;
    return keyId.equals(k.keyId)
        && arn.equals(k.arn)
        && aliases.equals(k.aliases)
        && description.equals(k.description)
        && state == k.state
        && creationDate.equals(k.creationDate)
        && Objects.equals(deletionDate, k.deletionDate)
        && rotationEnabled == k.rotationEnabled
        && rotationPeriodInDays == k.rotationPeriodInDays
        && Objects.equals(nextRotationDate, k.nextRotationDate)
        && currentKeyVersion == k.currentKeyVersion
        && tags.equals(k.tags);
  }

  @Override
  public int hashCode() {
    return Objects.hash(keyId, arn, state, creationDate);
  }

  @Override
  public String toString() {
    return "KeyDescription[" + arn + ", " + state.awsName() + ", aliases=" + aliases + "]";
  }

  /** Builds a {@link KeyDescription}. */
  public static final class Builder {
    private String keyId;
    private String arn;
    private List<String> aliases = List.of();
    private String description;
    private KeyState state;
    private Instant creationDate;
    private Instant deletionDate;
    private boolean rotationEnabled;
    private int rotationPeriodInDays;
    private Instant nextRotationDate;
    private int currentKeyVersion;
    private Map<String, String> tags = Map.of();

    private Builder() {}

    private Builder(KeyDescription d) {
      keyId = d.keyId;
      arn = d.arn;
      aliases = d.aliases;
      description = d.description;
      state = d.state;
      creationDate = d.creationDate;
      deletionDate = d.deletionDate;
      rotationEnabled = d.rotationEnabled;
      rotationPeriodInDays = d.rotationPeriodInDays;
      nextRotationDate = d.nextRotationDate;
      currentKeyVersion = d.currentKeyVersion;
      tags = d.tags;
    }

    public Builder keyId(String keyId) {
      this.keyId = keyId;
      return this;
    }

    public Builder arn(String arn) {
      this.arn = arn;
      return this;
    }

    public Builder aliases(List<String> aliases) {
      this.aliases = Objects.requireNonNull(aliases, "aliases");
      return this;
    }

    public Builder description(String description) {
      this.description = description;
      return this;
    }

    public Builder state(KeyState state) {
      this.state = state;
      return this;
    }

    public Builder creationDate(Instant creationDate) {
      this.creationDate = creationDate;
      return this;
    }

    public Builder deletionDate(Instant deletionDate) {
      this.deletionDate = deletionDate;
      return this;
    }

    public Builder rotationEnabled(boolean rotationEnabled) {
      this.rotationEnabled = rotationEnabled;
      return this;
    }

    public Builder rotationPeriodInDays(int rotationPeriodInDays) {
      this.rotationPeriodInDays = rotationPeriodInDays;
      return this;
    }

    public Builder nextRotationDate(Instant nextRotationDate) {
      this.nextRotationDate = nextRotationDate;
      return this;
    }

    public Builder currentKeyVersion(int currentKeyVersion) {
      this.currentKeyVersion = currentKeyVersion;
      return this;
    }

    public Builder tags(Map<String, String> tags) {
      this.tags = Objects.requireNonNull(tags, "tags");
      return this;
    }

    public KeyDescription build() {
      return new KeyDescription(this);
    }
  }
}
