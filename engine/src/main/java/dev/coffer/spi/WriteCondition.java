package dev.coffer.spi;

/**
 * The condition under which a {@link RecordBackend} write or delete takes effect, checked
 * atomically with it (DynamoDB: a {@code ConditionExpression}). When it does not hold the backend
 * changes nothing and throws {@link ConditionFailedException}. Immutable.
 */
public final class WriteCondition {
  /** What is checked. */
  public enum Kind {
    /** Nothing: the write always takes effect. */
    NONE,
    /** The record does not exist. */
    ABSENT,
    /** The record exists (with any version). */
    EXISTS,
    /** The record exists with exactly {@link #version()}. */
    VERSION
  }

  private static final WriteCondition NONE = new WriteCondition(Kind.NONE, 0);
  private static final WriteCondition ABSENT = new WriteCondition(Kind.ABSENT, 0);
  private static final WriteCondition EXISTS = new WriteCondition(Kind.EXISTS, 0);

  private final Kind kind;
  private final long version;

  private WriteCondition(Kind kind, long version) {
    this.kind = kind;
    this.version = version;
  }

  /** No condition. */
  public static WriteCondition none() {
    return NONE;
  }

  /** The record must not exist. */
  public static WriteCondition absent() {
    return ABSENT;
  }

  /** The record must exist. */
  public static WriteCondition exists() {
    return EXISTS;
  }

  /** The record must exist with version {@code version}. */
  public static WriteCondition version(long version) {
    return new WriteCondition(Kind.VERSION, version);
  }

  public Kind kind() {
    return kind;
  }

  /** The expected version ({@link Kind#VERSION} only). */
  public long version() {
    return version;
  }

  /** Whether a record that is {@code current} (null: absent) satisfies the condition. */
  public boolean holdsFor(BackendRecord current) {
    return switch (kind) {
      case NONE -> true;
      case ABSENT -> current == null;
      case EXISTS -> current != null;
      case VERSION -> current != null && current.version() == version;
    };
  }

  @Override
  public String toString() {
    return kind == Kind.VERSION
        ? "version " + version
        : kind.name().toLowerCase(java.util.Locale.ROOT);
  }
}
