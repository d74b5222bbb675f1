package dev.coffer.internal.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.google.protobuf.ByteString;
import dev.coffer.CorruptionException;
import dev.coffer.internal.keys.DataKeys;
import dev.coffer.internal.keys.EngineAudit;
import dev.coffer.internal.record.CatalogRecords;
import dev.coffer.internal.record.MemoryRecordStore;
import dev.coffer.internal.record.RecordBatch;
import dev.coffer.kms.DataKey;
import dev.coffer.kms.EncryptionContext;
import dev.coffer.kms.KeyDescription;
import dev.coffer.kms.KeyManagement.CreateKeyRequest;
import dev.coffer.kms.KeyProvider;
import dev.coffer.kms.KeystoreRollbackException;
import dev.coffer.kms.SecretBytes;
import dev.coffer.kms.StateGeneration;
import dev.coffer.kms.WrappedKey;
import dev.coffer.kms.memory.InMemoryKeyProvider;
import dev.coffer.proto.RollbackAnchor;
import dev.coffer.proto.StoreState;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Fuzz target: the decoders of the store's sealed state ({@code StoreState}, issue 15) and of the
 * rollback anchor file ({@code RollbackAnchor}), as a store reads them at open.
 *
 * <p><b>Input:</b> the first byte picks the mode (modulo 5), the rest is the bytes:
 *
 * <ol start="0">
 *   <li>a state's plaintext, sealed here with the catalog key of a store that has one table, put in
 *       place of its state; then the store is opened ({@link StoreBootstrap#openOrCreate}: the
 *       state's format, header hash and key-state generation, checked against a provider at
 *       generation {@link #NOW}) and its catalog checked against the state ({@link
 *       SealedState#checkCatalog});
 *   <li>the same with the store's real state in front (protobuf keeps the last value of a field and
 *       merges map entries), so that the fuzzer gets past the format and header checks;
 *   <li>the bytes stored as the sealed state record itself (the envelope, unauthenticated);
 *   <li>an anchor's plaintext, sealed here as the store's anchor, through {@link
 *       SealedState#anchoredEpoch};
 *   <li>the bytes as an anchor file's contents, through {@link SealedState#anchoredEpoch}.
 * </ol>
 *
 * <p><b>Documented exceptions:</b> {@link CorruptionException} with location {@code store state},
 * {@code store header}, {@code catalog entry <hex>} (modes 0 to 2) or {@code rollback anchor ...}
 * (modes 3, 4), its message one printable line; {@link KeystoreRollbackException} when the state
 * records a newer generation of the provider's source (modes 0, 1). <b>Also checked:</b> a store
 * that opens has a state of format 2 that vouches for its header and records exactly the digests of
 * its catalog entries; an anchor that decodes has format 1 and the epoch its bytes hold.
 */
public class SealedStateFuzzTest {
  /** The key-state generation the fuzz provider is at. */
  static final StateGeneration NOW = StateGeneration.of("fuzz-keystore", 7);

  static final KeyProvider PROVIDER = new GenerationProvider(InMemoryKeyProvider.create());
  static final String KEY_ID =
      ((GenerationProvider) PROVIDER)
          .in
          .createKey(CreateKeyRequest.withDescription("fuzz"))
          .keyId();

  private static final byte[] STATE_KEY = "coffer/state".getBytes(StandardCharsets.US_ASCII);
  private static final Path ANCHOR = Path.of("fuzz-anchors", "0.anchor");

  /** The store, reset to {@link #TEMPLATE} before each input. */
  static final MemoryRecordStore STORE = new MemoryRecordStore();

  /** The store's records as made: header, state, one catalog entry. */
  static final Map<String, byte[]> TEMPLATE = new HashMap<>();

  /** The store's records (and catalog key), to seal inputs with; never destroyed. */
  static final CatalogRecords RECORDS;

  /** The store's real state, opened. */
  static final byte[] STATE;

  static {
    StoreBootstrap boot = StoreBootstrap.openOrCreate(STORE, PROVIDER, KEY_ID);
    Catalog catalog =
        Catalog.load(
            STORE,
            boot,
            new DataKeys(boot.keys()),
            Clock.systemUTC(),
            new EngineAudit(r -> {}, Clock.systemUTC(), boot.keys()::principal));
    CatalogFixture.create(catalog, "events");
    RECORDS = boot.records();
    STATE = RECORDS.readState();
    for (byte[] k : STORE.rawKeys(null)) {
      TEMPLATE.put(HexFormat.of().formatHex(k), STORE.raw(null, k));
    }
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
    switch (Math.floorMod(input[0], 5)) {
      case 0 -> state(body);
      case 1 -> state(concat(STATE, body));
      case 2 -> {
        reset();
        STORE.rawPut(null, STATE_KEY, body);
        open();
      }
      case 3 -> anchor(RECORDS.sealAnchor(body), body);
      default -> anchor(body, null);
    }
  }

  private static void state(byte[] plaintext) {
    reset();
    RecordBatch batch = RecordBatch.create();
    RECORDS.putState(batch, plaintext);
    RECORDS.commit(batch);
    open();
  }

  private static void reset() {
    for (byte[] k : STORE.rawKeys(null)) {
      if (!TEMPLATE.containsKey(HexFormat.of().formatHex(k))) {
        STORE.rawPut(null, k, null);
      }
    }
    TEMPLATE.forEach((k, v) -> STORE.rawPut(null, HexFormat.of().parseHex(k), v.clone()));
  }

  private static void open() {
    StoreBootstrap boot;
    try {
      boot = StoreBootstrap.openOrCreate(STORE, PROVIDER, KEY_ID);
    } catch (CorruptionException e) {
      assertThat(e.location()).isIn("store state", "store header");
      assertOneLine(e.getMessage());
      return;
    } catch (KeystoreRollbackException e) {
      assertOneLine(e.getMessage());
      return; // documented: the state records a newer generation than the provider's
    }
    try {
      List<CatalogRecords.CatalogRecord> entries = boot.records().entries();
      try {
        boot.state().checkCatalog(entries);
      } catch (CorruptionException e) {
        assertThat(e.location()).startsWith("catalog entry ");
        assertOneLine(e.getMessage());
        return;
      }
      StoreState s = boot.state().current();
      // format 3 (freshness roots or the freshness mark) is as valid as 2: a fuzzed state may set
      // it
      assertThat(s.getFormatVersion())
          .isIn(SealedState.FORMAT_VERSION, SealedState.FRESH_FORMAT_VERSION);
      assertThat(s.getHeaderSha256().toByteArray())
          .isEqualTo(SealedState.sha256(CatalogRecords.readHeader(STORE)));
      assertThat(s.getCatalogEntrySha256Map()).isEqualTo(CatalogBinding.digests(entries));
      assertThat(SealedState.decode(RECORDS.readState())).isEqualTo(s); // as written
    } finally {
      boot.records().destroy();
    }
  }

  private static void anchor(byte[] sealed, byte[] plaintext) {
    long epoch;
    try {
      epoch = SealedState.anchoredEpoch(RECORDS, sealed, ANCHOR);
    } catch (CorruptionException e) {
      assertThat(e.location()).startsWith("rollback anchor");
      assertOneLine(e.getMessage());
      return;
    }
    assertThat(plaintext).as("only a real seal opens").isNotNull();
    try {
      RollbackAnchor a = RollbackAnchor.parseFrom(plaintext);
      assertThat(a.getFormatVersion()).isEqualTo(1);
      assertThat(a.getEpoch()).isEqualTo(epoch);
    } catch (IOException e) {
      throw new AssertionError("an anchor that opened does not parse", e);
    }
  }

  /** One line of printable characters, as every error message of the engine. */
  static void assertOneLine(String message) {
    assertThat(message).isNotEmpty();
    message
        .codePoints()
        .forEach(
            cp -> {
              int type = Character.getType(cp);
              assertThat(
                      type == Character.CONTROL
                          || type == Character.FORMAT
                          || type == Character.LINE_SEPARATOR
                          || type == Character.PARAGRAPH_SEPARATOR
                          || type == Character.PRIVATE_USE
                          || type == Character.UNASSIGNED
                          || type == Character.SURROGATE
                          || cp == 0xfffd)
                  .as("character U+%04X in %s", cp, message)
                  .isFalse();
            });
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  /** An in-memory provider whose key state is at generation {@link #NOW}, as a keystore's is. */
  static final class GenerationProvider implements KeyProvider {
    final InMemoryKeyProvider in;

    GenerationProvider(InMemoryKeyProvider in) {
      this.in = in;
    }

    @Override
    public String scheme() {
      return in.scheme();
    }

    @Override
    public String principal() {
      return in.principal();
    }

    @Override
    public DataKey generateDataKey(String keyId, EncryptionContext context) {
      return in.generateDataKey(keyId, context);
    }

    @Override
    public WrappedKey encrypt(String keyId, SecretBytes plaintext, EncryptionContext context) {
      return in.encrypt(keyId, plaintext, context);
    }

    @Override
    public SecretBytes decrypt(WrappedKey wrapped, EncryptionContext context) {
      return in.decrypt(wrapped, context);
    }

    @Override
    public WrappedKey reEncrypt(
        WrappedKey wrapped, EncryptionContext context, String destinationKeyId) {
      return in.reEncrypt(wrapped, context, destinationKeyId);
    }

    @Override
    public KeyDescription describeKey(String keyId) {
      return in.describeKey(keyId);
    }

    @Override
    public Optional<StateGeneration> stateGeneration() {
      return Optional.of(NOW);
    }

    @Override
    public void requireStateGeneration(StateGeneration recorded) {
      if (NOW.isOlderThan(recorded)) {
        throw new KeystoreRollbackException(
            "The fuzz key state is at generation "
                + NOW.generation()
                + ", older than the store recorded");
      }
    }

    @Override
    public void close() {}
  }

  /**
   * Writes the seeds: {@code -Dfuzz.state.seeds=DIR} (the corpus directory {@code
   * src/test/resources/dev/coffer/internal/catalog/SealedStateFuzzTestInputs/fuzz}).
   */
  @Test
  @EnabledIfSystemProperty(named = "fuzz.state.seeds", matches = ".+")
  void writeSeeds() throws IOException {
    Path dir = Path.of(System.getProperty("fuzz.state.seeds"));
    Files.createDirectories(dir);
    StoreState real = StoreState.parseFrom(STATE);
    write(dir, "state", 0, STATE);
    write(
        dir,
        "state-format-1",
        0,
        real.toBuilder().setFormatVersion(1).clearCatalogEntrySha256().build().toByteArray());
    write(dir, "state-format-3", 0, real.toBuilder().setFormatVersion(3).build().toByteArray());
    write(
        dir,
        "state-no-catalog",
        0,
        real.toBuilder().clearCatalogEntrySha256().build().toByteArray());
    String id = real.getCatalogEntrySha256Map().keySet().iterator().next();
    write(
        dir,
        "state-older-entry",
        1,
        StoreState.newBuilder()
            .putCatalogEntrySha256(id, ByteString.copyFrom(new byte[32]))
            .build()
            .toByteArray());
    write(
        dir,
        "state-added-entry",
        1,
        StoreState.newBuilder()
            .putCatalogEntrySha256(
                "00112233445566778899aabbccddeeff", ByteString.copyFrom(new byte[32]))
            .build()
            .toByteArray());
    write(
        dir,
        "state-malformed-digest",
        1,
        StoreState.newBuilder()
            .putCatalogEntrySha256("Z\n", ByteString.copyFrom(new byte[3]))
            .build()
            .toByteArray());
    write(
        dir,
        "state-newer-generation",
        1,
        StoreState.newBuilder()
            .setKeyStateGeneration(
                ByteString.copyFrom(StateGeneration.of(NOW.sourceId(), 9).encode()))
            .build()
            .toByteArray());
    write(
        dir,
        "state-malformed-generation",
        1,
        StoreState.newBuilder()
            .setKeyStateGeneration(ByteString.copyFromUtf8("coffer-state-generation-v1:a:b:x"))
            .build()
            .toByteArray());
    write(
        dir,
        "state-other-header",
        1,
        StoreState.newBuilder()
            .setHeaderSha256(ByteString.copyFrom(SealedState.sha256(new byte[1])))
            .build()
            .toByteArray());
    write(dir, "state-epoch", 1, StoreState.newBuilder().setEpoch(42).build().toByteArray());
    byte[] sealed = STORE.raw(null, STATE_KEY);
    write(dir, "sealed-state-truncated", 2, Arrays.copyOf(sealed, sealed.length / 2));
    write(dir, "sealed-state-empty", 2, new byte[0]);
    byte[] anchor =
        RollbackAnchor.newBuilder().setFormatVersion(1).setEpoch(3).build().toByteArray();
    write(dir, "anchor", 3, anchor);
    write(
        dir,
        "anchor-format-2",
        3,
        RollbackAnchor.newBuilder().setFormatVersion(2).setEpoch(3).build().toByteArray());
    write(dir, "anchor-garbage", 3, "not an anchor".getBytes(StandardCharsets.US_ASCII));
    write(dir, "anchor-file-text", 4, "not an anchor".getBytes(StandardCharsets.US_ASCII));
  }

  private static void write(Path dir, String name, int mode, byte[] bytes) throws IOException {
    byte[] out = new byte[bytes.length + 1];
    out[0] = (byte) mode;
    System.arraycopy(bytes, 0, out, 1, bytes.length);
    Files.write(dir.resolve(name), out);
  }
}
