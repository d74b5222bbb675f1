package dev.coffer.kms.memory;

import dev.coffer.kms.KeyManagement;
import dev.coffer.kms.KeyProvider;
import dev.coffer.kms.audit.AuditRecord;
import dev.coffer.kms.contract.KeyProviderContractTest;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Runs the provider contract against {@link InMemoryKeyProvider}. */
class InMemoryKeyProviderContractTest extends KeyProviderContractTest {
  @Override
  protected Fixture newFixture(MutableClock clock) {
    List<AuditRecord> records = new CopyOnWriteArrayList<>();
    InMemoryKeyProvider owner =
        InMemoryKeyProvider.builder().clock(clock).auditSink(records::add).build();
    return new Fixture() {
      @Override
      public KeyProvider provider() {
        return owner;
      }

      @Override
      public KeyProvider as(String principal) {
        return owner.asPrincipal(principal);
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
        owner.close();
      }
    };
  }
}
