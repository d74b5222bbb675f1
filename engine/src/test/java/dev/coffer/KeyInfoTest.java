package dev.coffer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coffer.kms.KeyManagement.CreateKeyRequest;
import dev.coffer.proto.StoreHeader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.ColumnFamilyHandle;

/**
 * Issue 15, finding 7: {@link Coffer#keyInfo()} reports only what is authenticated. Its fields come
 * from the plaintext store header, which the store's sealed state vouches for (the header's
 * SHA-256, under the catalog key): a header edited on disk fails the open, so the master key ARN,
 * the provider scheme and the last rotation that {@code keyInfo()} reports are what Coffer wrote.
 */
class KeyInfoTest {
  private static final byte[] HEADER_KEY = "coffer/header".getBytes(StandardCharsets.US_ASCII);

  @TempDir Path dir;
  private final TestStores stores = new TestStores();

  private void editHeader(UnaryOperator<StoreHeader.Builder> edit) throws Exception {
    try (RawStore raw = new RawStore(dir)) {
      ColumnFamilyHandle def = raw.family("default");
      StoreHeader header = StoreHeader.parseFrom(raw.get(def, HEADER_KEY));
      raw.put(def, HEADER_KEY, edit.apply(header.toBuilder()).build().toByteArray());
    }
  }

  @Test
  void keyInfoReportsTheHeaderCofferWroteAndARotationMovesIt() {
    String other = stores.provider.createKey(CreateKeyRequest.withDescription("next")).keyId();
    try (Coffer c = stores.open(dir)) {
      StoreKeyInfo info = c.keyInfo();
      assertThat(info.masterKeyId()).endsWith(stores.keyId);
      assertThat(info.providerScheme()).isEqualTo("memory");
      assertThat(info.lastMasterKeyRotation()).isNull();
      assertThat(info.accessCheckInterval()).isEqualTo(Duration.ofMinutes(5));
      c.rotateMasterKey(other);
    }
    try (Coffer c = Coffer.open(dir, stores.options().masterKeyId(other).build())) {
      assertThat(c.keyInfo().masterKeyId()).endsWith(other);
      assertThat(c.keyInfo().lastMasterKeyRotation()).isNotNull();
    }
  }

  @Test
  void aHeaderRotationDateForgedOnDiskFailsTheOpen() throws Exception {
    try (Coffer c = stores.open(dir)) {
      c.createTable(TableSpec.builder().name("things").partitionKey("id", AttributeType.S).build());
    }
    editHeader(h -> h.setLastMasterRotationMillis(86_400_000L));
    assertThatThrownBy(() -> stores.open(dir))
        .isInstanceOf(CorruptionException.class)
        .hasMessageContaining("store header was changed");
  }

  @Test
  void aHeaderMasterKeyNameForgedOnDiskFailsTheOpen() throws Exception {
    try (Coffer c = stores.open(dir)) {
      c.createTable(TableSpec.builder().name("things").partitionKey("id", AttributeType.S).build());
    }
    editHeader(
        h ->
            h.setStoreKey(
                h.getStoreKey().toBuilder()
                    .setMasterKeyId("arn:aws:kms:us-east-1:111122223333:key/not-the-real-one")));
    assertThatThrownBy(() -> stores.open(dir))
        .isInstanceOf(CorruptionException.class)
        .hasMessageContaining("store header was changed");
  }
}
