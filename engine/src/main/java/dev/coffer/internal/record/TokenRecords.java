package dev.coffer.internal.record;

import dev.coffer.CorruptionException;
import dev.coffer.internal.keys.AeadKey;
import dev.coffer.internal.keys.KeyDerivation;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The records of TransactWriteItems' ClientRequestTokens, in the store's own namespace (record kind
 * 6): key {@code "coffer/token/" || digest}, where the digest is the first 16 bytes of HMAC-SHA256
 * of the token's UTF-8 bytes under the token key (derived from the catalog key, {@link
 * KeyDerivation#tokenKey}), so the key never holds the token; value sealed with the catalog key,
 * its associated data binding the store and the digest ({@link AssociatedData#clientToken}), so a
 * record copied under another token's key, another store or presented as another kind fails its
 * tag. What a record says is the caller's business ({@code dev.coffer.internal.txn}): here it is
 * bytes. Only for a store this process owns alone (a shared backend cannot commit a token with a
 * transaction's items). With freshness ({@link FreshStore}) the records are in a freshness map: a
 * look-up ({@link #read}) of a record removed, put back or changed from outside Coffer fails with
 * {@code CorruptionException}. Thread-safe; a caller does not read a token's record while it writes
 * it (the freshness check compares the value read with the map as it is then).
 */
public final class TokenRecords {
  private static final int CATALOG_KEY_VERSION = 1;

  private final RecordStore store;
  private final RecordStore.Namespace ns;
  private final byte[] storeId;
  // replaced together (adopt) when the store key is renewed, under the store's exclusive lock
  private volatile AeadKey catalogKey;
  private volatile AeadKey tokenKey;

  /** Whether records of an older envelope format are refused now ({@link #refuseOlderWhen}). */
  private volatile BooleanSupplier olderRefused = () -> false;

  TokenRecords(RecordStore store, byte[] storeId, AeadKey catalogKey) {
    this.store = store;
    this.ns = store.storeNamespace();
    this.storeId = storeId.clone();
    this.catalogKey = catalogKey;
    byte[] raw = catalogKey.getEncoded();
    try {
      this.tokenKey = KeyDerivation.tokenKey(raw, storeId);
    } finally {
      Arrays.fill(raw, (byte) 0);
    }
    catalogKey.destroyWith(tokenKey);
  }

  /**
   * A stored token record: the keyed digest its key holds and its opened plaintext (null when the
   * record does not authenticate).
   */
  public record Stored(byte[] digest, byte[] plaintext) {}

  /** The keyed digest of {@code token} (16 bytes), which names its record. */
  public byte[] digest(String token) {
    Mac mac;
    try {
      mac = Mac.getInstance(HMAC);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is missing from the JDK", e);
    }
    return digest(mac, tokenKey, token);
  }

  private static final String HMAC = "HmacSHA256";

  /** An all-zero HMAC-SHA256 key: what a {@link Mac} is keyed with to overwrite its pads. */
  private static final byte[] NO_KEY = new byte[32];

  /**
   * The keyed digest of {@code token} under {@code key}, computed with {@code mac}, which is then
   * left keyed with an all-zero key: the JDK's HMAC keeps the key XORed with its inner and outer
   * pads in two arrays of the {@code Mac} (which it wipes for no caller), and keying it again
   * writes the new pads over them, so no key-derived byte of the token key is left in the {@code
   * Mac} for the garbage collector to find. (The key copy {@code init} takes from {@code key} is
   * wiped by the JDK itself, and its message digest is reset by {@code doFinal}.)
   */
  static byte[] digest(Mac mac, Key key, String token) {
    try {
      mac.init(key);
      try {
        return Arrays.copyOf(
            mac.doFinal(token.getBytes(StandardCharsets.UTF_8)), RecordKeys.TOKEN_DIGEST_BYTES);
      } finally {
        mac.init(new SecretKeySpec(NO_KEY, HMAC)); // overwrites the pads in place
      }
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 cannot be keyed", e);
    }
  }

  /**
   * The plaintext of the record named by {@code digest}, opened, or null when there is none.
   *
   * @throws CorruptionException when it does not authenticate
   */
  public byte[] read(byte[] digest) {
    byte[] sealed = store.get(ns, RecordKeys.clientToken(digest));
    return sealed == null ? null : open(digest, sealed);
  }

  /** Adds the write of the record named by {@code digest}, sealed, to {@code batch}. */
  public void put(RecordBatch batch, byte[] digest, byte[] plaintext) {
    batch.put(
        ns,
        RecordKeys.clientToken(digest),
        PageCipher.seal(
            catalogKey,
            CATALOG_KEY_VERSION,
            AssociatedData.clientToken(CATALOG_KEY_VERSION, storeId, digest),
            plaintext));
  }

  /**
   * Up to {@code max} records in key order after the one named by {@code afterDigest} (from the
   * first when null), each opened; a record that does not authenticate, or (with freshness) is not
   * the one the store last wrote there, is returned with a null plaintext (so that a sweep can pass
   * it: its own look-up reports it), a key of the wrong length is passed over.
   */
  public List<Stored> scan(byte[] afterDigest, int max) {
    return scan(afterDigest, max, false);
  }

  /**
   * As {@link #scan(byte[], int)}; when {@code strict}, a record that is not the one the store last
   * wrote there fails with {@code CorruptionException} instead.
   */
  private List<Stored> scan(byte[] afterDigest, int max, boolean strict) {
    List<Stored> out = new ArrayList<>();
    try (RecordCursor c = store.cursor(ns, false)) {
      c.seek(afterDigest == null ? RecordKeys.TOKEN_PREFIX : RecordKeys.clientToken(afterDigest));
      if (afterDigest != null
          && c.valid()
          && Arrays.equals(c.key(), RecordKeys.clientToken(afterDigest))) {
        c.next();
      }
      for (; c.valid() && out.size() < max; c.next()) {
        byte[] key = c.key();
        if (!RecordKeys.startsWith(key, RecordKeys.TOKEN_PREFIX)) {
          break;
        }
        byte[] digest = RecordKeys.tokenDigestAfter(key);
        if (digest == null) {
          continue; // not a key this class writes; no look-up can reach it
        }
        byte[] plaintext;
        try {
          store.checkRead(ns, key, c.value());
        } catch (CorruptionException stale) {
          if (strict) {
            throw stale;
          }
          out.add(new Stored(digest, null));
          continue;
        }
        try {
          plaintext = open(digest, c.value());
        } catch (CorruptionException damaged) {
          plaintext = null;
        }
        out.add(new Stored(digest, plaintext));
      }
    }
    return out;
  }

  /** Deletes the records named by {@code digests}, in one batch. */
  public void delete(List<byte[]> digests) {
    if (digests.isEmpty()) {
      return;
    }
    RecordBatch batch = RecordBatch.create();
    for (byte[] d : digests) {
      batch.delete(ns, RecordKeys.clientToken(d));
    }
    store.commit(batch);
  }

  /**
   * Adds to {@code batch} every record re-sealed for {@code next} (the records of the store's
   * renewed catalog key): each under its token's digest by {@code next}'s token key, the old one
   * deleted. {@code tokenOf} reads the token from a record's plaintext (null when it cannot); a
   * record that does not authenticate or names no token is deleted (no look-up could use it after
   * the renewal). With freshness, each record is checked against the map of the token records
   * first, and the map's changes are added to the batch when the caller stages it ({@link
   * RecordStore#stageRenewal}), so a renewal does not carry a record put back or removed from
   * outside Coffer over to the new keys. The caller holds the store's exclusive lock: no record is
   * written meanwhile.
   *
   * @throws CorruptionException when a record is not the one the store last wrote there
   */
  void rekeyAll(RecordBatch batch, TokenRecords next, Function<byte[], String> tokenOf) {
    byte[] after = null;
    while (true) {
      List<Stored> page = scan(after, 512, true);
      if (page.isEmpty()) {
        return;
      }
      for (Stored s : page) {
        batch.delete(ns, RecordKeys.clientToken(s.digest()));
        String token = s.plaintext() == null ? null : tokenOf.apply(s.plaintext());
        if (token != null) {
          next.put(batch, next.digest(token), s.plaintext());
        }
      }
      after = page.get(page.size() - 1).digest();
    }
  }

  /**
   * From now on seals and opens with {@code next}'s keys (after the renewal {@link #rekeyAll}
   * prepared was committed); the caller wipes the old catalog key, and the old token key with it.
   */
  void adopt(TokenRecords next) {
    this.catalogKey = next.catalogKey;
    this.tokenKey = next.tokenKey;
  }

  /**
   * From now on, a record of an older envelope format than this code seals (format 1) is refused
   * with {@code CorruptionException}, before its key is used, whenever {@code refused} says so (the
   * catalog: once every table refuses format 1, so no record of format 1 is left that this code did
   * not re-seal, while token records, unlike catalog entries, are in no digest of the sealed
   * state).
   */
  public void refuseOlderWhen(BooleanSupplier refused) {
    this.olderRefused = refused;
  }

  private byte[] open(byte[] digest, byte[] sealed) {
    return PageCipher.open(
        sealed,
        CATALOG_KEY_VERSION,
        catalogKey,
        AssociatedData.clientToken(CATALOG_KEY_VERSION, storeId, digest),
        "ClientRequestToken record",
        olderRefused.getAsBoolean() ? RecordErrors.olderTokenEnvelopeRefused() : null);
  }
}
