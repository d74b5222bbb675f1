package dev.coffer.internal.catalog;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.coffer.CorruptionException;
import dev.coffer.ValidationException;
import dev.coffer.internal.keys.AeadKey;
import dev.coffer.internal.keys.KeyContexts;
import dev.coffer.internal.keys.KeyDerivation;
import dev.coffer.internal.keys.StoreKeys;
import dev.coffer.internal.record.CatalogRecords;
import dev.coffer.internal.record.RecordConflictException;
import dev.coffer.internal.record.RecordStore;
import dev.coffer.internal.record.SharedCatalogRecords;
import dev.coffer.kms.DataKey;
import dev.coffer.kms.EncryptionContext;
import dev.coffer.kms.KeyProvider;
import dev.coffer.kms.SecretBytes;
import dev.coffer.kms.WrappedKey;
import dev.coffer.proto.StoreHeader;
import dev.coffer.proto.WrappedKeyRef;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * Reads or writes the store header (plaintext: format version, store id, wrapped store key),
 * unwraps the store key into the catalog key, and opens the store's sealed state ({@link
 * SealedState}), which vouches for the header and refuses a key provider whose state is older than
 * the store has seen (on a shared record backend, a state that is neither read nor written: {@link
 * SealedState#unsealed}). The store key is unwrapped with the master key the options name, so a
 * store opened with another master key fails with the provider's {@code IncorrectKeyException}; a
 * disabled key, a missing key or a denied {@code kms:Decrypt} fail with the provider's exception as
 * well.
 *
 * @param keys the store's keys (provider, master key, header)
 * @param records the store's own records, sealed with the catalog key (the caller wipes it with
 *     {@link CatalogRecords#destroy()})
 * @param state the store's sealed state
 */
public record StoreBootstrap(StoreKeys keys, CatalogRecords records, SealedState state) {
  /**
   * The store format version this code writes: 3, where delta records carry their sequence numbers
   * (so that a put can append without reading its leaf) and page bodies may be compressed before
   * sealing (docs/on-disk-format.md). It reads version 2 too (a leaf's delta records appended to
   * its node's value by RocksDB merges, numbered by their place), whose records it reads as they
   * are: the header of a version-2 store is rewritten as version 3 when it is opened, since from
   * then on it may hold version-3 records. Version 1 (development builds before version 2) kept
   * delta records under keys of their own; this code refuses such a store rather than misread it.
   */
  public static final int FORMAT_VERSION = 3;

  /** The oldest store format version this code reads. */
  public static final int OLDEST_READABLE_FORMAT_VERSION = 2;

  /**
   * The store format version of a store in a shared record backend this code writes and reads: 4,
   * layout 2 of {@code docs/scale-out.md} (4-byte table keys in partition keys, a one-byte root
   * sort key, index entries without a value, roots without a next node id). A shared store of
   * format 2 or 3 is in layout 1, which this code refuses with the way to migrate ({@link
   * #refuseSharedLayout1}); code that knows only format 3 refuses a format-4 store as written by a
   * newer version, so no older instance writes layout-1 records into it.
   */
  public static final int SHARED_FORMAT_VERSION = 4;

  /** The store format version this code writes into {@code store}. */
  static int formatVersion(RecordStore store) {
    return store.shared() != null ? SHARED_FORMAT_VERSION : FORMAT_VERSION;
  }

  /**
   * Opens the store's header, creating it (with a new store key) when the store is new; no rollback
   * anchor.
   */
  public static StoreBootstrap openOrCreate(
      RecordStore store, KeyProvider provider, String masterKeyId) {
    return openOrCreate(store, provider, masterKeyId, null);
  }

  /**
   * Opens the store's header, creating it (with a new store key) when the store is new, and, when
   * {@code anchor} is not null, checks the store against its rollback anchor and (unless the check
   * only checks) moves both to a new epoch ({@link SealedState#anchor}), before anything else is
   * written. A store in a shared record backend takes no anchor: {@code anchor} must be null there.
   *
   * @throws CorruptionException when the store is older than its rollback anchor (see {@link
   *     SealedState})
   */
  public static StoreBootstrap openOrCreate(
      RecordStore store, KeyProvider provider, String masterKeyId, AnchorCheck anchor) {
    byte[] raw = CatalogRecords.readHeader(store);
    StoreBootstrap boot =
        raw == null
            ? create(store, provider, masterKeyId)
            : open(store, raw, provider, masterKeyId);
    try {
      if (anchor != null) {
        boot.state().anchor(anchor);
      }
      if (boot.keys().header().getFormatVersion() < formatVersion(store)) {
        // From now on the store may hold records of this format: say so, so that older code refuses
        // it. Through the sealed state, which vouches for the header as stored.
        StoreHeader upgraded =
            boot.keys().header().toBuilder().setFormatVersion(formatVersion(store)).build();
        if (boot.state().sealed()) {
          boot.state().commitHeader(upgraded.toByteArray(), batch -> {});
        } else {
          // a shared backend: replace it only if no other instance changed it since it was read
          SharedCatalogRecords.VersionedHeader read = SharedCatalogRecords.readHeader(store);
          if (read != null && Arrays.equals(read.header(), raw)) {
            try {
              boot.records().shared().putHeader(upgraded.toByteArray(), read.version());
            } catch (RecordConflictException e) {
              // another instance replaced it first (its own upgrade, or a rewrap): the catalog
              // reads it again
            }
          }
        }
        boot =
            new StoreBootstrap(
                new StoreKeys(provider, masterKeyId, upgraded), boot.records(), boot.state());
      }
    } catch (RuntimeException e) {
      boot.records().destroy();
      throw e;
    }
    return boot;
  }

  private static StoreBootstrap create(
      RecordStore store, KeyProvider provider, String masterKeyId) {
    byte[] storeId = new byte[16];
    new SecureRandom().nextBytes(storeId);
    // a store in this process's own RocksDB keeps a sealed state, and its store key says so
    EncryptionContext ctx =
        KeyContexts.catalog(HexFormat.of().formatHex(storeId), store.shared() == null);
    try (DataKey dk = provider.generateDataKey(masterKeyId, ctx)) {
      StoreHeader header =
          StoreHeader.newBuilder()
              .setFormatVersion(formatVersion(store))
              .setStoreId(ByteString.copyFrom(storeId))
              .setCreatedMillis(System.currentTimeMillis())
              .setStoreKey(
                  WrappedKeyRef.newBuilder()
                      .setMasterKeyId(dk.wrapped().keyId())
                      .setCiphertextBlob(ByteString.copyFrom(dk.wrapped().ciphertextBlob()))
                      .putAllEncryptionContext(ctx.asMap()))
              .setKeyProviderScheme(provider.scheme())
              .build();
      AeadKey catalogKey = dk.plaintext().withBytes(b -> KeyDerivation.catalogKey(b, storeId));
      CatalogRecords records = new CatalogRecords(store, storeId, catalogKey);
      try {
        byte[] raw = header.toByteArray();
        if (store.shared() != null) {
          if (!SharedCatalogRecords.createHeader(store, raw)) {
            // another instance created the store at the same moment: open the one that won
            records.destroy();
            return open(store, CatalogRecords.readHeader(store), provider, masterKeyId);
          }
          return new StoreBootstrap(
              new StoreKeys(provider, masterKeyId, header), records, SealedState.unsealed(records));
        }
        SealedState state = SealedState.create(records, raw);
        state.observe(provider);
        state.commitHeader(raw, batch -> {}); // header and state in one batch
        return new StoreBootstrap(new StoreKeys(provider, masterKeyId, header), records, state);
      } catch (RuntimeException e) {
        records.destroy();
        throw e;
      }
    }
  }

  private static StoreBootstrap open(
      RecordStore store, byte[] raw, KeyProvider provider, String masterKeyId) {
    StoreHeader header;
    try {
      header = StoreHeader.parseFrom(raw);
    } catch (InvalidProtocolBufferException e) {
      throw new CorruptionException("The store header is malformed", null, "store header", e);
    }
    if (header.getFormatVersion() == 1) {
      throw new ValidationException(
          "This store was written in store format 1 by a development build of "
              + "Coffer; this version reads format "
              + FORMAT_VERSION
              + " only (export it with the older build and "
              + "import it here)");
    }
    if (store.shared() != null
        && header.getFormatVersion() >= OLDEST_READABLE_FORMAT_VERSION
        && header.getFormatVersion() < SHARED_FORMAT_VERSION) {
      refuseSharedLayout1(store, header.getFormatVersion());
    }
    if (header.getFormatVersion() > formatVersion(store)) {
      throw new ValidationException(
          "This store was written in store format "
              + header.getFormatVersion()
              + " by a newer version of Coffer; this version reads formats "
              + OLDEST_READABLE_FORMAT_VERSION
              + " to "
              + FORMAT_VERSION
              + (store.shared() != null
                  ? " (and " + SHARED_FORMAT_VERSION + " in a shared backend)"
                  : "")
              + " (open it with that newer version)");
    }
    if (header.getFormatVersion() < OLDEST_READABLE_FORMAT_VERSION
        || header.getStoreId().size() != 16) {
      throw new CorruptionException(
          "The store header has unknown format version " + header.getFormatVersion(),
          null,
          "store header");
    }
    if (header.getStoreKey().getCiphertextBlob().isEmpty()) {
      throw new CorruptionException(
          "The store header holds no wrapped store key", null, "store header");
    }
    if (!header.getKeyProviderScheme().isEmpty()
        && !header.getKeyProviderScheme().equals(provider.scheme())) {
      // the header is plaintext: what it names is shown escaped, on one line (docs/fuzzing.md)
      throw new ValidationException(
          "The store's keys are wrapped by a "
              + printable(header.getKeyProviderScheme())
              + " key provider (master key "
              + printable(header.getStoreKey().getMasterKeyId())
              + "), not by the "
              + provider.scheme()
              + " provider it was opened with");
    }
    byte[] storeId = header.getStoreId().toByteArray();
    // The header's recorded context says whether the store key was wrapped with the sealed-state
    // pair; taking the pair out of it makes the provider refuse the unwrap (another context).
    boolean stateBound =
        KeyContexts.bindsSealedState(header.getStoreKey().getEncryptionContextMap());
    EncryptionContext ctx = KeyContexts.catalog(HexFormat.of().formatHex(storeId), stateBound);
    WrappedKey wrapped =
        WrappedKey.of(masterKeyId, header.getStoreKey().getCiphertextBlob().toByteArray());
    AeadKey catalogKey;
    try (SecretBytes storeKey = provider.decrypt(wrapped, ctx)) {
      catalogKey = storeKey.withBytes(b -> KeyDerivation.catalogKey(b, storeId));
    }
    CatalogRecords records = new CatalogRecords(store, storeId, catalogKey);
    try {
      SealedState state =
          store.shared() != null
              ? SealedState.unsealed(records)
              : SealedState.open(records, raw, provider, stateBound);
      return new StoreBootstrap(new StoreKeys(provider, masterKeyId, header), records, state);
    } catch (RuntimeException e) {
      records.destroy();
      throw e;
    }
  }

  /**
   * Refuses a store in a shared backend written in layout 1 (store format 2 or 3), naming how to
   * move its tables to layout 2. Nothing is read or written beyond the header.
   */
  static void refuseSharedLayout1(RecordStore store, int formatVersion) {
    throw new ValidationException(
        "The store in "
            + store.location()
            + " was written in layout 1 of the shared record backend (store format "
            + formatVersion
            + "), which this version of Coffer does not read: it reads layout 2 (store format "
            + SHARED_FORMAT_VERSION
            + ", fewer bytes per item; docs/scale-out.md). To migrate, export each table with the"
            + " version of Coffer that wrote the store (coffer --backend URI export --table-name T"
            + " --output-file T.json.gz), then, with this version, create the tables in a new"
            + " DynamoDB table (coffer --backend NEW-URI dynamodb create-table ...) and import them"
            + " (coffer --backend NEW-URI import --table-name T --input-file T.json.gz)");
  }

  /** The longest text of the plaintext header that {@link #printable} shows. */
  static final int SHOWN_CHARS = 200;

  /**
   * {@code text} (read from the plaintext header, so anyone could have written it) as one printable
   * line: every control, format, line or paragraph separator, private-use, unassigned or unpaired
   * surrogate character and U+FFFD (what invalid UTF-8 decodes to) as a Java escape (backslash, u,
   * four hex digits), a backslash doubled, and at most {@value #SHOWN_CHARS} characters, then
   * "...".
   */
  static String printable(String text) {
    StringBuilder out = new StringBuilder();
    int shown = 0;
    for (int i = 0; i < text.length(); i++) {
      if (shown++ == SHOWN_CHARS) {
        return out.append("...").toString();
      }
      char c = text.charAt(i);
      if (Character.isHighSurrogate(c)
          && i + 1 < text.length()
          && Character.isLowSurrogate(text.charAt(i + 1))) {
        int cp = text.codePointAt(i);
        if (shownAsIs(Character.getType(cp))) {
          out.append(c).append(text.charAt(++i));
        } else {
          out.append(String.format("\\u%04x\\u%04x", (int) c, (int) text.charAt(++i)));
        }
        continue;
      }
      if (c == '\\') {
        out.append("\\\\");
      } else if (c == '\ufffd' || Character.isSurrogate(c) || !shownAsIs(Character.getType(c))) {
        out.append(String.format("\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  private static boolean shownAsIs(int type) {
    return type != Character.CONTROL
        && type != Character.FORMAT
        && type != Character.LINE_SEPARATOR
        && type != Character.PARAGRAPH_SEPARATOR
        && type != Character.PRIVATE_USE
        && type != Character.UNASSIGNED
        && type != Character.SURROGATE;
  }
}
