package dev.coffer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coffer.proto.SealedPage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.ColumnFamilyHandle;

/**
 * After re-encryption destroys a data-key version, no live file of the store directory holds it:
 * not its wrapped key blob, not a catalog record that carried it, not a page sealed under it.
 */
class DestroyedVersionRemovalTest {
  @TempDir Path dir;

  private final TestStores stores = new TestStores();

  private static Item order(int customer, int n) {
    return Item.builder()
        .string("customer", "c" + customer)
        .number("n", n)
        .string("payload", "p" + customer + "-" + n + "-".repeat(40))
        .build();
  }

  private static boolean contains(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }

  /** The files under the store directory that contain {@code needle}. */
  private List<Path> filesContaining(byte[] needle) throws Exception {
    List<Path> found = new ArrayList<>();
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.filter(Files::isRegularFile).toList()) {
        if (contains(Files.readAllBytes(p), needle)) {
          found.add(p);
        }
      }
    }
    return found;
  }

  @Test
  void noWrappedFormOrPageOfADestroyedVersionRemainsInAnyLiveFile() throws Exception {
    String tableId;
    byte[] blob;
    try (Coffer c = stores.open(dir)) {
      Table t =
          c.createTable(
              TableSpec.builder()
                  .name("orders")
                  .partitionKey("customer", AttributeType.S)
                  .sortKey("n", AttributeType.N)
                  .pageTargetBytes(512)
                  .build());
      tableId = t.describe().tableId();
      for (int i = 0; i < 20; i++) {
        for (int n = 0; n < 10; n++) {
          t.putItem(order(i, n));
        }
      }
      assertThat(t.rotateDataKey()).isEqualTo(2);
      blob =
          c.catalog()
              .get("orders")
              .entry()
              .getDataKeys(0)
              .getWrapped()
              .getCiphertextBlob()
              .toByteArray();
      assertThat(blob).isNotEmpty();
    }
    // What is on disk now while version 1 is RETIRED: catalog records that carry its wrapped key,
    // and pages sealed under it.
    List<byte[]> needles = new ArrayList<>();
    needles.add(blob);
    try (RawStore raw = new RawStore(dir)) {
      byte[] tableIdBytes = HexFormat.of().parseHex(tableId);
      needles.add(raw.get(raw.families().get("default"), RawStore.catalogKey(tableIdBytes)));
      ColumnFamilyHandle cf = raw.family(tableId);
      int pages = 0;
      for (Map.Entry<byte[], byte[]> e : raw.entries(cf).entrySet()) {
        for (byte[] record : RawStore.split(e.getValue())) {
          if (SealedPage.parseFrom(record).getKeyVersion() == 1 && pages++ < 5) {
            needles.add(record);
          }
        }
      }
      assertThat(pages).isPositive();
    }
    for (byte[] needle : needles.subList(1, needles.size())) {
      assertThat(filesContaining(needle)).isNotEmpty();
    }
    try (Coffer c = stores.open(dir)) {
      Table t = c.table("orders");
      ReencryptResult r = t.reencrypt(ReencryptOptions.defaults());
      assertThat(r.destroyedVersions()).containsExactly(1);
      // checked while the store is open: the destruction itself must have removed them
      for (byte[] needle : needles) {
        assertThat(filesContaining(needle)).isEmpty();
      }
      assertThat(t.getItem(Key.of(AttributeValue.s("c3"), AttributeValue.n(4))))
          .contains(order(3, 4));
    }
    for (byte[] needle : needles) {
      assertThat(filesContaining(needle)).isEmpty();
    }
  }
}
