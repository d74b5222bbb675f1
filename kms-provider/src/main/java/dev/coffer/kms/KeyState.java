package dev.coffer.kms;

/** The states of a master key, named as AWS KMS names them. */
public enum KeyState {
  /** Usable for every permitted operation. */
  ENABLED("Enabled"),
  /** Not usable for cryptographic operations until enabled again. */
  DISABLED("Disabled"),
  /** Scheduled for deletion: not usable; the deletion can be cancelled until its date. */
  PENDING_DELETION("PendingDeletion"),
  /** Unavailable for a reason outside the key (e.g. a custom key store is disconnected). */
  UNAVAILABLE("Unavailable");

  private final String awsName;

  KeyState(String awsName) {
    this.awsName = awsName;
  }

  /** The name AWS KMS uses, e.g. {@code "PendingDeletion"}. */
  public String awsName() {
    return awsName;
  }

  /** The state for an AWS name, e.g. {@code "Enabled"}. */
  public static KeyState fromAwsName(String name) {
    for (KeyState s : values()) {
      if (s.awsName.equals(name)) {
        return s;
      }
    }
    throw new IllegalArgumentException("unknown key state: " + name);
  }
}
