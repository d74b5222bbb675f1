package dev.coffer;

import dev.coffer.kms.KeyDescription;
import dev.coffer.kms.KeyManagement.CreateKeyRequest;
import dev.coffer.kms.memory.InMemoryKeyProvider;
import java.nio.file.Path;

/** Shared fixtures: an in-memory key provider with one master key, and store options for it. */
final class TestStores {
  final InMemoryKeyProvider provider;
  final String keyId;

  TestStores() {
    provider = InMemoryKeyProvider.create();
    KeyDescription key = provider.createKey(CreateKeyRequest.withDescription("coffer test"));
    keyId = key.keyId();
  }

  CofferOptions.Builder options() {
    return CofferOptions.builder().keyProvider(provider).masterKeyId(keyId);
  }

  Coffer open(Path dir) {
    return Coffer.open(dir, options().build());
  }

  Coffer open(Path dir, long cacheBytes) {
    return Coffer.open(dir, options().pageCacheBytes(cacheBytes).build());
  }
}
