package dev.coffer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coffer.kms.KeyManagement.CreateKeyRequest;
import dev.coffer.kms.memory.InMemoryKeyProvider;
import dev.coffer.proto.StoreHeader;
import dev.coffer.spi.BackendRecord;
import dev.coffer.spi.MemoryBackend;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A store in a shared backend is written in store format 4 (layout 2 of {@code docs/scale-out.md});
 * one whose header says format 2 or 3 was written in layout 1, and is refused, naming the way to
 * migrate, with nothing written. (The same against dynalite, with the header as layout 1 stored it:
 * {@code SharedLayoutTest} in {@code store-dynamodb}.)
 */
class SharedLayoutVersionTest {
  private static final byte[] STORE = "coffer/store".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] HEADER = "coffer/header".getBytes(StandardCharsets.US_ASCII);

  @ParameterizedTest
  @ValueSource(ints = {2, 3})
  void aStoreInLayout1IsRefusedWithTheWayToMigrate(int format) throws Exception {
    InMemoryKeyProvider provider = InMemoryKeyProvider.create();
    String key = provider.createKey(CreateKeyRequest.withDescription("layout")).keyId();
    MemoryBackend memory = new MemoryBackend();
    CofferOptions options =
        CofferOptions.builder().keyProvider(provider).masterKeyId(key).backend(memory).build();
    try (Coffer c = Coffer.open(options)) {
      c.createTable(TableSpec.builder().name("things").partitionKey("id", AttributeType.S).build())
          .putItem(Item.builder().string("id", "k").build());
    }
    BackendRecord header = memory.get(STORE, HEADER);
    StoreHeader written = StoreHeader.parseFrom(header.value());
    assertThat(written.getFormatVersion()).isEqualTo(4);
    memory.rawPut(
        STORE,
        HEADER,
        written.toBuilder().setFormatVersion(format).build().toByteArray(),
        header.version());
    List<BackendRecord> before = memory.all();

    assertThatThrownBy(() -> Coffer.open(options))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("layout 1 of the shared record backend (store format " + format + ")")
        .hasMessageContaining("reads layout 2 (store format 4")
        .hasMessageContaining("export --table-name")
        .hasMessageContaining("import --table-name");
    assertThat(memory.all()).usingRecursiveFieldByFieldElementComparator().isEqualTo(before);
  }
}
