package dev.coffer.kms.internal;

import dev.coffer.kms.EncryptionContext;
import dev.coffer.kms.KeyProviderException;
import dev.coffer.kms.LimitExceededException;
import dev.coffer.kms.audit.AuditRecord;
import dev.coffer.kms.internal.RingAudit.Facts;
import dev.coffer.proto.KeystoreContents;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.BiFunction;

/**
 * A key ring's state and its synchronisation with the {@link RingStore}, and the two ways a call
 * runs: {@link #call read-only} on the current snapshot, or as a {@link #mutate change} through the
 * store.
 *
 * <p>State is a {@link KeystoreContents} value, replaced as a whole on every change: readers work
 * on a consistent {@link Snapshot}, writers are serialized, and a change is published only after
 * the store has saved it (so a failed save changes nothing). Every change goes through {@link
 * RingStore#update}, which for a store shared with other instances or processes locks, reloads the
 * newest state, applies the change to it and saves, so no update is lost; before each call the
 * state asks {@link RingStore#reloadIfChanged()} for changes made by others (for stores that say
 * they {@link RingStore#mayChangeOutside() may have some}). Time-driven changes ({@link Schedule})
 * are applied lazily, at the first call after they fall due, with the injected clock, in the same
 * locked update as that call when it is a change. Every call is audited once. Thread-safe.
 */
final class RingState {
  private final RingStore store;
  private final Clock clock;
  private final RingAudit audit;
  private final Object writeLock = new Object();
  private final int maxContentsBytes;
  private volatile Snapshot snapshot;

  RingState(RingStore store, Clock clock, RingAudit audit, int maxContentsBytes) {
    this.maxContentsBytes = maxContentsBytes;
    this.store = Objects.requireNonNull(store, "store");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.audit = Objects.requireNonNull(audit, "audit");
    this.snapshot = new Snapshot(store.load());
  }

  Clock clock() {
    return clock;
  }

  /** The snapshot last published, without looking for outside changes. */
  Snapshot published() {
    return snapshot;
  }

  /** A read-only call's body. */
  @FunctionalInterface
  interface Body<T> {
    T run(Snapshot s, Facts facts);
  }

  /** A change's body: reads {@code s}, writes the next state into {@code next}. */
  @FunctionalInterface
  interface Change<T> {
    T run(Snapshot s, Facts facts, KeystoreContents.Builder next);
  }

  /** Runs a read-only call on the current snapshot and audits it. */
  <T> T call(
      String principal, String action, String keyRef, EncryptionContext context, Body<T> body) {
    Facts facts = new Facts(keyRef);
    try {
      T result = body.run(current(), facts);
      audit.call(principal, action, facts, context, null);
      return result;
    } catch (KeyProviderException e) {
      audit.call(principal, action, facts, context, e);
      throw e;
    }
  }

  /**
   * Runs a change on the newest state through {@link RingStore#update} (which serializes it with
   * every other writer, in this process or another), publishes the saved state, and audits the
   * call. Changes that fell due (rotations, deletions) are applied first, in the same update.
   * {@code after} turns the change's result into the call's, given the published snapshot.
   */
  <T, R> R mutate(
      String principal,
      String action,
      String keyRef,
      Change<T> change,
      BiFunction<Snapshot, T, R> after) {
    Facts facts = new Facts(keyRef);
    List<AuditRecord> events = new ArrayList<>();
    List<T> result = new ArrayList<>(1);
    Snapshot published;
    try {
      synchronized (writeLock) {
        Snapshot held = snapshot;
        KeystoreContents next =
            store.update(
                held.contents,
                latest -> {
                  events.clear();
                  KeystoreContents due = Schedule.applyDue(latest, clock.millis(), audit, events);
                  Snapshot s = due == held.contents ? held : new Snapshot(due);
                  KeystoreContents.Builder b = due.toBuilder();
                  result.clear();
                  result.add(change.run(s, facts, b));
                  return checkSize(
                      b.setGeneration(latest.getGeneration() + 1).build(),
                      action,
                      keyRef,
                      maxContentsBytes);
                });
        snapshot = new Snapshot(next);
        published = snapshot;
      }
      audit.emit(events);
      audit.call(principal, action, facts, null, null);
    } catch (KeyProviderException e) {
      audit.call(principal, action, facts, null, e);
      throw e;
    }
    return after.apply(published, result.get(0));
  }

  /** Refuses a state the keystore file could not be read back with (its 64 MiB read limit). */
  private static KeystoreContents checkSize(
      KeystoreContents next, String action, String keyRef, int max) {
    if (next.getSerializedSize() > max) {
      throw new LimitExceededException(
          "The keystore would exceed its size limit of "
              + max
              + " bytes; nothing was changed. Delete keys or shorten policies, descriptions and tags.",
          keyRef,
          action);
    }
    return next;
  }

  /** The current snapshot after picking up outside changes and applying what fell due. */
  Snapshot current() {
    if (store.mayChangeOutside()) {
      // Under the lock, so that a slower reader cannot publish an older state over a newer one.
      synchronized (writeLock) {
        KeystoreContents outside = store.reloadIfChanged();
        if (outside != null && outside != snapshot.contents) {
          snapshot = new Snapshot(outside);
        }
      }
    }
    Snapshot s = snapshot;
    if (clock.millis() >= s.nextDueMillis) {
      List<AuditRecord> events = new ArrayList<>();
      synchronized (writeLock) {
        Snapshot held = snapshot;
        if (clock.millis() >= held.nextDueMillis) {
          KeystoreContents next =
              store.update(
                  held.contents,
                  latest -> {
                    events.clear();
                    KeystoreContents due = Schedule.applyDue(latest, clock.millis(), audit, events);
                    return due == latest
                        ? latest
                        : due.toBuilder().setGeneration(latest.getGeneration() + 1).build();
                  });
          if (next != held.contents) {
            snapshot = new Snapshot(next);
          }
        }
        s = snapshot;
      }
      audit.emit(events);
    }
    return s;
  }
}
