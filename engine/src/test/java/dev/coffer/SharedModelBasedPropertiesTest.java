package dev.coffer;

import dev.coffer.spi.MemoryBackend;

/**
 * {@link ModelBasedPropertiesTest} over a shared record backend (in memory, with values of at most
 * 1 KiB, so that large nodes are split into chunks): copy-on-write changes, conditional root swaps,
 * index-ordered scans.
 */
class SharedModelBasedPropertiesTest extends ModelBasedPropertiesTest {
  @Override
  BackendFixture fixture() {
    return BackendFixture.shared("memory", () -> new MemoryBackend(1024));
  }
}
