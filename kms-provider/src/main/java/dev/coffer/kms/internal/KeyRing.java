package dev.coffer.kms.internal;

import com.google.protobuf.ByteString;
import dev.coffer.kms.AccessDeniedException;
import dev.coffer.kms.AlreadyExistsException;
import dev.coffer.kms.DataKey;
import dev.coffer.kms.DisabledException;
import dev.coffer.kms.EncryptionContext;
import dev.coffer.kms.IncorrectKeyException;
import dev.coffer.kms.InvalidArnException;
import dev.coffer.kms.InvalidCiphertextException;
import dev.coffer.kms.KeyDescription;
import dev.coffer.kms.KeyManagement;
import dev.coffer.kms.KeyManagement.AliasEntry;
import dev.coffer.kms.KeyManagement.CreateKeyRequest;
import dev.coffer.kms.KeyManagement.DecryptResult;
import dev.coffer.kms.KeyManagement.KeyRotationStatus;
import dev.coffer.kms.KeyProviderException;
import dev.coffer.kms.KeyState;
import dev.coffer.kms.KmsInvalidStateException;
import dev.coffer.kms.KmsValidationException;
import dev.coffer.kms.LimitExceededException;
import dev.coffer.kms.MalformedPolicyDocumentException;
import dev.coffer.kms.NotFoundException;
import dev.coffer.kms.SecretBytes;
import dev.coffer.kms.WrappedKey;
import dev.coffer.kms.audit.AuditOutcome;
import dev.coffer.kms.audit.AuditRecord;
import dev.coffer.kms.audit.AuditSink;
import dev.coffer.kms.audit.SafeAudit;
import dev.coffer.proto.Alias;
import dev.coffer.proto.KeystoreContents;
import dev.coffer.proto.LocalCiphertext;
import dev.coffer.proto.MasterKey;
import dev.coffer.proto.MasterKeyState;
import dev.coffer.proto.MasterKeyVersion;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import javax.crypto.AEADBadTagException;

/**
 * The key-management semantics shared by the local and in-memory providers: master keys with
 * versions, states, aliases, policies, automatic and on-demand rotation, scheduled deletion, and
 * an audit record for every call. It follows AWS KMS: the same operations, checks, limits and
 * error names, and messages in AWS's form.
 *
 * <p>State is a {@link KeystoreContents} value, replaced as a whole on every change: readers work
 * on a consistent snapshot, writers are serialized, and a change is published only after the
 * {@link Store} has saved it (so a failed save changes nothing). Every change goes through {@link
 * Store#update}, which for a store shared with other instances or processes locks, reloads the
 * newest state, applies the change to it and saves, so no update is lost; before each call the ring
 * asks {@link Store#reloadIfChanged()} for changes made by others (for stores that say they {@link
 * Store#mayChangeOutside() may have some}). Parsed key policies are cached per snapshot.
 * Time-driven changes (automatic rotation, the end of a deletion waiting period) are applied
 * lazily, at the first call after they fall due, with the injected clock, in the same locked update
 * as that call when it is a change. Thread-safe.
 */
public final class KeyRing {
  /**
   * Where a ring's state is kept. The ring calls a store under its own write lock, one call at a
   * time; a store shared by several rings must serialize their {@link #update}s itself.
   */
  public interface Store {
    /** The state to start from. */
    KeystoreContents load();

    /** Persists {@code contents} atomically, or throws (then nothing changed). */
    void save(KeystoreContents contents);

    /** State written by someone else since the last load or save, or null when unchanged. */
    KeystoreContents reloadIfChanged();

    /**
     * Applies {@code change} to the newest state and persists the result, atomically with respect
     * to every other writer of the same store (other threads, instances or processes). Stores
     * shared between writers lock, reload, apply, save and unlock; the default, for stores with a
     * single writer, applies {@code change} to {@code current} and saves. When {@code change}
     * returns its argument unchanged nothing is saved. An exception thrown by {@code change}
     * propagates and nothing is saved.
     *
     * @param current the state the ring holds now
     * @return the state now persisted
     */
    default KeystoreContents update(KeystoreContents current, UnaryOperator<KeystoreContents> change) {
      KeystoreContents next = change.apply(current);
      if (next != current) {
        save(next);
      }
      return next;
    }

    /**
     * Whether someone else may change the persisted state (so {@link #reloadIfChanged()} is worth
     * asking before each call). True unless overridden.
     */
    default boolean mayChangeOutside() {
      return true;
    }
  }

  /** Principal used for changes the service makes by itself (rotation, deletion). */
  public static final String SERVICE_PRINCIPAL = "kms.amazonaws.com";

  private static final int MAX_ON_DEMAND_ROTATIONS = 25;
  private static final int DEFAULT_ROTATION_DAYS = 365;

  private final Store store;
  private final Clock clock;
  private final AuditSink audit;
  private final String source;
  private final Object writeLock = new Object();
  private volatile Snapshot snapshot;

  public KeyRing(Store store, Clock clock, AuditSink audit, String source) {
    this.store = Objects.requireNonNull(store, "store");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.audit = Objects.requireNonNull(audit, "audit");
    this.source = Objects.requireNonNull(source, "source");
    this.snapshot = new Snapshot(store.load());
  }

  /** A store that keeps the state in memory only. */
  public static Store memoryStore(String account, String region) {
    KeystoreContents initial = emptyContents(account, region);
    return new Store() {
      @Override
      public KeystoreContents load() {
        return initial;
      }

      @Override
      public void save(KeystoreContents contents) {}

      @Override
      public KeystoreContents reloadIfChanged() {
        return null;
      }

      @Override
      public boolean mayChangeOutside() {
        return false;
      }
    };
  }

  /** Empty contents for a new keystore. */
  public static KeystoreContents emptyContents(String account, String region) {
    return KeystoreContents.newBuilder()
        .setFormatVersion(1)
        .setAccountId(account)
        .setRegion(region)
        .build();
  }

  public String account() {
    return snapshot.contents.getAccountId();
  }

  public String region() {
    return snapshot.contents.getRegion();
  }

  /** The principal ARN for a name or ARN (see {@link Arns#principal}). */
  public String principal(String nameOrArn) {
    return Arns.principal(account(), nameOrArn);
  }

  /** The ARN of a key id. */
  public String keyArn(String keyId) {
    return Arns.keyArn(region(), account(), keyId);
  }

  // ---------------------------------------------------------------- cryptographic operations

  public DataKey generateDataKey(String principal, String keyRef, EncryptionContext context) {
    return call(principal, "kms:GenerateDataKey", keyRef, context, (s, a) -> {
      MasterKey key = usableKey(s, a, principal, "kms:GenerateDataKey", keyRef);
      MasterKeyVersion v = current(key);
      a.version = v.getVersion();
      byte[] plaintext = AesGcm.randomBytes(AesGcm.KEY_BYTES);
      byte[] blob = seal(key, v, plaintext, context);
      return new DataKey(SecretBytes.wrap(plaintext), WrappedKey.of(keyArn(key.getKeyId()), blob), v.getVersion());
    });
  }

  public WrappedKey generateDataKeyWithoutPlaintext(String principal, String keyRef, EncryptionContext context) {
    return call(principal, "kms:GenerateDataKeyWithoutPlaintext", keyRef, context, (s, a) -> {
      MasterKey key = usableKey(s, a, principal, "kms:GenerateDataKeyWithoutPlaintext", keyRef);
      MasterKeyVersion v = current(key);
      a.version = v.getVersion();
      byte[] plaintext = AesGcm.randomBytes(AesGcm.KEY_BYTES);
      try {
        byte[] blob = seal(key, v, plaintext, context);
        return WrappedKey.of(keyArn(key.getKeyId()), blob);
      } finally {
        SecretBytes.wipe(plaintext);
      }
    });
  }

  public WrappedKey encrypt(String principal, String keyRef, byte[] plaintext, EncryptionContext context) {
    return call(principal, "kms:Encrypt", keyRef, context, (s, a) -> {
      if (plaintext.length < 1 || plaintext.length > KeyManagement.MAX_DIRECT_PLAINTEXT_BYTES) {
        throw new KmsValidationException(
            "1 validation error detected: Value at 'plaintext' failed to satisfy constraint: "
                + "Member must have length between 1 and "
                + KeyManagement.MAX_DIRECT_PLAINTEXT_BYTES,
            keyRef,
            "kms:Encrypt");
      }
      MasterKey key = usableKey(s, a, principal, "kms:Encrypt", keyRef);
      MasterKeyVersion v = current(key);
      a.version = v.getVersion();
      byte[] blob = seal(key, v, plaintext, context);
      return WrappedKey.of(keyArn(key.getKeyId()), blob);
    });
  }

  /** {@code Decrypt}. {@code keyRef} may be null; when given it must name the blob's key. */
  public DecryptResult decrypt(String principal, byte[] blob, EncryptionContext context, String keyRef) {
    return call(principal, "kms:Decrypt", keyRef, context, (s, a) -> {
      Opened o = open(s, a, principal, "kms:Decrypt", blob, context, keyRef);
      return new DecryptResult(keyArn(o.key.getKeyId()), o.version, SecretBytes.wrap(o.plaintext));
    });
  }

  /** {@code ReEncrypt} to the current version of {@code destinationKeyRef}, same context. */
  public WrappedKey reEncrypt(
      String principal, byte[] blob, EncryptionContext context, String sourceKeyRef, String destinationKeyRef) {
    return call(principal, "kms:ReEncrypt", destinationKeyRef, context, (s, a) -> {
      Opened o = open(s, a, principal, "kms:ReEncryptFrom", blob, context, sourceKeyRef);
      try {
        MasterKey dest = resolve(s, destinationKeyRef);
        a.keyId = keyArn(dest.getKeyId());
        authorize(s, dest, principal, "kms:ReEncryptTo");
        requireEnabled(dest, "kms:ReEncryptTo");
        MasterKeyVersion v = current(dest);
        a.version = v.getVersion();
        byte[] out = seal(dest, v, o.plaintext, context);
        return WrappedKey.of(keyArn(dest.getKeyId()), out);
      } finally {
        SecretBytes.wipe(o.plaintext);
      }
    });
  }

  private Opened open(
      Snapshot s, Facts a, String principal, String action, byte[] blob, EncryptionContext context, String keyRef) {
    LocalCiphertext c = LocalCiphertexts.parse(blob);
    if (c == null) {
      throw new InvalidCiphertextException(
          "The ciphertext is not a valid ciphertext blob of this provider.", keyRef, action);
    }
    MasterKey key = s.byId.get(c.getKeyId());
    if (key == null) {
      // Never a key here: a damaged blob, or one from another keystore.
      throw new InvalidCiphertextException(
          "The ciphertext is not a valid ciphertext blob of this provider.", keyRef, action);
    }
    if (key.getState() == MasterKeyState.MASTER_KEY_STATE_DELETED) {
      throw new NotFoundException("Key '" + keyArn(c.getKeyId()) + "' does not exist", keyArn(c.getKeyId()), action);
    }
    a.keyId = keyArn(key.getKeyId());
    a.version = c.getKeyVersion();
    if (keyRef != null && !resolve(s, keyRef).getKeyId().equals(key.getKeyId())) {
      throw new IncorrectKeyException(
          "The key ID in the request does not identify a CMK that can perform this operation.", keyRef, action);
    }
    authorize(s, key, principal, action);
    requireEnabled(key, action);
    if (c.getKeyVersion() > key.getVersionsCount()) {
      throw new InvalidCiphertextException("The ciphertext refers to an unknown key version.", a.keyId, action);
    }
    MasterKeyVersion v = key.getVersions(c.getKeyVersion() - 1);
    try {
      byte[] material = material(v);
      try {
        return new Opened(key, c.getKeyVersion(), LocalCiphertexts.open(c, material, context));
      } finally {
        SecretBytes.wipe(material);
      }
    } catch (AEADBadTagException e) {
      throw new InvalidCiphertextException(
          "The ciphertext is invalid or the encryption context does not match.", a.keyId, action);
    }
  }

  private static final class Opened {
    final MasterKey key;
    final int version;
    final byte[] plaintext;

    Opened(MasterKey key, int version, byte[] plaintext) {
      this.key = key;
      this.version = version;
      this.plaintext = plaintext;
    }
  }

  // ---------------------------------------------------------------- key management

  public KeyDescription describeKey(String principal, String keyRef) {
    return call(principal, "kms:DescribeKey", keyRef, null, (s, a) -> {
      MasterKey key = resolve(s, keyRef);
      a.keyId = keyArn(key.getKeyId());
      authorize(s, key, principal, "kms:DescribeKey");
      return describe(s, key);
    });
  }

  public KeyDescription createKey(String principal, CreateKeyRequest request) {
    String keyId = UUID.randomUUID().toString();
    String policy = request.policy() != null ? request.policy() : KeyPolicy.defaultPolicy(account(), principal);
    return mutate(principal, "kms:CreateKey", keyId, (s, a, b) -> {
      a.keyId = keyArn(keyId);
      checkLockout(policy, principal, keyId, "kms:CreateKey");
      long now = clock.millis();
      b.addKeys(
          MasterKey.newBuilder()
              .setKeyId(keyId)
              .setDescription(request.description())
              .setCreatedMillis(now)
              .setState(MasterKeyState.MASTER_KEY_STATE_ENABLED)
              .addVersions(newVersion(1, now, "CREATE"))
              .setPolicy(policy)
              .putAllTags(request.tags()));
      a.version = 1;
      return keyId;
    }, keyIdDone -> describe(snapshot, snapshot.byId.get(keyIdDone)));
  }

  public List<KeyDescription> listKeys(String principal) {
    return call(principal, "kms:ListKeys", null, null, (s, a) -> {
      List<KeyDescription> out = new ArrayList<>();
      for (MasterKey k : s.contents.getKeysList()) {
        if (k.getState() != MasterKeyState.MASTER_KEY_STATE_DELETED) {
          out.add(describe(s, k));
        }
      }
      return out;
    });
  }

  public void createAlias(String principal, String aliasName, String targetKeyRef) {
    mutate(principal, "kms:CreateAlias", targetKeyRef, (s, a, b) -> {
      checkAliasName(aliasName, "kms:CreateAlias");
      if (s.aliases.containsKey(aliasName)) {
        throw new AlreadyExistsException(
            "An alias with the name " + Arns.aliasArn(region(), account(), aliasName) + " already exists",
            aliasName,
            "kms:CreateAlias");
      }
      MasterKey key = aliasTarget(s, a, principal, targetKeyRef, "kms:CreateAlias");
      b.addAliases(Alias.newBuilder().setName(aliasName).setTargetKeyId(key.getKeyId()));
      return null;
    }, r -> null);
  }

  public void updateAlias(String principal, String aliasName, String targetKeyRef) {
    mutate(principal, "kms:UpdateAlias", targetKeyRef, (s, a, b) -> {
      int i = aliasIndex(s, aliasName, "kms:UpdateAlias");
      MasterKey old = s.byId.get(s.contents.getAliases(i).getTargetKeyId());
      authorize(s, old, principal, "kms:UpdateAlias");
      MasterKey key = aliasTarget(s, a, principal, targetKeyRef, "kms:UpdateAlias");
      b.setAliases(i, Alias.newBuilder().setName(aliasName).setTargetKeyId(key.getKeyId()));
      return null;
    }, r -> null);
  }

  public void deleteAlias(String principal, String aliasName) {
    mutate(principal, "kms:DeleteAlias", aliasName, (s, a, b) -> {
      int i = aliasIndex(s, aliasName, "kms:DeleteAlias");
      MasterKey key = s.byId.get(s.contents.getAliases(i).getTargetKeyId());
      a.keyId = keyArn(key.getKeyId());
      authorize(s, key, principal, "kms:DeleteAlias");
      b.removeAliases(i);
      return null;
    }, r -> null);
  }

  public List<AliasEntry> listAliases(String principal, String keyRef) {
    return call(principal, "kms:ListAliases", keyRef, null, (s, a) -> {
      String only = keyRef == null ? null : resolve(s, keyRef).getKeyId();
      List<AliasEntry> out = new ArrayList<>();
      for (Alias al : s.contents.getAliasesList()) {
        if (only == null || only.equals(al.getTargetKeyId())) {
          out.add(new AliasEntry(al.getName(), Arns.aliasArn(region(), account(), al.getName()), al.getTargetKeyId()));
        }
      }
      return out;
    });
  }

  public void enableKey(String principal, String keyRef) {
    changeKey(principal, "kms:EnableKey", keyRef, k -> {
      requireNotPendingDeletion(k, "kms:EnableKey");
      MasterKey.Builder kb = k.toBuilder().setState(MasterKeyState.MASTER_KEY_STATE_ENABLED);
      long now = clock.millis();
      if (k.getState() == MasterKeyState.MASTER_KEY_STATE_DISABLED
          && k.getRotationEnabled()
          && k.getNextRotationMillis() < now) {
        // Disabled keys are not rotated; on re-enabling after the date, rotate once, now (as AWS).
        kb.setNextRotationMillis(now);
      }
      return kb.build();
    });
  }

  public void disableKey(String principal, String keyRef) {
    changeKey(principal, "kms:DisableKey", keyRef, k -> {
      requireNotPendingDeletion(k, "kms:DisableKey");
      return k.toBuilder().setState(MasterKeyState.MASTER_KEY_STATE_DISABLED).build();
    });
  }

  public void enableKeyRotation(String principal, String keyRef, int rotationPeriodInDays) {
    if (rotationPeriodInDays < 90 || rotationPeriodInDays > 2560) {
      throw new KmsValidationException(
          "1 validation error detected: Value '" + rotationPeriodInDays
              + "' at 'rotationPeriodInDays' failed to satisfy constraint: Member must have value between 90 and 2560",
          keyRef,
          "kms:EnableKeyRotation");
    }
    changeKey(principal, "kms:EnableKeyRotation", keyRef, k -> {
      requireEnabled(k, "kms:EnableKeyRotation");
      long next = clock.millis() + Duration.ofDays(rotationPeriodInDays).toMillis();
      return k.toBuilder()
          .setRotationEnabled(true)
          .setRotationPeriodDays(rotationPeriodInDays)
          .setNextRotationMillis(next)
          .build();
    });
  }

  public void disableKeyRotation(String principal, String keyRef) {
    changeKey(principal, "kms:DisableKeyRotation", keyRef, k -> {
      requireEnabled(k, "kms:DisableKeyRotation");
      return k.toBuilder().setRotationEnabled(false).setNextRotationMillis(0).build();
    });
  }

  public KeyRotationStatus getKeyRotationStatus(String principal, String keyRef) {
    return call(principal, "kms:GetKeyRotationStatus", keyRef, null, (s, a) -> {
      MasterKey k = resolve(s, keyRef);
      a.keyId = keyArn(k.getKeyId());
      authorize(s, k, principal, "kms:GetKeyRotationStatus");
      requireNotPendingDeletion(k, "kms:GetKeyRotationStatus");
      Instant onDemand = null;
      for (MasterKeyVersion v : k.getVersionsList()) {
        if (v.getRotationType().equals("ON_DEMAND")) {
          onDemand = Instant.ofEpochMilli(v.getCreatedMillis());
        }
      }
      return new KeyRotationStatus(
          k.getKeyId(),
          k.getRotationEnabled(),
          k.getRotationEnabled() ? k.getRotationPeriodDays() : 0,
          k.getRotationEnabled() ? Instant.ofEpochMilli(k.getNextRotationMillis()) : null,
          onDemand);
    });
  }

  public String rotateKeyOnDemand(String principal, String keyRef) {
    changeKey(principal, "kms:RotateKeyOnDemand", keyRef, k -> {
      requireEnabled(k, "kms:RotateKeyOnDemand");
      long onDemand = k.getVersionsList().stream().filter(v -> v.getRotationType().equals("ON_DEMAND")).count();
      if (onDemand >= MAX_ON_DEMAND_ROTATIONS) {
        throw new LimitExceededException(
            "The key " + keyArn(k.getKeyId()) + " has reached the limit of " + MAX_ON_DEMAND_ROTATIONS
                + " on-demand rotations.",
            keyArn(k.getKeyId()),
            "kms:RotateKeyOnDemand");
      }
      return k.toBuilder()
          .addVersions(newVersion(k.getVersionsCount() + 1, clock.millis(), "ON_DEMAND"))
          .build();
    });
    return resolve(snapshot, keyRef).getKeyId();
  }

  public Instant scheduleKeyDeletion(String principal, String keyRef, int pendingWindowInDays) {
    if (pendingWindowInDays < 7 || pendingWindowInDays > 30) {
      throw new KmsValidationException(
          "1 validation error detected: Value '" + pendingWindowInDays
              + "' at 'pendingWindowInDays' failed to satisfy constraint: Member must have value between 7 and 30",
          keyRef,
          "kms:ScheduleKeyDeletion");
    }
    long when = clock.millis() + Duration.ofDays(pendingWindowInDays).toMillis();
    changeKey(principal, "kms:ScheduleKeyDeletion", keyRef, k -> {
      requireNotPendingDeletion(k, "kms:ScheduleKeyDeletion");
      return k.toBuilder()
          .setState(MasterKeyState.MASTER_KEY_STATE_PENDING_DELETION)
          .setDeletionMillis(when)
          .build();
    });
    return Instant.ofEpochMilli(when);
  }

  public void cancelKeyDeletion(String principal, String keyRef) {
    changeKey(principal, "kms:CancelKeyDeletion", keyRef, k -> {
      if (k.getState() != MasterKeyState.MASTER_KEY_STATE_PENDING_DELETION) {
        throw new KmsInvalidStateException(
            keyArn(k.getKeyId()) + " is not pending deletion.", keyArn(k.getKeyId()), "kms:CancelKeyDeletion");
      }
      return k.toBuilder().setState(MasterKeyState.MASTER_KEY_STATE_DISABLED).setDeletionMillis(0).build();
    });
  }

  public String getKeyPolicy(String principal, String keyRef) {
    return call(principal, "kms:GetKeyPolicy", keyRef, null, (s, a) -> {
      MasterKey k = resolve(s, keyRef);
      a.keyId = keyArn(k.getKeyId());
      authorize(s, k, principal, "kms:GetKeyPolicy");
      return k.getPolicy();
    });
  }

  public void putKeyPolicy(String principal, String keyRef, String policyJson) {
    changeKey(principal, "kms:PutKeyPolicy", keyRef, k -> {
      checkLockout(policyJson, principal, keyArn(k.getKeyId()), "kms:PutKeyPolicy");
      return k.toBuilder().setPolicy(policyJson).build();
    });
  }

  // ---------------------------------------------------------------- the machinery

  /** One call's audit facts, filled in as the call learns them. */
  private static final class Facts {
    String keyId;
    int version;

    Facts(String keyRef) {
      this.keyId = keyRef;
    }
  }

  @FunctionalInterface
  private interface Body<T> {
    T run(Snapshot s, Facts a);
  }

  @FunctionalInterface
  private interface Change<T> {
    T run(Snapshot s, Facts a, KeystoreContents.Builder b);
  }

  /** Runs a read-only call on the current snapshot and audits it. */
  private <T> T call(String principal, String action, String keyRef, EncryptionContext context, Body<T> body) {
    Facts a = new Facts(keyRef);
    try {
      T result = body.run(current(), a);
      record(principal, action, a, context, AuditOutcome.SUCCESS, null);
      return result;
    } catch (KeyProviderException e) {
      record(principal, action, a, context, outcome(e), e);
      throw e;
    }
  }

  /**
   * Runs a change on the newest state through {@link Store#update} (which serializes it with every
   * other writer, in this process or another), publishes the saved state, and audits the call.
   * Changes that fell due (rotations, deletions) are applied first, in the same update.
   */
  private <T, R> R mutate(
      String principal, String action, String keyRef, Change<T> change, Function<T, R> after) {
    Facts a = new Facts(keyRef);
    List<AuditRecord> events = new ArrayList<>();
    List<T> result = new ArrayList<>(1);
    try {
      synchronized (writeLock) {
        Snapshot held = snapshot;
        KeystoreContents next =
            store.update(
                held.contents,
                latest -> {
                  events.clear();
                  KeystoreContents due = applyDue(latest, clock.millis(), events);
                  Snapshot s = due == held.contents ? held : new Snapshot(due);
                  KeystoreContents.Builder b = due.toBuilder();
                  result.clear();
                  result.add(change.run(s, a, b));
                  return b.build();
                });
        snapshot = new Snapshot(next);
      }
      events.forEach(e -> SafeAudit.record(audit, e));
      record(principal, action, a, null, AuditOutcome.SUCCESS, null);
    } catch (KeyProviderException e) {
      record(principal, action, a, null, outcome(e), e);
      throw e;
    }
    return after.apply(result.get(0));
  }

  /** Replaces one key after resolving it and checking the principal's right to {@code action}. */
  private void changeKey(String principal, String action, String keyRef, UnaryOperator<MasterKey> change) {
    mutate(principal, action, keyRef, (s, a, b) -> {
      MasterKey k = resolve(s, keyRef);
      a.keyId = keyArn(k.getKeyId());
      authorize(s, k, principal, action);
      MasterKey changed = change.apply(k);
      b.setKeys(s.indexOf.get(k.getKeyId()), changed);
      a.version = changed.getVersionsCount();
      return null;
    }, r -> null);
  }

  /** The current snapshot after picking up outside changes and applying what fell due. */
  private Snapshot current() {
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
              store.update(held.contents, latest -> {
                events.clear();
                return applyDue(latest, clock.millis(), events);
              });
          if (next != held.contents) {
            snapshot = new Snapshot(next);
          }
        }
        s = snapshot;
      }
      events.forEach(e -> SafeAudit.record(audit, e));
    }
    return s;
  }

  /**
   * Applies automatic rotations and finished deletion waiting periods due at {@code now}; returns
   * {@code c} itself when nothing is due. Adds one service audit event per change to {@code events}.
   */
  private KeystoreContents applyDue(KeystoreContents c, long now, List<AuditRecord> events) {
    if (now < nextDue(c)) {
      return c;
    }
    KeystoreContents.Builder b = c.toBuilder();
    List<String> deleted = new ArrayList<>();
    for (int i = 0; i < b.getKeysCount(); i++) {
      MasterKey k = b.getKeys(i);
      if (k.getState() == MasterKeyState.MASTER_KEY_STATE_PENDING_DELETION && now >= k.getDeletionMillis()) {
        MasterKey.Builder kb = k.toBuilder().setState(MasterKeyState.MASTER_KEY_STATE_DELETED);
        for (int v = 0; v < kb.getVersionsCount(); v++) {
          kb.setVersions(v, kb.getVersions(v).toBuilder().setMaterial(ByteString.EMPTY));
        }
        b.setKeys(i, kb.setRotationEnabled(false).setNextRotationMillis(0));
        deleted.add(k.getKeyId());
        events.add(serviceEvent("kms:DeleteKey", k, now, "waiting period ended; key material destroyed"));
      } else if (k.getState() == MasterKeyState.MASTER_KEY_STATE_ENABLED
          && k.getRotationEnabled()
          && now >= k.getNextRotationMillis()) {
        MasterKey.Builder kb = k.toBuilder();
        long period = Duration.ofDays(k.getRotationPeriodDays()).toMillis();
        long next = k.getNextRotationMillis();
        while (next <= now) {
          kb.addVersions(newVersion(kb.getVersionsCount() + 1, next, "AUTOMATIC"));
          next += period;
        }
        b.setKeys(i, kb.setNextRotationMillis(next));
        events.add(serviceEvent("kms:RotateKey", kb.build(), now, "automatic rotation"));
      }
    }
    if (events.isEmpty()) {
      return c;
    }
    List<Alias> kept = new ArrayList<>();
    for (Alias al : b.getAliasesList()) {
      if (!deleted.contains(al.getTargetKeyId())) {
        kept.add(al);
      }
    }
    b.clearAliases().addAllAliases(kept);
    return b.build();
  }

  private AuditRecord serviceEvent(String action, MasterKey k, long now, String message) {
    return new AuditRecord(
        Instant.ofEpochMilli(now),
        SERVICE_PRINCIPAL,
        action,
        keyArn(k.getKeyId()),
        k.getVersionsCount(),
        null,
        AuditOutcome.SUCCESS,
        null,
        message,
        source);
  }

  private void record(
      String principal, String action, Facts a, EncryptionContext context, AuditOutcome outcome, KeyProviderException e) {
    SafeAudit.record(
        audit,
        new AuditRecord(
            clock.instant(),
            principal,
            action,
            a.keyId,
            a.version,
            context,
            outcome,
            e == null ? null : e.errorCode(),
            e == null ? null : e.getMessage(),
            source));
  }

  private static AuditOutcome outcome(KeyProviderException e) {
    return e instanceof AccessDeniedException ? AuditOutcome.DENIED : AuditOutcome.FAILED;
  }

  /** Resolves a key for a cryptographic {@code action}: the principal must be allowed, the key Enabled. */
  private MasterKey usableKey(Snapshot s, Facts a, String principal, String action, String keyRef) {
    MasterKey key = resolve(s, keyRef);
    a.keyId = keyArn(key.getKeyId());
    authorize(s, key, principal, action);
    requireEnabled(key, action);
    return key;
  }

  /**
   * Resolves a key id, key ARN, alias name or alias ARN.
   *
   * @throws NotFoundException no such key or alias, or the key is deleted
   * @throws InvalidArnException a malformed ARN
   */
  MasterKey resolve(Snapshot s, String keyRef) {
    if (keyRef == null || keyRef.isBlank()) {
      throw new KmsValidationException("A key id is required.", null, null);
    }
    String ref = keyRef;
    if (ref.startsWith("arn:")) {
      String[] parts = ref.split(":", 6);
      if (parts.length != 6 || !parts[2].equals("kms")) {
        throw new InvalidArnException("Invalid arn " + keyRef, keyRef, null);
      }
      if (!parts[3].equals(region()) || !parts[4].equals(account())) {
        throw new NotFoundException("Key '" + keyRef + "' does not exist", keyRef, null);
      }
      ref = parts[5];
      if (ref.startsWith("key/")) {
        ref = ref.substring(4);
      }
    }
    if (ref.startsWith("alias/")) {
      String target = s.aliases.get(ref);
      if (target == null) {
        throw new NotFoundException(
            "Alias " + Arns.aliasArn(region(), account(), ref) + " is not found.", keyRef, null);
      }
      ref = target;
    }
    MasterKey key = s.byId.get(ref);
    if (key == null || key.getState() == MasterKeyState.MASTER_KEY_STATE_DELETED) {
      throw new NotFoundException("Key '" + keyArn(ref) + "' does not exist", keyRef, null);
    }
    return key;
  }

  private void authorize(Snapshot s, MasterKey key, String principal, String action) {
    if (!s.policy(key).allows(principal, action)) {
      throw new AccessDeniedException(
          "User: " + principal + " is not authorized to perform: " + action + " on resource: "
              + keyArn(key.getKeyId()) + " because no resource-based policy allows the " + action + " action",
          keyArn(key.getKeyId()),
          action);
    }
  }

  private void requireEnabled(MasterKey key, String action) {
    requireNotPendingDeletion(key, action);
    if (key.getState() == MasterKeyState.MASTER_KEY_STATE_DISABLED) {
      throw new DisabledException(keyArn(key.getKeyId()) + " is disabled.", keyArn(key.getKeyId()), action);
    }
  }

  private void requireNotPendingDeletion(MasterKey key, String action) {
    if (key.getState() == MasterKeyState.MASTER_KEY_STATE_PENDING_DELETION) {
      throw new KmsInvalidStateException(
          keyArn(key.getKeyId()) + " is pending deletion.", keyArn(key.getKeyId()), action);
    }
  }

  private MasterKeyVersion current(MasterKey key) {
    return key.getVersions(key.getVersionsCount() - 1);
  }

  /** Seals under version {@code v} of {@code key}; the temporary copy of its material is wiped. */
  private static byte[] seal(MasterKey key, MasterKeyVersion v, byte[] plaintext, EncryptionContext context) {
    byte[] material = material(v);
    try {
      return LocalCiphertexts.seal(key.getKeyId(), v.getVersion(), material, plaintext, context);
    } finally {
      SecretBytes.wipe(material);
    }
  }

  /** A copy of a version's material; the caller wipes it. */
  private static byte[] material(MasterKeyVersion v) {
    return v.getMaterial().toByteArray();
  }

  private static MasterKeyVersion newVersion(int version, long createdMillis, String type) {
    byte[] material = AesGcm.randomBytes(AesGcm.KEY_BYTES);
    try {
      return MasterKeyVersion.newBuilder()
          .setVersion(version)
          .setMaterial(ByteString.copyFrom(material))
          .setCreatedMillis(createdMillis)
          .setRotationType(type)
          .build();
    } finally {
      SecretBytes.wipe(material);
    }
  }

  private void checkLockout(String policyJson, String principal, String keyId, String action) {
    KeyPolicy policy;
    try {
      policy = KeyPolicy.parse(policyJson);
    } catch (MalformedPolicyDocumentException e) {
      throw new MalformedPolicyDocumentException(e.getMessage(), keyId, action);
    }
    if (!policy.allows(principal, "kms:PutKeyPolicy")) {
      throw new MalformedPolicyDocumentException(
          "The new key policy will not allow you to update the key policy in the future.", keyId, action);
    }
  }

  private void checkAliasName(String aliasName, String action) {
    if (aliasName == null || !Arns.isAliasName(aliasName) || aliasName.startsWith("alias/aws/")) {
      throw new KmsValidationException(
          "Alias must start with the prefix \"alias/\", must not start with \"alias/aws/\", and may contain only"
              + " alphanumeric characters, '/', '_' and '-': " + aliasName,
          aliasName,
          action);
    }
  }

  private int aliasIndex(Snapshot s, String aliasName, String action) {
    for (int i = 0; i < s.contents.getAliasesCount(); i++) {
      if (s.contents.getAliases(i).getName().equals(aliasName)) {
        return i;
      }
    }
    throw new NotFoundException(
        "Alias " + Arns.aliasArn(region(), account(), aliasName) + " is not found.", aliasName, action);
  }

  private MasterKey aliasTarget(Snapshot s, Facts a, String principal, String targetKeyRef, String action) {
    if (targetKeyRef != null && (targetKeyRef.startsWith("alias/") || targetKeyRef.contains(":alias/"))) {
      throw new KmsValidationException("An alias must point at a key id or key ARN, not at an alias.", targetKeyRef, action);
    }
    MasterKey key = resolve(s, targetKeyRef);
    a.keyId = keyArn(key.getKeyId());
    authorize(s, key, principal, action);
    requireNotPendingDeletion(key, action);
    return key;
  }

  private KeyDescription describe(Snapshot s, MasterKey k) {
    List<String> aliases = new ArrayList<>();
    for (Alias al : s.contents.getAliasesList()) {
      if (al.getTargetKeyId().equals(k.getKeyId())) {
        aliases.add(al.getName());
      }
    }
    KeyState state =
        switch (k.getState()) {
          case MASTER_KEY_STATE_DISABLED -> KeyState.DISABLED;
          case MASTER_KEY_STATE_PENDING_DELETION -> KeyState.PENDING_DELETION;
          case MASTER_KEY_STATE_ENABLED -> KeyState.ENABLED;
          default -> KeyState.UNAVAILABLE;
        };
    return KeyDescription.builder()
        .keyId(k.getKeyId())
        .arn(keyArn(k.getKeyId()))
        .aliases(aliases)
        .description(k.getDescription())
        .state(state)
        .creationDate(Instant.ofEpochMilli(k.getCreatedMillis()))
        .deletionDate(state == KeyState.PENDING_DELETION ? Instant.ofEpochMilli(k.getDeletionMillis()) : null)
        .rotationEnabled(k.getRotationEnabled())
        .rotationPeriodInDays(k.getRotationEnabled() ? k.getRotationPeriodDays() : 0)
        .nextRotationDate(k.getRotationEnabled() ? Instant.ofEpochMilli(k.getNextRotationMillis()) : null)
        .currentKeyVersion(k.getVersionsCount())
        .tags(k.getTagsMap())
        .build();
  }

  /** The default automatic rotation period, in days. */
  public static int defaultRotationPeriodDays() {
    return DEFAULT_ROTATION_DAYS;
  }

  private static long nextDue(KeystoreContents c) {
    long due = Long.MAX_VALUE;
    for (MasterKey k : c.getKeysList()) {
      if (k.getState() == MasterKeyState.MASTER_KEY_STATE_PENDING_DELETION) {
        due = Math.min(due, k.getDeletionMillis());
      } else if (k.getState() == MasterKeyState.MASTER_KEY_STATE_ENABLED && k.getRotationEnabled()) {
        due = Math.min(due, k.getNextRotationMillis());
      }
    }
    return due;
  }

  /** An immutable view of the state with look-up tables. */
  static final class Snapshot {
    final KeystoreContents contents;
    final Map<String, MasterKey> byId;
    final Map<String, Integer> indexOf;
    final Map<String, String> aliases;
    final long nextDueMillis;
    /** Parsed key policies of this snapshot, by key id; filled on first use. */
    private final Map<String, KeyPolicy> policies = new ConcurrentHashMap<>();

    /** The parsed policy of {@code key} (a key of this snapshot), parsed once per snapshot. */
    KeyPolicy policy(MasterKey key) {
      KeyPolicy p = policies.get(key.getKeyId());
      if (p == null) {
        p = KeyPolicy.parse(key.getPolicy());
        policies.put(key.getKeyId(), p);
      }
      return p;
    }

    Snapshot(KeystoreContents contents) {
      this.contents = contents;
      Map<String, MasterKey> ids = new HashMap<>();
      Map<String, Integer> idx = new HashMap<>();
      for (int i = 0; i < contents.getKeysCount(); i++) {
        ids.put(contents.getKeys(i).getKeyId(), contents.getKeys(i));
        idx.put(contents.getKeys(i).getKeyId(), i);
      }
      Map<String, String> al = new LinkedHashMap<>();
      for (Alias a : contents.getAliasesList()) {
        al.put(a.getName(), a.getTargetKeyId());
      }
      this.byId = Collections.unmodifiableMap(ids);
      this.indexOf = Collections.unmodifiableMap(idx);
      this.aliases = Collections.unmodifiableMap(al);
      this.nextDueMillis = nextDue(contents);
    }
  }
}
