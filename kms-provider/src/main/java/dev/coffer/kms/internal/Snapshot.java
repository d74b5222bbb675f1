package dev.coffer.kms.internal;

import dev.coffer.kms.InvalidArnException;
import dev.coffer.kms.KmsValidationException;
import dev.coffer.kms.NotFoundException;
import dev.coffer.proto.Alias;
import dev.coffer.proto.KeystoreContents;
import dev.coffer.proto.MasterKey;
import dev.coffer.proto.MasterKeyState;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One immutable state of a key ring, with its look-up tables: keys by id, aliases by name, the next
 * time a scheduled change falls due, and the key policies parsed on first use. Resolves key
 * references (key id, key ARN, alias name, alias ARN) and names keys by ARN. Thread-safe.
 */
final class Snapshot {
  final KeystoreContents contents;
  final Map<String, MasterKey> byId;
  final Map<String, Integer> indexOf;
  final Map<String, String> aliases;
  final long nextDueMillis;

  /** Parsed key policies of this snapshot, by key id; filled on first use. */
  private final Map<String, KeyPolicy> policies = new ConcurrentHashMap<>();

  private volatile KeyPolicy accountPolicy;
  private final PolicyPrincipal owner;

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
    this.nextDueMillis = Schedule.nextDue(contents);
    PolicyPrincipal o = null;
    if (!contents.getOwner().isEmpty()) {
      try {
        o = PolicyPrincipal.parseArn(contents.getOwner());
      } catch (IllegalArgumentException e) {
        o = null; // an owner this version cannot read owns nothing
      }
    }
    this.owner = o;
  }

  /** The account policy (the IAM side), or null when the keystore has none. */
  KeyPolicy accountPolicy() {
    if (contents.getAccountPolicy().isEmpty()) {
      return null;
    }
    KeyPolicy p = accountPolicy;
    if (p == null) {
      p = KeyPolicy.parseAccountPolicy(contents.getAccountPolicy());
      accountPolicy = p;
    }
    return p;
  }

  /**
   * Whether {@code caller} is this keystore's root user or its owner (who may do every account
   * action).
   */
  boolean isAdministrator(PolicyPrincipal caller) {
    return (caller.isRoot() && caller.account().equals(account()))
        || (owner != null && owner.names(caller));
  }

  String account() {
    return contents.getAccountId();
  }

  /** The region the keystore was created for (its own ARNs' region). */
  String homeRegion() {
    return contents.getRegion();
  }

  /** The ARN of key {@code keyId} as {@code actor} sees it. */
  String keyArn(Actor actor, String keyId) {
    return Arns.keyArn(actor.region(), account(), keyId);
  }

  String aliasArn(Actor actor, String aliasName) {
    return Arns.aliasArn(actor.region(), account(), aliasName);
  }

  /** The parsed policy of {@code key} (a key of this snapshot), parsed once per snapshot. */
  KeyPolicy policy(MasterKey key) {
    return policies.computeIfAbsent(key.getKeyId(), id -> KeyPolicy.parse(key.getPolicy()));
  }

  /**
   * Resolves a key id, key ARN, alias name or alias ARN. An ARN must name this keystore's account
   * and either the actor's region or the keystore's own.
   *
   * @throws NotFoundException no such key or alias, or the key is deleted
   * @throws InvalidArnException a malformed ARN
   */
  MasterKey resolve(Actor actor, String keyRef) {
    if (keyRef == null || keyRef.isBlank()) {
      throw new KmsValidationException("A key id is required.", null, null);
    }
    String ref = keyRef;
    if (ref.startsWith("arn:")) {
      String[] parts = ref.split(":", 6);
      if (parts.length != 6 || !parts[2].equals("kms")) {
        throw new InvalidArnException("Invalid arn " + keyRef, keyRef, null);
      }
      boolean region = parts[3].equals(actor.region()) || parts[3].equals(homeRegion());
      if (!region || !parts[4].equals(account())) {
        throw new NotFoundException("Key '" + keyRef + "' does not exist", keyRef, null);
      }
      ref = parts[5];
      if (ref.startsWith("key/")) {
        ref = ref.substring(4);
      }
    }
    if (ref.startsWith("alias/")) {
      String target = aliases.get(ref);
      if (target == null) {
        throw new NotFoundException(
            "Alias " + aliasArn(actor, ref) + " is not found.", keyRef, null);
      }
      ref = target;
    }
    MasterKey key = byId.get(ref);
    if (key == null || key.getState() == MasterKeyState.MASTER_KEY_STATE_DELETED) {
      throw new NotFoundException("Key '" + keyArn(actor, ref) + "' does not exist", keyRef, null);
    }
    return key;
  }
}
