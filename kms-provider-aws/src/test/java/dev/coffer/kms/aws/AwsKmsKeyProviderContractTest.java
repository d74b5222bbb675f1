package dev.coffer.kms.aws;

import dev.coffer.kms.KeyManagement;
import dev.coffer.kms.KeyProvider;
import dev.coffer.kms.audit.AuditRecord;
import dev.coffer.kms.contract.KeyProviderContractTest;
import dev.coffer.kms.testkit.LocalKms;
import java.util.List;

/**
 * The provider contract for aws-kms: the provider under test is {@link AwsKmsKeyProvider} through
 * the real SDK over HTTP to a {@link dev.coffer.kms.endpoint.KmsEndpoint}; other principals are
 * providers with their own access keys; administration and audit are the in-memory key ring's.
 */
class AwsKmsKeyProviderContractTest extends KeyProviderContractTest {

  @Override
  protected Fixture newFixture(MutableClock clock) {
    LocalKms kms = LocalKms.start(clock);
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
        return kms.keys();
      }

      @Override
      public List<AuditRecord> auditRecords() {
        return List.copyOf(kms.ringAudit());
      }

      @Override
      public void close() {
        kms.close();
      }
    };
  }
}
