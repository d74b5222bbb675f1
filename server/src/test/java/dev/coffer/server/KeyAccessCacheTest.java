package dev.coffer.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coffer.kms.SecretBytes;
import dev.coffer.kms.audit.AuditRecord;
import dev.coffer.kms.local.LocalKeyProvider;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * Key-access verdicts under a local keystore are kept until the keystore changes, not for a time:
 * with an access-check interval of an hour, a key policy changed by another provider on the same
 * keystore file (as {@code coffer kms put-key-policy} from another process) applies to the very
 * next data call, both ways; and while nothing changes, the probe decryption runs once per
 * principal, not once per call (counted in the key ring's audit records).
 */
class KeyAccessCacheTest {
  private static final byte[] RAW_KEY = new byte[32];
  private static final String ALLOW_BOB =
      """
      {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "kms:*", "Resource": "*"},
        {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:user/bob"},
         "Action": ["kms:Decrypt", "kms:DescribeKey"], "Resource": "*"}]}""";
  private static final String OWNER_ONLY =
      """
      {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "kms:*", "Resource": "*"}]}""";

  @TempDir Path dir;

  private final List<AuditRecord> audit = new CopyOnWriteArrayList<>();

  private LocalKeyProvider keystore(List<AuditRecord> sink) {
    return LocalKeyProvider.builder()
        .keystore(dir.resolve("keystore"))
        .rawKey(SecretBytes.copyOf(RAW_KEY))
        .auditSink(sink::add)
        .build();
  }

  private long bobsProbes() {
    return audit.stream()
        .filter(r -> r.action().equals("kms:Decrypt") && r.principal().endsWith(":user/bob"))
        .count();
  }

  @Test
  void verdictsLastUntilTheKeystoreChanges() {
    try (ServeFixture serve =
            ServeFixture.start(
                dir.resolve("store"),
                () -> keystore(audit),
                b -> b.accessCheckInterval(Duration.ofHours(1)));
        DynamoDbClient root = serve.dynamo();
        DynamoDbClient bob = serve.dynamo("bob");
        LocalKeyProvider other = keystore(new CopyOnWriteArrayList<>())) {
      root.createTable(
          b ->
              b.tableName("Music")
                  .attributeDefinitions(DynamoDbOperationsTest.def("Artist", ScalarAttributeType.S))
                  .keySchema(DynamoDbOperationsTest.key("Artist", KeyType.HASH))
                  .billingMode(BillingMode.PAY_PER_REQUEST));
      Map<String, AttributeValue> key = Map.of("Artist", AttributeValue.fromS("A"));
      root.putItem(b -> b.tableName("Music").item(key));

      assertThatThrownBy(() -> bob.getItem(b -> b.tableName("Music").key(key)))
          .isInstanceOfSatisfying(
              DynamoDbException.class,
              e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDeniedException"));
      long probes = bobsProbes();
      for (int i = 0; i < 5; i++) {
        assertThatThrownBy(() -> bob.getItem(b -> b.tableName("Music").key(key)))
            .isInstanceOf(DynamoDbException.class);
      }
      assertThat(bobsProbes())
          .as("the refusal is kept while the keystore does not change")
          .isEqualTo(probes);

      other.putKeyPolicy(
          serve.masterKey.keyId(),
          ALLOW_BOB); // another provider instance: the server hears nothing of it
      assertThat(bob.getItem(b -> b.tableName("Music").key(key)).hasItem()).isTrue();
      long afterGrant = bobsProbes();
      for (int i = 0; i < 5; i++) {
        assertThat(bob.getItem(b -> b.tableName("Music").key(key)).hasItem()).isTrue();
      }
      assertThat(bobsProbes())
          .as("the grant is kept while the keystore does not change")
          .isEqualTo(afterGrant);

      other.putKeyPolicy(serve.masterKey.keyId(), OWNER_ONLY);
      assertThatThrownBy(() -> bob.getItem(b -> b.tableName("Music").key(key)))
          .isInstanceOfSatisfying(
              DynamoDbException.class,
              e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDeniedException"));
      other.disableKey(serve.masterKey.keyId());
      assertThatThrownBy(() -> root.getItem(b -> b.tableName("Music").key(key)))
          .isInstanceOfSatisfying(
              DynamoDbException.class,
              e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("DisabledException"));
    }
  }
}
