package dev.coffer.internal.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coffer.AttributeType;
import dev.coffer.CorruptionException;
import dev.coffer.KeySchema;
import dev.coffer.ResourceInUseException;
import dev.coffer.ResourceNotFoundException;
import dev.coffer.StorageException;
import dev.coffer.internal.keys.EngineAudit;
import dev.coffer.internal.keys.StoreKeys;
import dev.coffer.kms.KeyManagement.CreateKeyRequest;
import dev.coffer.proto.DataKeyState;
import dev.coffer.proto.DataKeyVersion;
import dev.coffer.proto.TableOptions;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The catalog's crash protocol, on its own: a crash at every step of CreateTable and DeleteTable
 * leaves a store that opens into the state before or after the step, and a store that lost an entry
 * or a namespace refuses to open rather than drop a table.
 */
class CatalogTest {
  private final CatalogFixture store = new CatalogFixture();

  @Test
  void aCreatedTableIsThereAfterAReopen() {
    CatalogFixture.Open first = store.open();
    TableContext t = CatalogFixture.create(first.catalog(), "orders");
    assertThatThrownBy(() -> CatalogFixture.create(first.catalog(), "orders"))
        .isInstanceOf(ResourceInUseException.class);
    CatalogFixture.Open again = store.open();
    assertThat(again.catalog().names()).containsExactly("orders");
    TableContext reopened = again.catalog().get("orders");
    assertThat(reopened.tableIdHex()).isEqualTo(t.tableIdHex());
    assertThat(reopened.schema().hasSortKey()).isTrue();
    assertThat(reopened.keys().primaryVersion()).isEqualTo(1);
    assertThat(store.backend.tableIds()).hasSize(1);
  }

  @Test
  void testRecoverACrashAfterTheMarkerLeavesNoTable() {
    CatalogFixture.Open first = store.open();
    store.backend.crashAt("createTable"::equals); // the marker is written, the namespace is not
    assertThatThrownBy(() -> CatalogFixture.create(first.catalog(), "orders"))
        .isInstanceOf(StorageException.class);
    store.backend.restart();
    CatalogFixture.Open again = store.open();
    assertThat(again.catalog().names()).isEmpty();
    assertThat(store.backend.tableIds()).isEmpty();
    assertThat(store.backend.rawKeys(null)).hasSize(1); // the header only: the marker was deleted
  }

  @Test
  void testRecoverACrashBeforeTheEntryDropsTheNamespace() {
    CatalogFixture.Open first = store.open();
    AtomicInteger commits = new AtomicInteger();
    store.backend.crashAt(
        op -> op.equals("commit") && commits.incrementAndGet() == 2); // marker, namespace, then
    assertThatThrownBy(() -> CatalogFixture.create(first.catalog(), "orders"))
        .isInstanceOf(StorageException.class);
    assertThat(store.backend.tableIds()).hasSize(1); // what the crash left: marker and namespace
    store.backend.restart();
    CatalogFixture.Open again = store.open();
    assertThat(again.catalog().names()).isEmpty();
    assertThat(store.backend.tableIds()).isEmpty();
    assertThat(store.backend.rawKeys(null)).hasSize(1);
    CatalogFixture.create(again.catalog(), "orders"); // and the name is free
  }

  @Test
  void aFailedEntryWriteWithoutACrashRollsTheCreateBack() {
    CatalogFixture.Open first = store.open();
    AtomicInteger commits = new AtomicInteger();
    store.backend.crashAt(op -> op.equals("commit") && commits.incrementAndGet() == 2);
    assertThatThrownBy(() -> CatalogFixture.create(first.catalog(), "orders"))
        .isInstanceOf(StorageException.class);
    assertThat(first.catalog().names()).isEmpty();
    assertThatThrownBy(() -> first.catalog().get("orders"))
        .isInstanceOf(ResourceNotFoundException.class);
  }

  @Test
  void testRecoverADeleteInterruptedAfterItsFirstStepIsFinishedAtOpen() {
    CatalogFixture.Open first = store.open();
    TableContext t = CatalogFixture.create(first.catalog(), "orders");
    store.backend.crashAt("dropTable"::equals); // step 1 written, then the process dies
    assertThatThrownBy(() -> first.catalog().drop("orders")).isInstanceOf(StorageException.class);
    assertThat(t.keys().pageKey(1).isDestroyed()).isTrue();
    assertThat(store.messages(EngineAudit.DELETE_TABLE))
        .singleElement()
        .asString()
        .contains("keys destroyed");
    store.backend.restart();
    assertThat(store.backend.tableIds()).hasSize(1);
    CatalogFixture.Open again = store.open();
    assertThat(again.catalog().names()).isEmpty();
    assertThat(store.backend.tableIds()).isEmpty();
    assertThat(store.backend.rawKeys(null)).hasSize(1); // the entry is gone too
    assertThat(store.messages(EngineAudit.DELETE_TABLE))
        .last()
        .asString()
        .contains("resumed at open");
  }

  @Test
  void aDeleteRemovesNamespaceAndEntry() {
    CatalogFixture.Open first = store.open();
    TableContext t = CatalogFixture.create(first.catalog(), "orders");
    first.catalog().drop("orders");
    assertThatThrownBy(t::checkLive).isInstanceOf(ResourceNotFoundException.class);
    assertThat(store.backend.tableIds()).isEmpty();
    assertThat(store.backend.rawKeys(null)).hasSize(1);
    assertThat(store.messages(EngineAudit.DELETE_TABLE)).hasSize(2);
  }

  @Test
  void aNamespaceWithoutEntryOrMarkerStopsTheOpen() {
    CatalogFixture.Open first = store.open();
    TableContext t = CatalogFixture.create(first.catalog(), "orders");
    byte[] entryKey =
        store.backend.rawKeys(null).stream()
            .filter(k -> new String(k, StandardCharsets.US_ASCII).startsWith("coffer/catalog/"))
            .findFirst()
            .orElseThrow();
    store.backend.rawPut(null, entryKey, null); // the entry is lost
    assertThatThrownBy(store::open)
        .isInstanceOf(CorruptionException.class)
        .hasMessageContaining(t.tableIdHex());
    assertThat(store.backend.tableIds()).hasSize(1); // nothing was dropped
  }

  @Test
  void anEntryWithoutItsNamespaceStopsTheOpen() {
    CatalogFixture.Open first = store.open();
    TableContext t = CatalogFixture.create(first.catalog(), "orders");
    store.backend.dropTable(t.tableId());
    assertThatThrownBy(store::open)
        .isInstanceOf(CorruptionException.class)
        .hasMessageContaining(t.tableIdHex());
  }

  @Test
  void aTamperedEntryStopsTheOpenNamingIt() {
    CatalogFixture.Open first = store.open();
    TableContext t = CatalogFixture.create(first.catalog(), "orders");
    for (byte[] k : store.backend.rawKeys(null)) {
      if (new String(k, StandardCharsets.US_ASCII).startsWith("coffer/catalog/")) {
        byte[] v = store.backend.raw(null, k);
        v[v.length - 1] ^= 1;
        store.backend.rawPut(null, k, v);
      }
    }
    assertThatThrownBy(store::open)
        .isInstanceOf(CorruptionException.class)
        .hasMessageContaining("catalog entry " + t.tableIdHex());
  }

  @Test
  void aCreateRacingAMasterKeyRotationStartsAgainWithTheNewKey() {
    CatalogFixture.Open first = store.open();
    StoreKeys keys = first.keys();
    String second = store.provider.createKey(CreateKeyRequest.withDescription("second")).keyId();
    AtomicInteger commits = new AtomicInteger();
    // a rotation commits between the first attempt's key generation and its commit
    TableContext t =
        first
            .catalog()
            .create(
                "orders",
                KeySchema.of("pk", AttributeType.S),
                TableOptions.newBuilder().setPageTargetBytes(4096).build(),
                commit -> {
                  if (commits.incrementAndGet() == 1) {
                    StoreKeys.State s = keys.current();
                    keys.rewrapped(s, s.provider(), second, s.header());
                  }
                  commit.run();
                });
    assertThat(commits.get()).isEqualTo(2);
    DataKeyVersion v1 = t.entry().getDataKeys(0);
    assertThat(v1.getState()).isEqualTo(DataKeyState.DATA_KEY_STATE_PRIMARY);
    assertThat(v1.getWrapped().getMasterKeyId())
        .contains(second.substring(second.lastIndexOf('/') + 1));
    assertThat(t.entry().getIndexKey().getMasterKeyId())
        .contains(second.substring(second.lastIndexOf('/') + 1));
    assertThat(store.backend.tableIds()).hasSize(1); // the first attempt wrote nothing
  }
}
