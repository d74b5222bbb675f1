package dev.coffer.internal.record;

/**
 * A conditional write on a shared backend lost: another writer (in this process or another) changed
 * the record first. The caller reads again and retries; it never reaches a user.
 */
public final class RecordConflictException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public RecordConflictException(String message, Throwable cause) {
    super(message, cause, false, false);
  }
}
