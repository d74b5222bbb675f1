package dev.coffer.internal.txn;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.coffer.CorruptionException;
import dev.coffer.IdempotentParameterMismatchException;
import dev.coffer.TransactionInProgressException;
import dev.coffer.internal.record.RecordBatch;
import dev.coffer.internal.record.TokenRecords;
import dev.coffer.proto.ClientTokenRecord;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code ClientRequestToken}s of TransactWriteItems of the last 10 minutes, as DynamoDB keeps
 * them: a token is valid for 10 minutes after the first request that used it completed. Within that
 * window the same token with the same request (compared by a hash of the whole request) does not
 * apply it again when it was applied ({@link #begin} returns true: answer success), runs it again
 * when it was cancelled, and refuses with {@link TransactionInProgressException} while it runs; the
 * same token with another request is {@link IdempotentParameterMismatchException}. A request
 * refused before it ran (a ValidationException) does not take the token.
 *
 * <p><b>Durable</b> (a store this process owns alone, {@link TokenRecords} given): the token of an
 * applied transaction is a sealed record written in the transaction's own batch ({@link
 * #recordOf}), so it survives a close and a crash exactly when the transaction does. Memory holds
 * only the tokens running now and those of cancelled requests (at most {@value #MAX_CANCELLED}, the
 * oldest forgotten first). Records older than 10 minutes are ignored and deleted when looked up,
 * and a sweep that walks the records in key order, {@value #SWEEP_BATCH} at a time after every
 * {@value #SWEEP_EVERY} token writes, deletes the expired ones it meets (so the records on disk
 * stay below about twice the tokens of 10 minutes).
 *
 * <p><b>In memory</b> ({@code null} records: a shared backend, where a token cannot be committed
 * with the items): as above, but applied tokens are kept in memory and lost with the instance.
 *
 * <p>Thread-safe: every decision is taken under this object's monitor; the sweep never deletes the
 * record of a token that is running (whose transaction may be writing a new one).
 */
public final class IdempotencyTokens {
  private static final Logger LOG = LoggerFactory.getLogger(IdempotencyTokens.class);

  /** How long a token is remembered after its request completed. */
  public static final Duration WINDOW = Duration.ofMinutes(10);

  /** The most cancelled requests' tokens remembered (durable mode). */
  static final int MAX_CANCELLED = 10_000;

  /** Token writes between two sweep steps. */
  static final int SWEEP_EVERY = 16;

  /** Records examined by a sweep step. */
  static final int SWEEP_BATCH = 64;

  private static final int RECORD_FORMAT = 1;

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
  private final TokenRecords records;

  /**
   * Completed entries in completion order (re-inserted when they complete), running ones anywhere.
   */
  private final LinkedHashMap<String, Entry> tokens = new LinkedHashMap<>();

  private int completed; // entries in the map that are not RUNNING
  private int writesSinceSweep;
  private byte[] sweepAfter; // the digest the sweep continues after; null: from the first record

  /** Tokens timed by {@code clock}, kept as records in {@code records} (null: in memory only). */
  public IdempotencyTokens(Clock clock, TokenRecords records) {
    this.clock = clock;
    this.records = records;
  }

  /**
   * Claims {@code token} for a request with {@code requestHash}.
   *
   * @return true when the same request was already applied within the window: do not apply it again
   *     (and do not call {@link #finish})
   * @throws IdempotentParameterMismatchException when the token belongs to another request
   * @throws TransactionInProgressException when the same request is running now
   * @throws CorruptionException when the token's record does not authenticate
   */
  public synchronized boolean begin(String token, byte[] requestHash) {
    prune();
    Entry e = tokens.get(token);
    if (e == null && records != null) {
      e = stored(token);
    }
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
        if (tokens.put(token, new Entry(e.requestHash, Outcome.RUNNING, null)) != null) {
          completed--; // a cancelled entry of memory runs again
        }
        return false;
    }
  }

  /**
   * What the batch of the transaction that claimed {@code token} must also write: the token's
   * sealed record, stamped with the time the batch is built; null when tokens stay in memory.
   */
  public Consumer<RecordBatch> recordOf(String token, byte[] requestHash) {
    if (records == null) {
      return null;
    }
    return batch -> {
      byte[] plaintext =
          ClientTokenRecord.newBuilder()
              .setFormatVersion(RECORD_FORMAT)
              .setToken(token)
              .setRequestSha256(ByteString.copyFrom(requestHash))
              .setCompletedMillis(clock.millis())
              .build()
              .toByteArray();
      records.put(batch, records.digest(token), plaintext);
    };
  }

  /**
   * Records how the request that claimed {@code token} ended; {@code null} forgets the token (the
   * request failed before it could apply). With durable records an APPLIED request's token is on
   * disk already (written with it by {@link #recordOf}) and leaves memory.
   */
  public synchronized void finish(String token, Outcome outcome) {
    Entry e = tokens.remove(token);
    if (e == null || outcome == null || outcome == Outcome.RUNNING) {
      return;
    }
    if (records != null && outcome == Outcome.APPLIED) {
      if (++writesSinceSweep >= SWEEP_EVERY) {
        writesSinceSweep = 0;
        try {
          sweepStep();
        } catch (RuntimeException sweepFailed) {
          // the transaction is applied and its token recorded; the store failed under the sweep
          // (damaged records are passed over inside it): start again from the first next time
          LOG.warn("The sweep of expired ClientRequestToken records failed", sweepFailed);
          sweepAfter = null;
        }
      }
      return;
    }
    tokens.put(token, new Entry(e.requestHash, outcome, clock.instant()));
    completed++;
  }

  /** The number of tokens remembered in memory (tests, diagnostics). */
  public synchronized int size() {
    prune();
    return tokens.size();
  }

  /**
   * The entry the token's record holds, or null when it has none within the window (an expired
   * record is deleted here).
   */
  private Entry stored(String token) {
    byte[] digest = records.digest(token);
    byte[] plain = records.read(digest);
    if (plain == null) {
      return null;
    }
    ClientTokenRecord r = parse(plain);
    if (!r.getToken().equals(token)) {
      return null; // another token with the same 128-bit digest: treated as free, overwritten
    }
    if (expired(r)) {
      records.delete(List.of(digest));
      return null;
    }
    return new Entry(
        r.getRequestSha256().toByteArray(),
        Outcome.APPLIED,
        Instant.ofEpochMilli(r.getCompletedMillis()));
  }

  /**
   * One step of the sweep: examines the next {@value #SWEEP_BATCH} records after the last one
   * examined (from the first again after the last) and deletes the expired ones whose token is not
   * running.
   */
  private void sweepStep() {
    List<TokenRecords.Stored> batch = records.scan(sweepAfter, SWEEP_BATCH);
    List<byte[]> expired = new ArrayList<>();
    int damaged = 0;
    for (TokenRecords.Stored s : batch) {
      ClientTokenRecord r;
      try {
        r = s.plaintext() == null ? null : parse(s.plaintext());
      } catch (CorruptionException malformed) {
        r = null;
      }
      if (r == null) {
        damaged++; // passed over, so that the records after it still expire; its look-up reports it
        continue;
      }
      Entry running = tokens.get(r.getToken());
      if (expired(r) && (running == null || running.outcome != Outcome.RUNNING)) {
        expired.add(s.digest());
      }
    }
    records.delete(expired);
    sweepAfter = batch.size() < SWEEP_BATCH ? null : batch.get(batch.size() - 1).digest();
    if (damaged > 0) {
      LOG.warn(
          "{} ClientRequestToken record(s) of the store do not authenticate or are malformed;"
              + " the sweep passed them over (a look-up of their token fails with"
              + " CorruptionException; `verify` does not walk token records yet)",
          damaged);
    }
  }

  private boolean expired(ClientTokenRecord r) {
    return r.getCompletedMillis() < clock.millis() - WINDOW.toMillis();
  }

  private static ClientTokenRecord parse(byte[] plain) {
    try {
      ClientTokenRecord r = ClientTokenRecord.parseFrom(plain);
      if (r.getFormatVersion() != RECORD_FORMAT || r.getRequestSha256().size() != 32) {
        throw new CorruptionException(
            "A ClientRequestToken record has an unknown format", null, "ClientRequestToken record");
      }
      return r;
    } catch (InvalidProtocolBufferException e) {
      throw new CorruptionException(
          "A ClientRequestToken record is malformed", null, "ClientRequestToken record", e);
    }
  }

  private void prune() {
    Instant oldest = clock.instant().minus(WINDOW);
    for (Iterator<Map.Entry<String, Entry>> it = tokens.entrySet().iterator(); it.hasNext(); ) {
      Entry e = it.next().getValue();
      if (e.outcome == Outcome.RUNNING) {
        continue;
      }
      boolean overCap = records != null && completed > MAX_CANCELLED;
      if (!overCap && !e.completed.isBefore(oldest)) {
        break; // completed entries follow in completion order
      }
      it.remove();
      completed--;
    }
  }
}
