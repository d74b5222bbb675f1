package dev.coffer.kms.aws;

import dev.coffer.kms.KeyManagement;
import dev.coffer.kms.KeyProvider;
import dev.coffer.kms.audit.AuditRecord;
import dev.coffer.kms.contract.KeyProviderContractTest;
import dev.coffer.kms.local.LocalKeyProvider;
import dev.coffer.kms.testkit.LocalKms;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.io.TempDir;

/**
 * The provider contract for aws-kms with the local keystore provider behind the endpoint: key
 * policies, states and rotation come from a keystore file, as a team would run it in tests.
 */
class AwsKmsOverLocalKeystoreContractTest extends KeyProviderContractTest {
  @TempDir Path dir;

  @Override
  protected Fixture newFixture(MutableClock clock) {
    List<AuditRecord> audit = new CopyOnWriteArrayList<>();
    LocalKeyProvider keystore =
        LocalKeyProvider.builder()
            .keystore(dir.resolve("kms.keystore"))
            .passphrase("endpoint test passphrase".toCharArray())
            .argon2id(19456, 2, 1)
            .clock(clock)
            .auditSink(audit::add)
            .build();
    LocalKms kms = LocalKms.start(keystore, audit, clock);
    AwsKmsKeyProvider owner = kms.provider(LocalKms.OWNER);
    return new Fixture() {
      @Override
      public KeyProvider provider() {
        return owner;
      }

      @Override
      public KeyProvider as(String principal) {
        return kms.provider(principal);
      }

      @Override
      public KeyManagement admin() {
        return keystore;
      }

      @Override
      public List<AuditRecord> auditRecords() {
        return List.copyOf(audit);
      }

      @Override
      public void close() {
        kms.close();
        keystore.close();
      }
    };
  }
}
