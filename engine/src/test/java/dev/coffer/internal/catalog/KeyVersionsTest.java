package dev.coffer.internal.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.coffer.CorruptionException;
import dev.coffer.internal.keys.SealBudget;
import dev.coffer.internal.keys.StoreKeys;
import dev.coffer.internal.record.DeltaChange;
import dev.coffer.internal.record.Entry;
import dev.coffer.internal.record.NodeFactory;
import dev.coffer.internal.record.PageContent;
import dev.coffer.kms.KeyManagement.CreateKeyRequest;
import dev.coffer.proto.DataKeyState;
import dev.coffer.proto.DataKeyVersion;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Data-key versions on their own: rotation (persisted, racing another rotation or a master-key
 * rotation), the consistent snapshot the re-encryption job starts from, destruction, and the seal
 * counts persisted at commit points.
 */
class KeyVersionsTest {
  private final CatalogFixture store = new CatalogFixture();

  private static KeyVersions versions(CatalogFixture.Open o) {
    return new KeyVersions(o.catalog(), o.keys(), o.dataKeys(), Clock.systemUTC());
  }

  private static List<String> states(TableContext t) {
    return t.entry().getDataKeysList().stream()
        .map(v -> v.getVersion() + " " + v.getState())
        .toList();
  }

  /** Writes one record (a leaf page) sealed under the table's primary version. */
  private static void writeRecord(TableContext t, int token) {
    byte[] tok = new byte[16];
    tok[0] = (byte) token;
    t.records().putNode(tok, 0, new Page());
  }

  /** An empty leaf root. */
  private record Page() implements PageContent {
    @Override
    public boolean isLeaf() {
      return true;
    }

    @Override
    public List<Entry> entries() {
      return List.of();
    }

    @Override
    public List<ByteString> separators() {
      return List.of();
    }

    @Override
    public List<Long> children() {
      return List.of();
    }

    @Override
    public long nextNodeId() {
      return 1;
    }

    @Override
    public int height() {
      return 1;
    }

    @Override
    public long deltaSeqBase() {
      return 0;
    }
  }

  @Test
  void aRotationMakesANewPrimaryAndRetiresTheOldOneDurably() {
    CatalogFixture.Open o = store.open();
    TableContext t = CatalogFixture.create(o.catalog(), "orders");
    writeRecord(t, 1);
    assertThat(versions(o).rotate(t, 0, Runnable::run)).isEqualTo(2);
    assertThat(states(t)).containsExactly("1 DATA_KEY_STATE_RETIRED", "2 DATA_KEY_STATE_PRIMARY");
    assertThat(t.entry().getDataKeys(0).getSeals())
        .isEqualTo(1); // counted seals persisted with the rotation
    assertThat(t.keys().primaryVersion()).isEqualTo(2);
    writeRecord(t, 2);
    assertThat(t.records().versionCounts()).containsOnlyKeys(1, 2);
    TableContext reopened = store.open().catalog().get("orders");
    assertThat(states(reopened)).isEqualTo(states(t));
    assertThat(reopened.keys().liveVersions()).containsExactly(1, 2);
  }

  @Test
  void aRotationThatLostTheRaceReturnsTheWinnersVersion() {
    CatalogFixture.Open o = store.open();
    TableContext t = CatalogFixture.create(o.catalog(), "orders");
    KeyVersions kv = versions(o);
    AtomicInteger commits = new AtomicInteger();
    // another rotation commits between this one's key generation and its commit
    int v =
        kv.rotate(
            t,
            1,
            commit -> {
              if (commits.incrementAndGet() == 1) {
                kv.rotate(t, 0, Runnable::run);
              }
              commit.run();
            });
    assertThat(v).isEqualTo(2); // the winner's: a policy rotation does not rotate twice
    assertThat(states(t)).containsExactly("1 DATA_KEY_STATE_RETIRED", "2 DATA_KEY_STATE_PRIMARY");
    assertThat(kv.rotate(t, 1, Runnable::run)).isEqualTo(2); // no longer the primary: nothing to do
  }

  @Test
  void aRotationRacingAMasterKeyRotationStartsAgainWithTheNewKey() {
    CatalogFixture.Open o = store.open();
    TableContext t = CatalogFixture.create(o.catalog(), "orders");
    StoreKeys keys = o.keys();
    String second = store.provider.createKey(CreateKeyRequest.withDescription("second")).keyId();
    AtomicInteger commits = new AtomicInteger();
    int v =
        versions(o)
            .rotate(
                t,
                0,
                commit -> {
                  if (commits.incrementAndGet() == 1) {
                    StoreKeys.State s = keys.current();
                    keys.rewrapped(s, s.provider(), second, s.header());
                  }
                  commit.run();
                });
    assertThat(commits.get()).isEqualTo(2);
    assertThat(v).isEqualTo(2);
    DataKeyVersion v2 = t.entry().getDataKeys(1);
    assertThat(v2.getWrapped().getMasterKeyId())
        .contains(second.substring(second.lastIndexOf('/') + 1));
  }

  @Test
  void theSnapshotNeverShowsAHalfDoneRotation() {
    CatalogFixture.Open o = store.open();
    TableContext t = CatalogFixture.create(o.catalog(), "orders");
    KeyVersions kv = versions(o);
    assertThat(kv.snapshot(t).retired()).isEmpty();
    assertThat(kv.snapshot(t).primary()).isEqualTo(1);
    kv.rotate(t, 0, Runnable::run);
    KeyVersions.Snapshot s = kv.snapshot(t);
    assertThat(s.retired()).containsExactly(1);
    assertThat(s.primary()).isEqualTo(2);
  }

  @Test
  void destroyedVersionsLoseTheirWrappedKeyAndOpenNothingAgain() {
    CatalogFixture.Open o = store.open();
    TableContext t = CatalogFixture.create(o.catalog(), "orders");
    writeRecord(t, 1);
    KeyVersions kv = versions(o);
    kv.rotate(t, 0, Runnable::run);
    kv.destroy(t, Set.of(1));
    DataKeyVersion v1 = t.entry().getDataKeys(0);
    assertThat(v1.getState()).isEqualTo(DataKeyState.DATA_KEY_STATE_DESTROYED);
    assertThat(v1.hasWrapped()).isFalse();
    assertThat(v1.getDestroyedMillis()).isPositive();
    assertThat(t.keys().pageKey(1)).isNull();
    byte[] tok = new byte[16];
    tok[0] = 1;
    NodeFactory<Object> any =
        new NodeFactory<>() {
          @Override
          public Object leaf(List<Entry> e, long n, int h, long b, List<DeltaChange> d, long next) {
            return e;
          }

          @Override
          public Object inner(List<ByteString> s, List<Long> c, long n, int h, long b) {
            return c;
          }
        };
    assertThatThrownBy(() -> t.records().readNode(tok, 0, any))
        .isInstanceOf(CorruptionException.class)
        .hasMessageContaining("names data-key version 1");
    TableContext reopened =
        store.open().catalog().get("orders"); // a destroyed version is not unwrapped
    assertThat(reopened.keys().liveVersions()).containsExactly(2);
    kv.compactAfterDestroy(t);
  }

  @Test
  void sealCountsArePersistedAtTheFirstCommitPointAfterTheyAreDue() {
    CatalogFixture.Open o = store.open();
    TableContext t = CatalogFixture.create(o.catalog(), "orders");
    KeyVersions kv = versions(o);
    SealBudget budget = t.keys().primaryBudget();
    for (long i = 1; i < SealBudget.PERSIST_INTERVAL / 2; i++) {
      budget.countOne();
    }
    kv.flushSealsIfDue(t);
    assertThat(t.entry().getDataKeys(0).getSeals()).isZero(); // not due yet: no catalog write
    budget.countOne();
    kv.flushSealsIfDue(t);
    assertThat(t.entry().getDataKeys(0).getSeals()).isEqualTo(SealBudget.PERSIST_INTERVAL / 2);
    assertThat(budget.flushDue()).isFalse();
    TableContext reopened = store.open().catalog().get("orders");
    assertThat(reopened.keys().primaryBudget().count())
        .isEqualTo(SealBudget.PERSIST_INTERVAL / 2 + SealBudget.PERSIST_INTERVAL);
  }
}
