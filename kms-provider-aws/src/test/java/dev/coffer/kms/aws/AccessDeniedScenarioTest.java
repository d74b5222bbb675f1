package dev.coffer.kms.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.coffer.kms.AccessDeniedException;
import dev.coffer.kms.DataKey;
import dev.coffer.kms.EncryptionContext;
import dev.coffer.kms.SecretBytes;
import dev.coffer.kms.audit.AuditOutcome;
import dev.coffer.kms.testkit.LocalKms;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.KmsException;

/**
 * End to end through the SDK: user bob's key policy lacks kms:Decrypt, so Coffer's aws-kms provider
 * acting as bob gets AWS's AccessDeniedException (bob's ARN, the action, the key ARN); once the
 * owner grants it with PutKeyPolicy (through the SDK), the same call succeeds.
 */
class AccessDeniedScenarioTest {
  private static final EncryptionContext CTX =
      EncryptionContext.of("store", "st-1", "table", "tb-1", "purpose", "page", "version", "1");
  private static final String BOB = "arn:aws:iam::111122223333:user/bob";

  @Test
  void bobIsDeniedDecryptUntilTheOwnerGrantsIt() {
    try (LocalKms kms = LocalKms.start()) {
      KmsClient ownerSdk = kms.client(LocalKms.OWNER);
      String keyArn = ownerSdk.createKey(r -> r.description("orders table")).keyMetadata().arn();
      AwsKmsKeyProvider owner = kms.provider(LocalKms.OWNER);
      AwsKmsKeyProvider bob = kms.provider("bob");

      try (DataKey dk = owner.generateDataKey(keyArn, CTX)) {
        AccessDeniedException denied =
            catchThrowableOfType(AccessDeniedException.class, () -> bob.decrypt(dk.wrapped(), CTX));
        assertThat(denied.getMessage())
            .isEqualTo(
                "User: "
                    + BOB
                    + " is not authorized to perform: kms:Decrypt"
                    + " on resource: "
                    + keyArn
                    + " because no resource-based policy allows the kms:Decrypt action");
        assertThat(denied.keyId()).isEqualTo(keyArn);
        assertThat(denied.action()).isEqualTo("kms:Decrypt");
        assertThat(kms.ringAudit())
            .last()
            .satisfies(
                r -> {
                  assertThat(r.principal()).isEqualTo(BOB);
                  assertThat(r.action()).isEqualTo("kms:Decrypt");
                  assertThat(r.outcome()).isEqualTo(AuditOutcome.DENIED);
                });

        KmsException raw =
            catchThrowableOfType(
                KmsException.class,
                () ->
                    kms.client("bob")
                        .decrypt(
                            r ->
                                r.ciphertextBlob(
                                        SdkBytes.fromByteArray(dk.wrapped().ciphertextBlob()))
                                    .encryptionContext(CTX.asMap())));
        assertThat(raw.awsErrorDetails().errorCode()).isEqualTo("AccessDeniedException");
        assertThat(raw.statusCode()).isEqualTo(400);

        String policy = ownerSdk.getKeyPolicy(r -> r.keyId(keyArn).policyName("default")).policy();
        String granted =
            policy.replace(
                "\"Statement\" : [",
                "\"Statement\" : [ {\"Sid\": \"bob decrypts\","
                    + " \"Effect\": \"Allow\", \"Principal\": {\"AWS\": \""
                    + BOB
                    + "\"}, \"Action\": \"kms:Decrypt\","
                    + " \"Resource\": \"*\"},");
        ownerSdk.putKeyPolicy(r -> r.keyId(keyArn).policyName("default").policy(granted));

        try (SecretBytes plaintext = bob.decrypt(dk.wrapped(), CTX)) {
          assertThat(plaintext.contentEquals(dk.plaintext())).isTrue();
        }
        assertThat(kms.ringAudit())
            .last()
            .satisfies(
                r -> {
                  assertThat(r.principal()).isEqualTo(BOB);
                  assertThat(r.outcome()).isEqualTo(AuditOutcome.SUCCESS);
                });
      }
    }
  }
}
