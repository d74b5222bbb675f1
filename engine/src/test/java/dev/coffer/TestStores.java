package dev.coffer;

import dev.coffer.kms.KeyDescription;
import dev.coffer.kms.KeyManagement.CreateKeyRequest;
import dev.coffer.kms.memory.InMemoryKeyProvider;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Shared fixtures: an in-memory key provider with one master key, and store options for it. */
final class TestStores {
  final InMemoryKeyProvider provider;
  final String keyId;
  private Path anchors;

  TestStores() {
    provider = InMemoryKeyProvider.create();
    KeyDescription key = provider.createKey(CreateKeyRequest.withDescription("coffer test"));
    keyId = key.keyId();
  }

  CofferOptions.Builder options() {
    return CofferOptions.builder().keyProvider(provider).masterKeyId(keyId);
  }

  /**
   * Options with freshness on and a rollback anchor (which freshness needs) in a new directory
   * under target/.
   */
  CofferOptions.Builder freshOptions() {
    return anchoredOptions().freshness(true);
  }

  /**
   * Options with a rollback anchor, in a directory under target/ made for this object (the same for
   * every call, so a store reopened finds its anchor; anchors are named by store).
   */
  synchronized CofferOptions.Builder anchoredOptions() {
    try {
      if (anchors == null) {
        Files.createDirectories(Path.of("target"));
        anchors = Files.createTempDirectory(Path.of("target"), "anchors");
      }
      return options().rollbackAnchorDirectory(anchors);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  Coffer open(Path dir) {
    return Coffer.open(dir, options().build());
  }

  Coffer open(Path dir, long cacheBytes) {
    return Coffer.open(dir, options().pageCacheBytes(cacheBytes).build());
  }
}
