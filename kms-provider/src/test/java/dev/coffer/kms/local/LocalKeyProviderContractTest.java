package dev.coffer.kms.local;

import dev.coffer.kms.KeyManagement;
import dev.coffer.kms.KeyProvider;
import dev.coffer.kms.audit.AuditRecord;
import dev.coffer.kms.contract.KeyProviderContractTest;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the provider contract against {@link LocalKeyProvider} on a keystore in a temporary
 * directory (with a space in its name), with cheap Argon2id costs.
 */
class LocalKeyProviderContractTest extends KeyProviderContractTest {
  @TempDir Path dir;

  @Override
  protected Fixture newFixture(MutableClock clock) {
    List<AuditRecord> records = new CopyOnWriteArrayList<>();
    LocalKeyProvider owner =
        LocalKeyProvider.builder()
            .keystore(dir.resolve("key store").resolve("contract.keystore"))
            .passphrase("contract test passphrase".toCharArray())
            .argon2id(19456, 2, 1)
            .clock(clock)
            .auditSink(records::add)
            .build();
    Map<String, LocalKeyProvider> views = new ConcurrentHashMap<>();
    return new Fixture() {
      @Override
      public KeyProvider provider() {
        return owner;
      }

      @Override
      public KeyProvider as(String principal) {
        return views.computeIfAbsent(principal, owner::asPrincipal);
      }

      @Override
      public KeyManagement admin() {
        return owner;
      }

      @Override
      public List<AuditRecord> auditRecords() {
        return List.copyOf(records);
      }

      @Override
      public void close() {
        views.values().forEach(LocalKeyProvider::close);
        owner.close();
      }
    };
  }
}
