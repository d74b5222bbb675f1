package dev.coffer.internal.txn;

import dev.coffer.IdempotentParameterMismatchException;
import dev.coffer.TransactionInProgressException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code ClientRequestToken}s of TransactWriteItems of the last 10 minutes, as DynamoDB keeps
 * them: a token is valid for 10 minutes after the first request that used it completed. Within that
 * window the same token with the same request (compared by a hash of the whole request) does not
 * apply it again when it was applied ({@link #begin} returns true: answer success), runs it again
 * when it was cancelled, and refuses with {@link TransactionInProgressException} while it runs; the
 * same token with another request is {@link IdempotentParameterMismatchException}. A request
 * refused before it ran (a ValidationException) does not take the token.
 *
 * <p>Tokens live in memory, in the open store: they do not survive closing the store or a crash.
 * Each costs about 150 bytes for 10 minutes. Thread-safe.
 */
public final class IdempotencyTokens {
  /** How long a token is remembered after its request completed. */
  public static final Duration WINDOW = Duration.ofMinutes(10);

  /** What became of a token's request. */
  public enum Outcome {
    /** Still running. */
    RUNNING,
    /** Applied: a repeat is answered without applying it again. */
    APPLIED,
    /** Cancelled: a repeat runs again. */
    CANCELLED
  }

  private record Entry(byte[] requestHash, Outcome outcome, Instant completed) {}

  private final Clock clock;

  /**
   * Completed entries in completion order (re-inserted when they complete), running ones anywhere.
   */
  private final LinkedHashMap<String, Entry> tokens = new LinkedHashMap<>();

  public IdempotencyTokens(Clock clock) {
    this.clock = clock;
  }

  /**
   * Claims {@code token} for a request with {@code requestHash}.
   *
   * @return true when the same request was already applied within the window: do not apply it again
   *     (and do not call {@link #finish})
   * @throws IdempotentParameterMismatchException when the token belongs to another request
   * @throws TransactionInProgressException when the same request is running now
   */
  public synchronized boolean begin(String token, byte[] requestHash) {
    prune();
    Entry e = tokens.get(token);
    if (e == null) {
      tokens.put(token, new Entry(requestHash.clone(), Outcome.RUNNING, null));
      return false;
    }
    if (!Arrays.equals(e.requestHash, requestHash)) {
      throw new IdempotentParameterMismatchException(IdempotentParameterMismatchException.MESSAGE);
    }
    switch (e.outcome) {
      case RUNNING:
        throw new TransactionInProgressException(
            "The transaction with the given request token is already in progress.");
      case APPLIED:
        return true;
      default:
        tokens.put(token, new Entry(e.requestHash, Outcome.RUNNING, null));
        return false;
    }
  }

  /** Records how the request that claimed {@code token} ended; {@code null} forgets the token. */
  public synchronized void finish(String token, Outcome outcome) {
    Entry e = tokens.remove(token);
    if (e != null && outcome != null && outcome != Outcome.RUNNING) {
      tokens.put(token, new Entry(e.requestHash, outcome, clock.instant()));
    }
  }

  /** The number of tokens remembered (tests, diagnostics). */
  public synchronized int size() {
    prune();
    return tokens.size();
  }

  private void prune() {
    Instant oldest = clock.instant().minus(WINDOW);
    for (Iterator<Map.Entry<String, Entry>> it = tokens.entrySet().iterator(); it.hasNext(); ) {
      Entry e = it.next().getValue();
      if (e.outcome == Outcome.RUNNING) {
        continue;
      }
      if (!e.completed.isBefore(oldest)) {
        break; // completed entries follow in completion order
      }
      it.remove();
    }
  }
}
