package dev.coffer.spi;

/**
 * The SPI contract, held by the in-memory test backend that the engine's shared-backend tests use.
 */
class MemoryBackendContractTest extends RecordBackendContract {
  @Override
  protected RecordBackend newBackend() {
    return new MemoryBackend(4096);
  }
}
