package dev.coffer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coffer.kms.KeyManagement.CreateKeyRequest;
import dev.coffer.kms.SecretBytes;
import dev.coffer.kms.audit.AuditSink;
import dev.coffer.kms.local.LocalKeyProvider;
import dev.coffer.spi.MemoryBackend;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15 on a shared record backend (docs/scale-out.md, "Not done yet"): a store there keeps no
 * sealed store state and takes no rollback anchor, even with a {@code local:} provider whose
 * keystore would give the anchor a default place, and instances that rewrap the master key go on
 * opening it.
 */
class SharedSealedStateTest {
  private static final byte[] HEADER_KEY = "coffer/header".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] STATE_KEY = "coffer/state".getBytes(StandardCharsets.US_ASCII);

  @TempDir Path dir;

  @Test
  void aStoreInASharedBackendKeepsNoSealedStateAndNoRollbackAnchor() {
    byte[] raw = new byte[32];
    new SecureRandom().nextBytes(raw);
    Path keystore = dir.resolve("keystore");
    MemoryBackend memory = new MemoryBackend();
    try (LocalKeyProvider keys =
        LocalKeyProvider.builder()
            .keystore(keystore)
            .rawKey(SecretBytes.copyOf(raw))
            .auditSink(AuditSink.none())
            .build()) {
      String first = keys.createKey(CreateKeyRequest.withDescription("first")).keyId();
      String second = keys.createKey(CreateKeyRequest.withDescription("second")).keyId();
      CofferOptions.Builder options = CofferOptions.builder().keyProvider(keys).backend(memory);
      try (Coffer a = Coffer.open(options.masterKeyId(first).build());
          Coffer b = Coffer.open(options.masterKeyId(first).build())) {
        a.createTable(
                TableSpec.builder().name("things").partitionKey("id", AttributeType.S).build())
            .putItem(Item.builder().string("id", "x").build());
        a.rotateMasterKey(second); // a header change from one instance
        assertThat(b.path()).isNull();
      }
      try (Coffer c = Coffer.open(options.masterKeyId(second).build())) {
        assertThat(c.table("things").getItem(Key.of("x"))).isPresent();
      }
    }
    assertThat(Files.exists(dir.resolve("keystore.anchors")))
        .as("no rollback anchor directory")
        .isFalse();
    // the store's own records live under their RecordKeys keys as sort keys (SharedKeys): the
    // header
    // is there, the state is not
    assertThat(memory.all())
        .anyMatch(r -> Arrays.equals(r.sortKey(), HEADER_KEY))
        .noneMatch(r -> Arrays.equals(r.sortKey(), STATE_KEY));
  }
}
