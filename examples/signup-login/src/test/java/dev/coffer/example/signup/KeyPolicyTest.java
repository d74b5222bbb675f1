package dev.coffer.example.signup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.KeyState;
import software.amazon.awssdk.services.kms.model.KmsException;

/**
 * The tutorial's key policy on {@code coffer serve}: the key administrator creates the key and may
 * manage it (describe, disable, enable, schedule and cancel deletion, read and put the policy) but
 * is refused every use of it with {@code AccessDeniedException}; the application may use it but not
 * manage it. And the store's own key: the administrator, who may not decrypt under it, is refused
 * every DynamoDB data call too. The account policy (the IAM side) gives the administrator only the
 * account-level actions that creating the key needs.
 */
class KeyPolicyTest {
  private static final String KEY = "alias/signup-login";

  @TempDir Path dir;

  private CofferServe serve;
  private KmsClient admin;
  private KmsClient app;
  private String keyArn;

  @BeforeEach
  void start() {
    serve = new CofferServe(dir);
    keyArn = serve.createAppKey();
    admin = serve.kms("admin");
    app = serve.kms("app");
  }

  @AfterEach
  void stop() {
    admin.close();
    app.close();
    serve.close();
  }

  private static void refused(
      ThrowingCallable call, String principal, String action, String keyArn) {
    assertThatThrownBy(call)
        .isInstanceOf(KmsException.class)
        .satisfies(
            e ->
                assertThat(((KmsException) e).awsErrorDetails().errorCode())
                    .isEqualTo("AccessDeniedException"))
        .hasMessageContaining(
            "User: arn:aws:iam::111122223333:user/"
                + principal
                + " is not authorized to perform: "
                + action
                + " on resource: "
                + keyArn);
  }

  @Test
  void theKeyCarriesTheTutorialPolicy() throws Exception {
    JsonNode policy =
        new ObjectMapper()
            .readTree(admin.getKeyPolicy(b -> b.keyId(keyArn).policyName("default")).policy());
    assertThat(policy.get("Statement")).hasSize(3);
    JsonNode administrators = policy.get("Statement").get(1);
    assertThat(administrators.get("Principal").get("AWS").asText())
        .isEqualTo(CofferServe.ADMIN_ARN);
    assertThat(administrators.get("Action"))
        .extracting(JsonNode::asText)
        .containsExactlyElementsOf(AppKey.ADMINISTRATOR_ACTIONS)
        .noneMatch(
            a -> a.contains("Encrypt") || a.contains("Decrypt") || a.contains("GenerateDataKey"));
    JsonNode users = policy.get("Statement").get(2);
    assertThat(users.get("Principal").get("AWS").asText()).isEqualTo(CofferServe.APP_ARN);
    assertThat(users.get("Action"))
        .extracting(JsonNode::asText)
        .containsExactlyElementsOf(AppKey.USER_ACTIONS);
    // creating it again finds the alias and changes nothing
    try (KmsClient again = serve.kms("admin")) {
      assertThat(AppKey.create(again, KEY, CofferServe.ADMIN_ARN, CofferServe.APP_ARN).arn())
          .isEqualTo(keyArn);
    }
  }

  @Test
  void theAdministratorManagesTheKeyButIsRefusedItsUse() {
    assertThat(admin.describeKey(b -> b.keyId(KEY)).keyMetadata().keyState())
        .isEqualTo(KeyState.ENABLED);
    admin.disableKey(b -> b.keyId(KEY));
    admin.enableKey(b -> b.keyId(KEY));
    admin.scheduleKeyDeletion(b -> b.keyId(KEY).pendingWindowInDays(7));
    assertThat(admin.describeKey(b -> b.keyId(KEY)).keyMetadata().keyState())
        .isEqualTo(KeyState.PENDING_DELETION);
    admin.cancelKeyDeletion(b -> b.keyId(KEY));
    admin.enableKey(b -> b.keyId(KEY));
    String policy = admin.getKeyPolicy(b -> b.keyId(KEY).policyName("default")).policy();
    admin.putKeyPolicy(b -> b.keyId(KEY).policyName("default").policy(policy));

    refused(
        () -> admin.generateDataKey(b -> b.keyId(KEY).keySpec("AES_256")),
        "admin",
        "kms:GenerateDataKey",
        keyArn);
    refused(
        () -> admin.encrypt(b -> b.keyId(KEY).plaintext(SdkBytes.fromUtf8String("x"))),
        "admin",
        "kms:Encrypt",
        keyArn);
    // a phone number the application sealed: the administrator cannot open it
    FieldEnvelope.Sealed sealed =
        new FieldEnvelope(app, KEY).seal("alice@example.com", "phone", "+1 555 0100");
    refused(
        () -> new FieldEnvelope(admin, KEY).open("alice@example.com", "phone", sealed),
        "admin",
        "kms:Decrypt",
        keyArn);
    assertThat(new FieldEnvelope(app, KEY).open("alice@example.com", "phone", sealed))
        .isEqualTo("+1 555 0100");
  }

  @Test
  void theApplicationUsesTheKeyButMayNotManageIt() {
    assertThat(app.generateDataKey(b -> b.keyId(KEY).keySpec("AES_256")).plaintext().asByteArray())
        .hasSize(32);
    assertThat(app.describeKey(b -> b.keyId(KEY)).keyMetadata().arn()).isEqualTo(keyArn);
    refused(() -> app.disableKey(b -> b.keyId(KEY)), "app", "kms:DisableKey", keyArn);
    refused(
        () -> app.getKeyPolicy(b -> b.keyId(KEY).policyName("default")),
        "app",
        "kms:GetKeyPolicy",
        keyArn);
    refused(
        () -> app.scheduleKeyDeletion(b -> b.keyId(KEY).pendingWindowInDays(7)),
        "app",
        "kms:ScheduleKeyDeletion",
        keyArn);
    refused(
        () ->
            app.putKeyPolicy(
                b ->
                    b.keyId(KEY)
                        .policyName("default")
                        .policy(
                            AppKey.policy(
                                "111122223333", CofferServe.APP_ARN, CofferServe.APP_ARN))),
        "app",
        "kms:PutKeyPolicy",
        keyArn);
  }

  /**
   * The account policy (the IAM side) gives the administrator exactly the account-level actions
   * {@code create-key} needs, and nothing that uses a key; the application gets none.
   */
  @Test
  void theAccountPolicyGivesTheAdministratorOnlyWhatCreateKeyNeeds() {
    assertThat(admin.listAliases().aliases())
        .extracting(a -> a.aliasName())
        .contains("alias/signup-login", "alias/coffer-store");
    String other =
        admin
            .createKey(
                b ->
                    b.policy(
                        AppKey.policy("111122223333", CofferServe.ADMIN_ARN, CofferServe.APP_ARN)))
            .keyMetadata()
            .keyId();
    assertThatThrownBy(() -> admin.createAlias(b -> b.aliasName("alias/other").targetKeyId(other)))
        .isInstanceOf(KmsException.class)
        .hasMessageContaining(
            "User: arn:aws:iam::111122223333:user/admin is not authorized to perform:"
                + " kms:CreateAlias on resource: arn:aws:kms:us-east-1:111122223333:alias/other because no"
                + " identity-based policy allows the kms:CreateAlias action");
    identityRefused(() -> admin.listKeys(), "admin", "kms:ListKeys");
    identityRefused(
        () -> admin.generateRandom(b -> b.numberOfBytes(16)), "admin", "kms:GenerateRandom");
    identityRefused(
        () -> app.createKey(b -> b.description("not the application's job")),
        "app",
        "kms:CreateKey");
    identityRefused(() -> app.listAliases(), "app", "kms:ListAliases");
  }

  private static void identityRefused(ThrowingCallable call, String principal, String action) {
    assertThatThrownBy(call)
        .isInstanceOf(KmsException.class)
        .satisfies(
            e ->
                assertThat(((KmsException) e).awsErrorDetails().errorCode())
                    .isEqualTo("AccessDeniedException"))
        .hasMessageContaining(
            "User: arn:aws:iam::111122223333:user/"
                + principal
                + " is not authorized to perform: "
                + action
                + " on resource: * because no identity-based policy allows the "
                + action
                + " action");
  }

  /**
   * On coffer serve every DynamoDB data call needs kms:Decrypt on the store's master key: the
   * application has it (the store key's policy), the key administrator has not, so the
   * administrator cannot read the users table even through DynamoDB. Listing tables needs no key.
   */
  @Test
  void theAdministratorIsRefusedTheUsersTableToo() {
    String storeKeyArn = serve.keys.describeKey("alias/coffer-store").arn();
    try (DynamoDbClient appDynamo = serve.dynamo("app");
        DynamoDbClient adminDynamo = serve.dynamo("admin")) {
      Accounts.createTable(appDynamo, "users");
      Map<String, AttributeValue> key = Map.of("email", AttributeValue.fromS("alice@example.com"));
      assertThat(appDynamo.getItem(b -> b.tableName("users").key(key)).hasItem()).isFalse();
      assertThat(adminDynamo.listTables().tableNames()).containsExactly("users");
      assertThatThrownBy(() -> adminDynamo.getItem(b -> b.tableName("users").key(key)))
          .isInstanceOf(DynamoDbException.class)
          .satisfies(
              e ->
                  assertThat(((DynamoDbException) e).awsErrorDetails().errorCode())
                      .isEqualTo("AccessDeniedException"))
          .hasMessageContaining(
              "User: arn:aws:iam::111122223333:user/admin is not authorized to perform: kms:Decrypt"
                  + " on resource: "
                  + storeKeyArn);
      assertThatThrownBy(() -> adminDynamo.scan(b -> b.tableName("users")))
          .isInstanceOf(DynamoDbException.class)
          .satisfies(
              e ->
                  assertThat(((DynamoDbException) e).awsErrorDetails().errorCode())
                      .isEqualTo("AccessDeniedException"));
    }
  }
}
