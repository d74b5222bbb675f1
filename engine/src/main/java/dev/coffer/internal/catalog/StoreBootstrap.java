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
import java.util.HexFormat;

/**
 * Reads or writes the store header (plaintext: format version, store id, wrapped store key) and
 * unwraps the store key into the catalog key. The store key is unwrapped with the master key the
 * options name, so a store opened with another master key fails with the provider's {@code
 * IncorrectKeyException}; a disabled key, a missing key or a denied {@code kms:Decrypt} fail with
 * the provider's exception as well.
 *
 * @param keys the store's keys (provider, master key, header)
 * @param catalogKey the key that seals catalog records (the caller owns and wipes it)
 */
public record StoreBootstrap(StoreKeys keys, AeadKey catalogKey) {
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

  /** Opens the store's header, creating it (with a new store key) when the store is new. */
  public static StoreBootstrap openOrCreate(
      RecordStore store, KeyProvider provider, String masterKeyId) {
    byte[] raw = CatalogRecords.readHeader(store);
    if (raw == null) {
      return create(store, provider, masterKeyId);
    }
    StoreBootstrap boot = open(raw, provider, masterKeyId);
    if (boot.keys().header().getFormatVersion() < FORMAT_VERSION) {
      // From now on the store may hold records of this format: say so, so that older code refuses
      // it.
      StoreHeader upgraded =
          boot.keys().header().toBuilder().setFormatVersion(FORMAT_VERSION).build();
      try {
        CatalogRecords.writeHeader(store, upgraded.toByteArray());
      } catch (RuntimeException e) {
        boot.catalogKey().destroy();
        throw e;
      }
      return new StoreBootstrap(new StoreKeys(provider, masterKeyId, upgraded), boot.catalogKey());
    }
    return boot;
  }

  private static StoreBootstrap create(
      RecordStore store, KeyProvider provider, String masterKeyId) {
    byte[] storeId = new byte[16];
    new SecureRandom().nextBytes(storeId);
    EncryptionContext ctx = KeyContexts.catalog(HexFormat.of().formatHex(storeId));
    try (DataKey dk = provider.generateDataKey(masterKeyId, ctx)) {
      StoreHeader header =
          StoreHeader.newBuilder()
              .setFormatVersion(FORMAT_VERSION)
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
      try {
        if (store.shared() != null
            && !SharedCatalogRecords.createHeader(store, header.toByteArray())) {
          // another instance created the store at the same moment: open the one that won
          catalogKey.destroy();
          return open(CatalogRecords.readHeader(store), provider, masterKeyId);
        } else if (store.shared() == null) {
          CatalogRecords.writeHeader(store, header.toByteArray());
        }
      } catch (RuntimeException e) {
        catalogKey.destroy();
        throw e;
      }
      return new StoreBootstrap(new StoreKeys(provider, masterKeyId, header), catalogKey);
    }
  }

  private static StoreBootstrap open(byte[] raw, KeyProvider provider, String masterKeyId) {
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
    if (header.getFormatVersion() > FORMAT_VERSION) {
      throw new ValidationException(
          "This store was written in store format "
              + header.getFormatVersion()
              + " by a newer version of Coffer; this version reads formats "
              + OLDEST_READABLE_FORMAT_VERSION
              + " to "
              + FORMAT_VERSION
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
      throw new ValidationException(
          "The store's keys are wrapped by a "
              + header.getKeyProviderScheme()
              + " key provider (master key "
              + header.getStoreKey().getMasterKeyId()
              + "), not by the "
              + provider.scheme()
              + " provider it was opened with");
    }
    byte[] storeId = header.getStoreId().toByteArray();
    EncryptionContext ctx = KeyContexts.catalog(HexFormat.of().formatHex(storeId));
    WrappedKey wrapped =
        WrappedKey.of(masterKeyId, header.getStoreKey().getCiphertextBlob().toByteArray());
    try (SecretBytes storeKey = provider.decrypt(wrapped, ctx)) {
      AeadKey catalogKey = storeKey.withBytes(b -> KeyDerivation.catalogKey(b, storeId));
      return new StoreBootstrap(new StoreKeys(provider, masterKeyId, header), catalogKey);
    }
  }
}
