package dev.coffer.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.coffer.server.RawClient.Call;
import dev.coffer.server.RawClient.Reply;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.KmsException;

/**
 * SigV4 for both services (wrong secret, unknown key, wrong region, wrong service, clock skew,
 * unsigned target, no signature), and key policies: a principal refused {@code kms:Decrypt} on the
 * master key is refused every data call until a policy change through the same port grants it.
 */
class SecurityTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  private ServeFixture serve;

  @BeforeEach
  void start() {
    serve = ServeFixture.start(dir);
    try (DynamoDbClient ddb = serve.dynamo()) {
      ddb.createTable(
          b ->
              b.tableName("Music")
                  .attributeDefinitions(DynamoDbOperationsTest.def("Artist", ScalarAttributeType.S))
                  .keySchema(DynamoDbOperationsTest.key("Artist", KeyType.HASH))
                  .billingMode(BillingMode.PAY_PER_REQUEST));
      ddb.putItem(
          b ->
              b.tableName("Music")
                  .item(
                      Map.of(
                          "Artist",
                          AttributeValue.fromS("A"),
                          "Album",
                          AttributeValue.fromS("Somewhat Famous"))));
    }
  }

  @AfterEach
  void stop() {
    serve.close();
  }

  private static JsonNode json(Reply r) throws Exception {
    return JSON.readTree(r.body());
  }

  private void refused(Call call, String type, String messagePart) throws Exception {
    Reply r = RawClient.send(serve.endpoint(), call);
    assertThat(r.status()).as(r.text()).isEqualTo(400);
    JsonNode body = json(r);
    String prefix = call.target().startsWith("TrentService") ? "" : "com.amazon.coral.service#";
    assertThat(body.get("__type").asText()).isEqualTo(prefix + type);
    assertThat(body.get("message").asText()).contains(messagePart);
  }

  @Test
  void signaturesAreCheckedForEachService() throws Exception {
    Call list = Call.dynamo("ListTables", "{}");
    assertThat(RawClient.send(serve.endpoint(), list).status()).isEqualTo(200);
    refused(
        list.withSecret("wrong"),
        "InvalidSignatureException",
        "signature we calculated does not match");
    refused(
        list.withAccessKey("AKIANOBODY"),
        "UnrecognizedClientException",
        "security token included in the request is invalid");
    refused(
        list.withRegion("eu-west-1"),
        "InvalidSignatureException",
        "Credential should be scoped to a valid region");
    refused(
        list.withService("kms"),
        "InvalidSignatureException",
        "Credential should be scoped to correct service: 'dynamodb'");
    refused(
        list.withClock(Clock.offset(Clock.systemUTC(), Duration.ofMinutes(-20))),
        "InvalidSignatureException",
        "Signature expired");
    refused(
        list.withClock(Clock.offset(Clock.systemUTC(), Duration.ofMinutes(20))),
        "InvalidSignatureException",
        "Signature not yet current");
    refused(
        list.targetUnsigned(), "IncompleteSignatureException", "must sign the x-amz-target header");
    Reply none =
        RawClient.unsigned(
            serve.endpoint(),
            "POST",
            Map.of(
                "Content-Type",
                "application/x-amz-json-1.0",
                "X-Amz-Target",
                "DynamoDB_20120810.ListTables"),
            "{}".getBytes(StandardCharsets.UTF_8));
    assertThat(json(none).get("__type").asText())
        .isEqualTo("com.amazon.coral.service#MissingAuthenticationTokenException");

    Call kms = Call.kms("ListKeys", "{}");
    assertThat(RawClient.send(serve.endpoint(), kms).status()).isEqualTo(200);
    refused(
        kms.withSecret("wrong"),
        "InvalidSignatureException",
        "signature we calculated does not match");
    refused(
        kms.withService("dynamodb"),
        "InvalidSignatureException",
        "Credential should be scoped to correct service: 'kms'");
    refused(
        kms.withRegion("eu-west-2"),
        "InvalidSignatureException",
        "Credential should be scoped to a valid region");
    refused(
        kms.withClock(Clock.offset(Clock.systemUTC(), Duration.ofMinutes(16))),
        "InvalidSignatureException",
        "Signature not yet current");
    refused(
        kms.targetUnsigned(), "IncompleteSignatureException", "must sign the x-amz-target header");
  }

  @Test
  void theSdkSeesTheSameRefusals() {
    try (DynamoDbClient wrongSecret =
        ServeFixture.dynamo(
            serve.endpoint(), ServeFixture.accessKeyId("root"), "nope", "us-east-1")) {
      assertThatThrownBy(wrongSecret::listTables)
          .isInstanceOf(DynamoDbException.class)
          .satisfies(
              e ->
                  assertThat(((DynamoDbException) e).awsErrorDetails().errorCode())
                      .isEqualTo("InvalidSignatureException"));
    }
    try (DynamoDbClient wrongRegion =
        ServeFixture.dynamo(
            serve.endpoint(),
            ServeFixture.accessKeyId("root"),
            ServeFixture.secret("root"),
            "eu-west-1")) {
      assertThatThrownBy(wrongRegion::listTables)
          .isInstanceOf(DynamoDbException.class)
          .satisfies(
              e ->
                  assertThat(((DynamoDbException) e).awsErrorDetails().errorCode())
                      .isEqualTo("InvalidSignatureException"));
    }
  }

  @Test
  void aPrincipalWithoutKmsDecryptIsRefusedEveryDataCallUntilGranted() {
    Map<String, AttributeValue> key = Map.of("Artist", AttributeValue.fromS("A"));
    try (DynamoDbClient bob = serve.dynamo("bob");
        KmsClient rootKms = serve.kms("root");
        KmsClient bobKms = serve.kms("bob")) {
      for (Runnable call :
          new Runnable[] {
            () -> bob.getItem(b -> b.tableName("Music").key(key)),
            () ->
                bob.putItem(
                    b -> b.tableName("Music").item(Map.of("Artist", AttributeValue.fromS("B")))),
            () -> bob.deleteItem(b -> b.tableName("Music").key(key)),
            () ->
                bob.query(
                    b ->
                        b.tableName("Music")
                            .keyConditionExpression("Artist = :a")
                            .expressionAttributeValues(Map.of(":a", AttributeValue.fromS("A")))),
            () -> bob.scan(b -> b.tableName("Music")),
            () -> bob.deleteTable(b -> b.tableName("Music"))
          }) {
        assertThatThrownBy(call::run)
            .isInstanceOf(DynamoDbException.class)
            .satisfies(
                e -> {
                  DynamoDbException d = (DynamoDbException) e;
                  assertThat(d.awsErrorDetails().errorCode()).isEqualTo("AccessDeniedException");
                  assertThat(d.statusCode()).isEqualTo(400);
                })
            .hasMessageContaining(
                "User: arn:aws:iam::111122223333:user/bob is not authorized to perform: kms:Decrypt"
                    + " on resource: "
                    + serve.masterKey.arn());
      }
      assertThat(serve.store.table("Music").getItem(dev.coffer.Key.of("A"))).isPresent();
      assertThat(serve.store.listTables()).containsExactly("Music");
      // metadata calls need no key use
      assertThat(bob.listTables().tableNames()).containsExactly("Music");

      // bob may not use the key through KMS either
      assertThatThrownBy(
              () ->
                  bobKms.encrypt(
                      b -> b.keyId("alias/serve").plaintext(SdkBytes.fromUtf8String("x"))))
          .isInstanceOf(KmsException.class)
          .satisfies(
              e ->
                  assertThat(((KmsException) e).awsErrorDetails().errorCode())
                      .isEqualTo("AccessDeniedException"));

      // the owner grants bob kms:Decrypt through the same port: his next data call works
      rootKms.putKeyPolicy(
          b ->
              b.keyId("alias/serve")
                  .policyName("default")
                  .policy(
                      """
          {"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "kms:*", "Resource": "*"},
            {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:user/bob"},
             "Action": ["kms:Decrypt", "kms:DescribeKey"], "Resource": "*"}]}"""));
      assertThat(bob.getItem(b -> b.tableName("Music").key(key)).item().get("Album").s())
          .isEqualTo("Somewhat Famous");
    }
  }

  @Test
  void kmsIsServedOnTheSamePort() {
    try (KmsClient kms = serve.kms("root")) {
      assertThat(kms.listKeys().keys())
          .extracting(k -> k.keyId())
          .contains(serve.masterKey.keyId());
      var enc =
          kms.encrypt(
              b ->
                  b.keyId("alias/serve")
                      .plaintext(SdkBytes.fromUtf8String("hello"))
                      .encryptionContext(Map.of("purpose", "test")));
      assertThat(
              kms.decrypt(
                      b ->
                          b.ciphertextBlob(enc.ciphertextBlob())
                              .encryptionContext(Map.of("purpose", "test")))
                  .plaintext()
                  .asUtf8String())
          .isEqualTo("hello");
      assertThatThrownBy(() -> kms.decrypt(b -> b.ciphertextBlob(enc.ciphertextBlob())))
          .isInstanceOf(KmsException.class)
          .satisfies(
              e ->
                  assertThat(((KmsException) e).awsErrorDetails().errorCode())
                      .isEqualTo("InvalidCiphertextException"));
    }
  }
}
