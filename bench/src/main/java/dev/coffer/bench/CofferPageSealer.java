package dev.coffer.bench;

/**
 * The {@code coffer-page} cipher of {@link CipherBenchmark}: the engine's page seal and open.
 *
 * <p>PLACEHOLDER until the engine's page cipher ({@code dev.coffer.internal.page}) is merged into
 * this branch: it refuses to be created, so {@code -p cipher=coffer-page} fails loudly rather than
 * measuring something else.
 */
final class CofferPageSealer implements CipherBenchmark.Sealer {
  CofferPageSealer(byte[] key, byte[] associatedData) {
    throw new UnsupportedOperationException("the engine's page cipher is not merged into bench yet");
  }

  @Override
  public byte[] seal(byte[] plaintext) {
    throw new UnsupportedOperationException();
  }

  @Override
  public byte[] open(byte[] sealed) {
    throw new UnsupportedOperationException();
  }
}
