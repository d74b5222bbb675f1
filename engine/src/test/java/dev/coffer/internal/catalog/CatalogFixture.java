package dev.coffer.internal.catalog;

import dev.coffer.AttributeType;
import dev.coffer.KeySchema;
import dev.coffer.internal.keys.DataKeys;
import dev.coffer.internal.keys.EngineAudit;
import dev.coffer.internal.keys.StoreKeys;
import dev.coffer.internal.record.CatalogRecords;
import dev.coffer.internal.record.MemoryRecordStore;
import dev.coffer.kms.KeyManagement.CreateKeyRequest;
import dev.coffer.kms.KeyProvider;
import dev.coffer.kms.audit.AuditRecord;
import dev.coffer.kms.memory.InMemoryKeyProvider;
import dev.coffer.proto.TableOptions;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A store's catalog over an in-memory backend and key provider, opened and reopened as a store
 * would be.
 */
final class CatalogFixture {
  final MemoryRecordStore backend = new MemoryRecordStore();
  final InMemoryKeyProvider provider = InMemoryKeyProvider.create();
  final String keyId =
      provider.createKey(CreateKeyRequest.withDescription("catalog tests")).keyId();
  final List<AuditRecord> audit = new CopyOnWriteArrayList<>();

  /** One open catalog and what it was opened with. */
  record Open(Catalog catalog, StoreKeys keys, DataKeys dataKeys) {}

  /** Opens (or creates) the store's catalog, as {@code Coffer.open} does. */
  Open open() {
    return open(provider);
  }

  Open open(KeyProvider with) {
    StoreBootstrap boot = StoreBootstrap.openOrCreate(backend, with, keyId);
    StoreKeys keys = boot.keys();
    DataKeys dataKeys = new DataKeys(keys);
    Catalog catalog =
        Catalog.load(
            backend,
            new CatalogRecords(backend, keys.storeId(), boot.catalogKey()),
            keys,
            dataKeys,
            Clock.systemUTC(),
            new EngineAudit(audit::add, Clock.systemUTC(), keys::principal));
    return new Open(catalog, keys, dataKeys);
  }

  static TableContext create(Catalog catalog, String name) {
    return catalog.create(
        name,
        KeySchema.of("pk", AttributeType.S, "sk", AttributeType.N),
        TableOptions.newBuilder().setPageTargetBytes(4096).build(),
        Runnable::run);
  }

  /** The audit messages of the engine's records with {@code action}. */
  List<String> messages(String action) {
    return audit.stream().filter(r -> r.action().equals(action)).map(AuditRecord::message).toList();
  }
}
