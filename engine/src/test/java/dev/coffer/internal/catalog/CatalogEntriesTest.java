package dev.coffer.internal.catalog;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.coffer.CorruptionException;
import dev.coffer.ValidationException;
import dev.coffer.internal.record.CatalogRecords;
import dev.coffer.internal.record.RawHeaders;
import dev.coffer.proto.CatalogEntry;
import dev.coffer.proto.KeyAttribute;
import dev.coffer.proto.KeyType;
import dev.coffer.proto.StoreHeader;
import org.junit.jupiter.api.Test;

/**
 * Findings of {@code CatalogEntryFuzzTest}. A catalog entry whose key schema is not valid (an empty
 * key name) made the store's open fail with {@code ValidationException} ("The partition key
 * attribute name must be 1 to 255 characters long"), as if the caller had passed a bad argument. It
 * is corruption of the store's own record, and now says so.
 */
class CatalogEntriesTest {
  private static final byte[] TABLE = new byte[16];

  private static CatalogEntry entry(String pk, String sk) {
    CatalogEntry.Builder b =
        CatalogEntry.newBuilder()
            .setFormatVersion(CatalogEntries.FORMAT)
            .setTableId(ByteString.copyFrom(TABLE))
            .setPartitionKey(KeyAttribute.newBuilder().setName(pk).setType(KeyType.KEY_TYPE_S));
    if (sk != null) {
      b.setSortKey(KeyAttribute.newBuilder().setName(sk).setType(KeyType.KEY_TYPE_N));
    }
    return CatalogEntries.parse(TABLE, b.build().toByteArray());
  }

  @Test
  void anEmptyKeyNameIsCorruptionNotABadArgument() {
    assertThatThrownBy(() -> CatalogEntries.schema(entry("", null)))
        .isInstanceOf(CorruptionException.class)
        .hasMessageStartingWith("A catalog entry has an invalid key schema (catalog entry 000000")
        .hasMessageContaining("The partition key attribute name must be 1 to 255 characters long");
  }

  @Test
  void twoKeysOfOneNameAreCorruption() {
    assertThatThrownBy(() -> CatalogEntries.schema(entry("k", "k")))
        .isInstanceOf(CorruptionException.class)
        .hasMessageStartingWith("A catalog entry has an invalid key schema");
  }

  /**
   * Found by {@code CatalogEntryFuzzTest}: a store header without a wrapped store key made the open
   * fail with {@code IllegalArgumentException} ("empty ciphertext blob") from deep inside.
   */
  @Test
  void aStoreHeaderWithoutItsWrappedKeyIsCorruption() throws Exception {
    CatalogFixture f = new CatalogFixture();
    StoreBootstrap.openOrCreate(f.backend, f.provider, f.keyId).records().destroy();
    StoreHeader h = StoreHeader.parseFrom(CatalogRecords.readHeader(f.backend));
    RawHeaders.write(
        f.backend,
        h.toBuilder()
            .setStoreKey(h.getStoreKey().toBuilder().clearCiphertextBlob())
            .build()
            .toByteArray());
    assertThatThrownBy(() -> StoreBootstrap.openOrCreate(f.backend, f.provider, f.keyId))
        .isInstanceOf(CorruptionException.class)
        .hasMessage("The store header holds no wrapped store key");
  }

  /**
   * Found by {@code CatalogEntryFuzzTest}: a catalog entry with an empty wrapped key made the open
   * fail with {@code IllegalArgumentException} ("empty ciphertext blob").
   */
  @Test
  void anEmptyWrappedKeyIsCorruption() {
    CatalogFixture f = new CatalogFixture();
    CatalogFixture.Open open = f.open();
    CatalogEntry made = CatalogFixture.create(open.catalog(), "events").entry();
    CatalogEntry broken =
        made.toBuilder().setIndexKey(made.getIndexKey().toBuilder().clearCiphertextBlob()).build();
    assertThatThrownBy(() -> open.dataKeys().unwrap(broken))
        .isInstanceOf(CorruptionException.class)
        .hasMessage("A catalog entry holds an empty wrapped key");
  }

  /**
   * Found by {@code CatalogEntryFuzzTest} (docs/fuzzing.md): the "wrapped by another key provider"
   * message echoed the plaintext header's scheme and master key id as stored, line breaks and
   * control characters included. They are shown escaped now, on one line, and cut at 200
   * characters.
   */
  @Test
  void anotherProvidersSchemeIsNamedOnOnePrintableLine() throws Exception {
    CatalogFixture f = new CatalogFixture();
    StoreBootstrap.openOrCreate(f.backend, f.provider, f.keyId).records().destroy();
    StoreHeader h = StoreHeader.parseFrom(CatalogRecords.readHeader(f.backend));
    RawHeaders.write(
        f.backend,
        h.toBuilder()
            .setKeyProviderScheme("aws-kms\nERROR forged line\u0007\u202e\ud800" + "x".repeat(300))
            .setStoreKey(h.getStoreKey().toBuilder().setMasterKeyId("key\r\\1"))
            .build()
            .toByteArray());
    assertThatThrownBy(() -> StoreBootstrap.openOrCreate(f.backend, f.provider, f.keyId))
        .isInstanceOf(ValidationException.class)
        .hasMessageStartingWith(
            "The store's keys are wrapped by a aws-kms\\u000aERROR forged line\\u0007\\u202e")
        .hasMessageContaining("xxx... key provider (master key key\\u000d\\\\1), not by the memory")
        .satisfies(e -> SealedStateFuzzTest.assertOneLine(e.getMessage()));
  }
}
