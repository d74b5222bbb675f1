package dev.coffer.internal.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.coffer.CorruptionException;
import dev.coffer.WalRecovery;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link FreshStore} at open over a real embedded store and a state in memory: when a map is built
 * from the records as found (only while the state does not say freshness is on), and what a record
 * key no map can hold does.
 */
class FreshStoreTest {
  @TempDir Path dir;

  /** A state in memory: roots and the mark, committed with the batch. */
  private static final class State implements FreshStore.StateSink {
    final RecordStore store;
    final Map<String, ByteString> roots = new HashMap<>();
    boolean enabled;

    State(RecordStore store) {
      this.store = store;
    }

    @Override
    public synchronized Map<String, ByteString> freshnessRoots() {
      return Map.copyOf(roots);
    }

    @Override
    public synchronized boolean freshnessEnabled() {
      return enabled;
    }

    @Override
    public synchronized void commitFreshness(
        RecordBatch batch, Map<String, byte[]> next, Boolean on) {
      store.commit(batch);
      next.forEach(
          (k, v) -> {
            if (v == null) {
              roots.remove(k);
            } else {
              roots.put(k, ByteString.copyFrom(v));
            }
          });
      if (on != null) {
        enabled = on;
      }
    }
  }

  private static final byte[] TABLE = new byte[16];

  private static byte[] key(int i) {
    byte[] k = new byte[RecordKeys.NODE_KEY_BYTES];
    k[0] = (byte) i;
    k[k.length - 1] = (byte) i;
    return k;
  }

  @Test
  void aTableWithoutARootIsMappedAsFoundOnlyBeforeTheStateSaysFreshnessIsOn() {
    try (RecordStore raw = RecordStore.openRocksDb(dir, true, false, WalRecovery.TORN_TAIL_ONLY)) {
      RecordStore.Namespace ns = raw.createTable(TABLE, "t");
      raw.put(ns, key(1), new byte[] {1});
      State state = new State(raw);

      // the first open with freshness: mapped as found, then the state marked
      FreshStore first = new FreshStore(raw, 1 << 20);
      first.bind(state);
      first.coverAll(true);
      assertThat(state.enabled).isTrue();
      assertThat(state.roots).containsKey("00".repeat(16));
      assertThat(first.get(first.table(TABLE, "t"), key(1))).containsExactly(1);

      // the root removed while the state says freshness is on: refused, not rebuilt as found
      state.roots.clear();
      FreshStore again = new FreshStore(raw, 1 << 20);
      again.bind(state);
      assertThatThrownBy(() -> again.coverAll(true))
          .isInstanceOf(CorruptionException.class)
          .hasMessageContaining("has no freshness root");

      // an empty table without a root (a CreateTable a crash interrupted): an empty map
      raw.delete(ns, key(1));
      FreshStore empty = new FreshStore(raw, 1 << 20);
      empty.bind(state);
      empty.coverAll(true);
      assertThat(state.roots.get("00".repeat(16))).isEqualTo(ByteString.EMPTY);
    }
  }

  /**
   * The ClientRequestToken records' map is built as found whenever the state has no root for it,
   * even once the state says freshness is on (a store an earlier build kept with freshness on,
   * which mapped no token record); from then on a token record removed underneath fails its
   * look-up, and writes and deletes through the store keep the map right. No table takes its id.
   */
  @Test
  void tokenRecordsAreMappedAsFoundWhenTheStateHasNoRootForThemEvenWithFreshnessOn() {
    try (RecordStore raw = RecordStore.openRocksDb(dir, true, false, WalRecovery.TORN_TAIL_ONLY)) {
      RecordStore.Namespace store = raw.storeNamespace();
      byte[] a = RecordKeys.clientToken(digest(1));
      byte[] b = RecordKeys.clientToken(digest(2));
      raw.put(store, a, new byte[] {1});
      raw.put(store, b, new byte[] {2});
      raw.put(store, RecordKeys.freshNode(FreshStore.TOKEN_MAP_ID, 4, 7), new byte[] {9}); // left
      State state = new State(raw);
      state.enabled = true;

      FreshStore first = new FreshStore(raw, 1 << 20);
      first.bind(state);
      first.coverAll(true);
      assertThat(state.roots.get(FreshStore.TOKEN_MAP_HEX)).isNotEqualTo(ByteString.EMPTY);
      assertThat(raw.get(store, RecordKeys.freshNode(FreshStore.TOKEN_MAP_ID, 4, 7)))
          .as("a node left under the id is deleted before the build")
          .isNull();
      assertThat(first.get(store, a)).containsExactly(1);
      assertThat(first.tableIdUsable(FreshStore.TOKEN_MAP_ID)).isFalse();
      first.delete(store, b); // through the store: the map follows
      byte[] c = RecordKeys.clientToken(digest(3));
      RecordBatch batch = RecordBatch.create();
      batch.put(store, c, new byte[] {3});
      first.commit(batch);

      raw.delete(store, a); // underneath
      FreshStore next = new FreshStore(raw, 1 << 20);
      next.bind(state);
      next.coverAll(true);
      assertThat(next.get(store, b)).isNull();
      assertThat(next.get(store, c)).containsExactly(3);
      assertThatThrownBy(() -> next.get(store, a))
          .isInstanceOf(CorruptionException.class)
          .hasMessageContaining("the freshness map of the store's ClientRequestToken records")
          .hasMessageContaining("ClientRequestToken record " + "01".repeat(16))
          .satisfies(e -> assertThat(((CorruptionException) e).tableName()).isNull());
    }
  }

  private static byte[] digest(int i) {
    byte[] d = new byte[RecordKeys.TOKEN_DIGEST_BYTES];
    Arrays.fill(d, (byte) i);
    return d;
  }

  @Test
  void aPlantedKeyLongerThanAMapHoldsIsCorruptionNamingTheTable() {
    try (RecordStore raw = RecordStore.openRocksDb(dir, true, false, WalRecovery.TORN_TAIL_ONLY)) {
      RecordStore.Namespace ns = raw.createTable(TABLE, "planted");
      raw.put(ns, new byte[300], new byte[] {1});
      FreshStore fresh = new FreshStore(raw, 1 << 20);
      fresh.bind(new State(raw));
      fresh.table(TABLE, "planted");
      assertThatThrownBy(() -> fresh.coverAll(true))
          .isInstanceOf(CorruptionException.class)
          .hasMessageContaining("300 bytes")
          .satisfies(e -> assertThat(((CorruptionException) e).tableName()).isEqualTo("planted"));
    }
  }

  @Test
  void dropTableRemovesTheRootAndTheNodes() {
    try (RecordStore raw = RecordStore.openRocksDb(dir, true, false, WalRecovery.TORN_TAIL_ONLY)) {
      State state = new State(raw);
      FreshStore fresh = new FreshStore(raw, 1 << 20);
      fresh.bind(state);
      fresh.coverAll(true);
      RecordStore.Namespace ns = fresh.createTable(TABLE, "t");
      fresh.put(ns, key(1), new byte[] {1});
      String hex = "00".repeat(16);
      assertThat(state.roots.get(hex)).isNotEqualTo(ByteString.EMPTY);
      assertThat(nodes(raw)).isPositive();
      fresh.dropTable(TABLE);
      assertThat(state.roots).doesNotContainKey(hex);
      assertThat(nodes(raw)).isZero();
    }
  }

  private static int nodes(RecordStore raw) {
    byte[] prefix = RecordKeys.freshPrefix(TABLE);
    int n = 0;
    try (RecordCursor c = raw.cursor(raw.storeNamespace(), false)) {
      for (c.seek(prefix); c.valid() && RecordKeys.startsWith(c.key(), prefix); c.next()) {
        n++;
      }
    }
    return n;
  }
}
