package dev.coffer.internal.record;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coffer.AttributeType;
import dev.coffer.Coffer;
import dev.coffer.CofferOptions;
import dev.coffer.EngineAccess;
import dev.coffer.Item;
import dev.coffer.Key;
import dev.coffer.TableSpec;
import dev.coffer.kms.KeyManagement.CreateKeyRequest;
import dev.coffer.kms.memory.InMemoryKeyProvider;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A damaged log that RocksDB no longer needs (its writes are in the table files; a crash came
 * between a flush and the log's deletion) does not stop the open: RocksDB says which logs it still
 * needs, and the damage in an older one is noted and ignored.
 */
class ObsoleteLogTest {
  @TempDir Path dir;

  @Test
  void damageInALogRocksDbNoLongerNeedsIsIgnored() throws Exception {
    InMemoryKeyProvider keys = InMemoryKeyProvider.create();
    CofferOptions options =
        CofferOptions.builder()
            .keyProvider(keys)
            .masterKeyId(keys.createKey(CreateKeyRequest.withDescription("t")).keyId())
            .build();
    try (Coffer c = Coffer.open(dir, options)) {
      c.createTable(TableSpec.builder().name("things").partitionKey("pk", AttributeType.S).build())
          .putItem(Item.builder().string("pk", "a").build());
      c.flush();
    }
    // an old log as a crash could leave it: a record torn at an odd offset, then a newer log
    Path old = dir.resolve("000001.log");
    WalWriter w = new WalWriter(0).add(WalWriter.batch(1, 1, 300));
    byte[] bytes = w.torn().bytes();
    Files.write(old, java.util.Arrays.copyOf(bytes, bytes.length - 5));
    assertThat(WalInspector.inspect(dir).damage().log().path).isEqualTo(old);
    RecordStore[] backend = new RecordStore[1];
    try (Coffer c = EngineAccess.open(dir, options, backend)) {
      assertThat(backend[0].recoveryNotes())
          .singleElement()
          .asString()
          .contains("Ignored the damaged write-ahead log " + old)
          .contains("RocksDB no longer needs it");
      assertThat(c.table("things").getItem(Key.of("a"))).isPresent();
    }
    assertThat(old).doesNotExist();
  }
}
