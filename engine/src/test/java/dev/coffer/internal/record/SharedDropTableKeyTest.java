package dev.coffer.internal.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coffer.CorruptionException;
import dev.coffer.spi.MemoryBackend;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * On a shared backend a table's records are found by its 4-byte table key, so dropping a table
 * whose table key's reservation names another table id would delete that other table's records: the
 * drop checks the reservation first and refuses, deleting nothing.
 */
class SharedDropTableKeyTest {
  private static byte[] id(int last) {
    byte[] id = new byte[16];
    Arrays.fill(id, (byte) 7);
    id[15] = (byte) last;
    return id;
  }

  @Test
  void dropOfATableWhoseTableKeyIsReservedForAnotherTableIsRefusedAndDeletesNothing() {
    MemoryBackend backend = new MemoryBackend();
    SharedRecordStore store = SharedRecordStore.open(backend, false);
    byte[] a = id(1);
    byte[] b = id(2); // same first four bytes: the same table key
    store.createTable(a, "a");
    byte[] token = new byte[RecordKeys.TOKEN_BYTES];
    backend.rawPut(SharedKeys.indexPartition(a, 0), token, new byte[0], 1);
    backend.rawPut(SharedKeys.nodePartition(a, token), SharedKeys.nodeSort(0), new byte[] {1}, 1);
    int before = backend.all().size();

    assertThatThrownBy(() -> store.dropTable(b))
        .isInstanceOf(CorruptionException.class)
        .hasMessageContaining("names another table")
        .hasMessageContaining("nothing was deleted");
    assertThat(backend.all()).hasSize(before);
    assertThat(backend.get(SharedKeys.nodePartition(a, token), SharedKeys.nodeSort(0))).isNotNull();

    store.dropTable(a); // its own reservation: dropped
    assertThat(backend.get(SharedKeys.nodePartition(a, token), SharedKeys.nodeSort(0))).isNull();
  }

  @Test
  void dropOfATableWithoutAReservationIsRefused() {
    MemoryBackend backend = new MemoryBackend();
    SharedRecordStore store = SharedRecordStore.open(backend, false);
    assertThatThrownBy(() -> store.dropTable(id(3)))
        .isInstanceOf(CorruptionException.class)
        .hasMessageContaining("is missing");
  }
}
