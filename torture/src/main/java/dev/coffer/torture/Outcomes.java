package dev.coffer.torture;

import dev.coffer.ConditionalCheckFailedException;
import dev.coffer.ResourceNotFoundException;
import dev.coffer.StorageException;
import dev.coffer.TransactionCanceledException;
import dev.coffer.kms.LimitExceededException;

/**
 * How the child classifies an exception from an operation: a clean refusal (nothing was done), a
 * documented failure after which the effect may or may not be there, or a failure the torture does
 * not expect (reported as an error of the cycle). Stateless.
 */
public final class Outcomes {
  /** The classes of a failed call. */
  public enum Outcome {
    /** Refused before doing anything: the operation has no effect. */
    REJECTED,
    /**
     * A documented failure that may come after part of the work: applied or not, both are allowed.
     */
    FAILED,
    /** Not expected in a torture run: the cycle fails. */
    UNEXPECTED
  }

  private Outcomes() {}

  /**
   * An item operation's exception. A write to a table whose deletion already destroyed its keys is
   * refused with {@link ResourceNotFoundException} before anything is written (a transaction or
   * batch checks all its tables under the store's lock before it writes); a failed condition
   * ({@link ConditionalCheckFailedException}) or a cancelled transaction ({@link
   * TransactionCanceledException}) wrote nothing either. (The torture's conditions always hold, so
   * these two would point at a bug elsewhere; they are still refusals, not damage.)
   */
  public static Outcome ofItemOperation(Throwable e) {
    if (e instanceof ResourceNotFoundException
        || e instanceof ConditionalCheckFailedException
        || e instanceof TransactionCanceledException) {
      return Outcome.REJECTED;
    }
    return Outcome.UNEXPECTED;
  }

  /** A lifecycle step's exception. */
  public static Outcome ofStep(LifecycleStep step, Throwable e) {
    if (e instanceof ResourceNotFoundException) {
      return Outcome.REJECTED;
    }
    if (step == LifecycleStep.KEY_MATERIAL && e instanceof LimitExceededException) {
      return Outcome.REJECTED; // the keystore allows 25 on-demand rotations per key, as AWS KMS
    }
    if (step == LifecycleStep.REENCRYPT
        && e instanceof StorageException
        && String.valueOf(e.getMessage()).contains("did not converge")) {
      return Outcome.FAILED; // documented: rotations during every pass; the next run continues
    }
    return Outcome.UNEXPECTED;
  }
}
