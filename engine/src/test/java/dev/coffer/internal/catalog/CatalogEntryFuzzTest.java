package dev.coffer.internal.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import dev.coffer.CorruptionException;
import dev.coffer.KeySchema;
import dev.coffer.ValidationException;
import dev.coffer.internal.keys.DataKeys;
import dev.coffer.internal.record.CatalogRecords;
import dev.coffer.internal.record.MemoryRecordStore;
import dev.coffer.internal.record.RawHeaders;
import dev.coffer.kms.IncorrectKeyException;
import dev.coffer.kms.InvalidCiphertextException;
import dev.coffer.kms.KeyManagement.CreateKeyRequest;
import dev.coffer.kms.KmsValidationException;
import dev.coffer.kms.NotFoundException;
import dev.coffer.kms.memory.InMemoryKeyProvider;
import dev.coffer.proto.CatalogEntry;
import dev.coffer.proto.StoreHeader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Fuzz target: the catalog's decoders of what it reads back from the store (the sealed catalog
 * entries themselves are opened by the record layer, fuzzed in {@code RecordCodecFuzzTest}).
 *
 * <p><b>Input:</b> the first byte picks the mode (modulo 4), the rest is the bytes:
 *
 * <ol start="0">
 *   <li>an opened catalog entry's plaintext for table {@link #TABLE}: {@link CatalogEntries#parse}
 *       then {@link CatalogEntries#schema}, as a store does at open;
 *   <li>the same with format version 1 and the table id written in front (protobuf keeps the last
 *       value of a field), so that the fuzzer gets past the format and table-id checks;
 *   <li>a store header ({@code StoreHeader}, plaintext) through {@link StoreBootstrap#openOrCreate}
 *       with an in-memory key provider: the header's checks, then the unwrap of its store key;
 *   <li>an entry as in mode 1, then {@link DataKeys#unwrap} of its data-key versions and index key,
 *       as the store does at open ({@link CorruptionException} or the provider's refusals).
 * </ol>
 *
 * <p><b>Documented exceptions:</b> modes 0 and 1: {@link CorruptionException} only (a catalog entry
 * is the store's own record: whatever is wrong with it is corruption, never a {@link
 * ValidationException}). Mode 2: {@link CorruptionException} ("The store header is malformed", "...
 * unknown format version ..."), {@link ValidationException} for a store of another format (1, or
 * newer than this code) or another key provider's scheme, and the provider's refusals of the
 * wrapped store key ({@link InvalidCiphertextException}, {@link IncorrectKeyException}, {@link
 * KmsValidationException}). What decodes: an entry re-encodes to bytes that decode to an equal
 * entry and the same key schema; a header that opens has a 16-byte store id and this code's format.
 */
public class CatalogEntryFuzzTest {
  static final byte[] TABLE = HexFormat.of().parseHex("00112233445566778899aabbccddeeff");
  static final InMemoryKeyProvider PROVIDER = InMemoryKeyProvider.create();
  static final String KEY_ID = PROVIDER.createKey(CreateKeyRequest.withDescription("fuzz")).keyId();

  /** The data keys of a store of {@link #PROVIDER}, to unwrap an entry's keys with. */
  static final DataKeys DATA_KEYS = dataKeys();

  private static DataKeys dataKeys() {
    StoreBootstrap boot = StoreBootstrap.openOrCreate(new MemoryRecordStore(), PROVIDER, KEY_ID);
    boot.records().destroy();
    return new DataKeys(boot.keys());
  }

  @FuzzTest(maxDuration = "30s")
  void fuzz(byte[] input) {
    check(input);
  }

  /** The check of one input (see the class comment). */
  public static void check(byte[] input) {
    if (input.length == 0) {
      return;
    }
    byte[] body = Arrays.copyOfRange(input, 1, input.length);
    switch (Math.floorMod(input[0], 4)) {
      case 0 -> entry(body);
      case 1 -> entry(withPrefix(body));
      case 2 -> header(body);
      default -> keys(withPrefix(body));
    }
  }

  private static byte[] withPrefix(byte[] body) {
    byte[] prefix =
        CatalogEntry.newBuilder()
            .setFormatVersion(CatalogEntries.FORMAT)
            .setTableId(ByteString.copyFrom(TABLE))
            .build()
            .toByteArray();
    byte[] out = Arrays.copyOf(prefix, prefix.length + body.length);
    System.arraycopy(body, 0, out, prefix.length, body.length);
    return out;
  }

  private static void entry(byte[] plaintext) {
    CatalogEntry entry;
    KeySchema schema;
    try {
      entry = CatalogEntries.parse(TABLE, plaintext);
      schema = CatalogEntries.schema(entry);
    } catch (CorruptionException e) {
      assertThat(e.getMessage()).startsWith("A catalog entry ");
      assertThat(e.location()).startsWith("catalog");
      return;
    }
    CatalogEntry again = CatalogEntries.parse(TABLE, entry.toByteArray());
    assertThat(again).isEqualTo(entry);
    assertThat(again.toByteArray()).isEqualTo(entry.toByteArray());
    KeySchema back = CatalogEntries.schema(again);
    assertThat(back.partitionKeyName()).isEqualTo(schema.partitionKeyName());
    assertThat(back.partitionKeyType()).isEqualTo(schema.partitionKeyType());
    assertThat(back.sortKeyName()).isEqualTo(schema.sortKeyName());
    assertThat(back.sortKeyType()).isEqualTo(schema.sortKeyType());
    assertThat(again.getDataKeysList()).isEqualTo(entry.getDataKeysList());
    assertThat(again.getIndexKey()).isEqualTo(entry.getIndexKey());
  }

  private static void keys(byte[] plaintext) {
    CatalogEntry entry;
    try {
      entry = CatalogEntries.parse(TABLE, plaintext);
    } catch (CorruptionException e) {
      return; // mode 1 checks this part
    }
    try {
      DATA_KEYS.unwrap(entry).destroy();
    } catch (CorruptionException e) {
      assertThat(e.location()).startsWith("catalog");
    } catch (InvalidCiphertextException
        | IncorrectKeyException
        | KmsValidationException
        | NotFoundException e) {
      // documented: the provider refuses a wrapped key
    }
  }

  private static void header(byte[] raw) {
    MemoryRecordStore store = new MemoryRecordStore();
    RawHeaders.write(store, raw);
    StoreBootstrap boot;
    try {
      boot = StoreBootstrap.openOrCreate(store, PROVIDER, KEY_ID);
    } catch (CorruptionException e) {
      assertThat(e.getMessage()).startsWith("The store header ");
      assertThat(e.location()).isEqualTo("store header");
      return;
    } catch (ValidationException e) {
      // the scheme message shows the header's (unauthenticated) scheme and master key id escaped
      assertThat(e.getMessage()).matches("(This store |The store's keys are wrapped by ).*");
      SealedStateFuzzTest.assertOneLine(e.getMessage());
      return;
    } catch (InvalidCiphertextException | IncorrectKeyException | KmsValidationException e) {
      return; // documented: the provider refuses the wrapped store key
    }
    try {
      assertThat(boot.keys().header().getStoreId().size()).isEqualTo(16);
      assertThat(boot.keys().header().getFormatVersion()).isEqualTo(StoreBootstrap.FORMAT_VERSION);
    } finally {
      boot.records().destroy();
    }
  }

  /**
   * Writes the seeds, real records made by the catalog: {@code -Dfuzz.catalog.seeds=DIR} (the
   * corpus directory {@code
   * src/test/resources/dev/coffer/internal/catalog/CatalogEntryFuzzTestInputs/fuzz}).
   */
  @Test
  @EnabledIfSystemProperty(named = "fuzz.catalog.seeds", matches = ".+")
  void writeSeeds() throws IOException {
    Path dir = Path.of(System.getProperty("fuzz.catalog.seeds"));
    Files.createDirectories(dir);
    MemoryRecordStore store = new MemoryRecordStore();
    StoreBootstrap boot = StoreBootstrap.openOrCreate(store, PROVIDER, KEY_ID);
    byte[] header = CatalogRecords.readHeader(store);
    write(dir, "header", 2, header);
    StoreHeader h = StoreHeader.parseFrom(header);
    write(dir, "header-format-2", 2, h.toBuilder().setFormatVersion(2).build().toByteArray());
    write(dir, "header-format-1", 2, h.toBuilder().setFormatVersion(1).build().toByteArray());
    write(dir, "header-format-4", 2, h.toBuilder().setFormatVersion(4).build().toByteArray());
    write(
        dir,
        "header-other-scheme",
        2,
        h.toBuilder().setKeyProviderScheme("aws-kms").build().toByteArray());
    write(
        dir,
        "header-short-id",
        2,
        h.toBuilder().setStoreId(ByteString.copyFrom(new byte[3])).build().toByteArray());
    write(dir, "header-truncated", 2, Arrays.copyOf(header, header.length / 2));
    boot.records().destroy();
    CatalogFixture f = new CatalogFixture();
    CatalogFixture.Open open = f.open();
    CatalogEntry made = CatalogFixture.create(open.catalog(), "events").entry();
    CatalogEntry entry = made.toBuilder().setTableId(ByteString.copyFrom(TABLE)).build();
    write(dir, "entry", 0, entry.toByteArray());
    write(dir, "entry-no-sort-key", 0, entry.toBuilder().clearSortKey().build().toByteArray());
    write(dir, "entry-deleting", 0, entry.toBuilder().setStatusValue(2).build().toByteArray());
    write(
        dir,
        "finding-empty-key-name",
        0,
        entry.toBuilder()
            .setPartitionKey(entry.getPartitionKey().toBuilder().setName(""))
            .build()
            .toByteArray());
    write(
        dir,
        "entry-unknown-key-type",
        0,
        entry.toBuilder()
            .setPartitionKey(entry.getPartitionKey().toBuilder().setTypeValue(9))
            .build()
            .toByteArray());
    write(dir, "entry-other-table", 0, made.toByteArray());
    write(dir, "entry-truncated", 0, Arrays.copyOf(entry.toByteArray(), 40));
    byte[] fields = entry.toBuilder().clearFormatVersion().clearTableId().build().toByteArray();
    write(dir, "entry-fields", 1, fields);
    write(dir, "keys-entry-fields", 3, fields);
    ByteString.Output same = ByteString.newOutput();
    CodedOutputStream cos = CodedOutputStream.newInstance(same);
    cos.writeString(4, "pk"); // a stray field where a message is expected
    cos.flush();
    write(dir, "entry-stray-field", 1, same.toByteString().toByteArray());
  }

  private static void write(Path dir, String name, int mode, byte[] bytes) throws IOException {
    byte[] out = new byte[bytes.length + 1];
    out[0] = (byte) mode;
    System.arraycopy(bytes, 0, out, 1, bytes.length);
    Files.write(dir.resolve(name), out);
  }
}
