package dev.coffer.example.signup;

import dev.coffer.Coffer;
import dev.coffer.CofferOptions;
import dev.coffer.kms.KeyManagement.CreateKeyRequest;
import dev.coffer.kms.audit.AuditSink;
import dev.coffer.kms.memory.InMemoryKeyProvider;
import dev.coffer.server.CofferServer;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.kms.KmsClient;

/**
 * {@code coffer serve} in-process, set up as the example's README sets it up with the CLI: a store
 * under an in-memory key provider whose master key ({@code alias/coffer-store}) lets the account
 * root do everything and the application ({@code app}) decrypt, an account policy that gives the
 * key administrator the account-level actions {@code create-key} needs ({@link #ACCOUNT_POLICY}),
 * and three access keys: {@code root} (the store's owner), {@code admin} (the key administrator: no
 * use of the store's key, so no DynamoDB data call) and {@code app} (the application).
 */
final class CofferServe implements AutoCloseable {
  static final String ACCOUNT = "111122223333";
  static final String ADMIN_ARN = "arn:aws:iam::" + ACCOUNT + ":user/admin";
  static final String APP_ARN = "arn:aws:iam::" + ACCOUNT + ":user/app";

  /**
   * The store master key's policy: the root manages it, the application may decrypt (DynamoDB data
   * calls).
   */
  static final String STORE_KEY_POLICY =
      """
      {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "kms:*", "Resource": "*"},
        {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:user/app"},
         "Action": ["kms:Decrypt", "kms:DescribeKey"], "Resource": "*"}]}""";

  /**
   * The account policy (the IAM side; on AWS, the administrator's IAM identity policy): the key
   * administrator may create keys, list aliases and create the application key's alias. Nothing
   * else, and nothing for the application, which only uses a key whose policy names it.
   */
  static final String ACCOUNT_POLICY =
      """
      {"Version": "2012-10-17", "Statement": [
        {"Sid": "Key administrator", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:user/admin"},
         "Action": ["kms:CreateKey", "kms:ListAliases"], "Resource": "*"},
        {"Sid": "Key administrator: the application key's alias", "Effect": "Allow",
         "Principal": {"AWS": "arn:aws:iam::111122223333:user/admin"}, "Action": "kms:CreateAlias",
         "Resource": "arn:aws:kms:*:111122223333:alias/signup-login"}]}""";

  final InMemoryKeyProvider keys;
  final Coffer store;
  final CofferServer server;

  CofferServe(Path dir) {
    keys = InMemoryKeyProvider.builder().auditSink(AuditSink.none()).build();
    String master =
        keys.createKey(CreateKeyRequest.withDescription("coffer serve store key")).keyId();
    keys.createAlias("alias/coffer-store", master);
    keys.putKeyPolicy(master, STORE_KEY_POLICY);
    keys.putAccountPolicy(ACCOUNT_POLICY);
    store =
        Coffer.open(
            dir,
            CofferOptions.builder().keyProvider(keys).masterKeyId("alias/coffer-store").build());
    CofferServer.Builder b =
        CofferServer.builder().store(store).keyProvider(keys).accessCheckInterval(Duration.ZERO);
    for (String principal : new String[] {"root", "admin", "app"}) {
      b.credentials(accessKeyId(principal), secret(principal), principal);
    }
    server = b.start();
  }

  static String accessKeyId(String principal) {
    return "AKIAEXAMPLE" + principal.toUpperCase(Locale.ROOT);
  }

  static String secret(String principal) {
    return "example-secret-of-" + principal;
  }

  URI endpoint() {
    return server.endpointUri();
  }

  DynamoDbClient dynamo(String principal) {
    return dynamo(endpoint(), principal);
  }

  /**
   * A DynamoDB client for {@code endpoint} signing as {@code principal} (dynalite accepts any key).
   */
  static DynamoDbClient dynamo(URI endpoint, String principal) {
    return DynamoDbClient.builder()
        .endpointOverride(endpoint)
        .region(Region.US_EAST_1)
        .credentialsProvider(
            StaticCredentialsProvider.create(
                AwsBasicCredentials.create(accessKeyId(principal), secret(principal))))
        .httpClient(UrlConnectionHttpClient.create())
        .build();
  }

  KmsClient kms(String principal) {
    return KmsClient.builder()
        .endpointOverride(endpoint())
        .region(Region.US_EAST_1)
        .credentialsProvider(
            StaticCredentialsProvider.create(
                AwsBasicCredentials.create(accessKeyId(principal), secret(principal))))
        .httpClient(UrlConnectionHttpClient.create())
        .build();
  }

  /**
   * Creates the application's key as {@code admin}, with the tutorial's policy, as {@code
   * create-key} does.
   */
  String createAppKey() {
    try (KmsClient admin = kms("admin")) {
      return AppKey.create(admin, "alias/signup-login", ADMIN_ARN, APP_ARN).arn();
    }
  }

  @Override
  public void close() {
    try {
      server.close();
    } finally {
      try {
        store.close();
      } finally {
        keys.close();
      }
    }
  }
}
