package dev.coffer.server;

import dev.coffer.Coffer;
import dev.coffer.CofferOptions;
import dev.coffer.kms.KeyDescription;
import dev.coffer.kms.KeyManagement.CreateKeyRequest;
import dev.coffer.kms.ManagedKeyProvider;
import dev.coffer.kms.memory.InMemoryKeyProvider;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.function.Supplier;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.kms.KmsClient;

/**
 * A Coffer store under an in-memory key provider (owner {@code root}, master key {@code
 * alias/serve}), served by a {@link CofferServer} with an access key per principal ({@code root},
 * {@code bob}), and AWS SDK clients for it.
 */
final class ServeFixture implements AutoCloseable {
  static final String OWNER = "root";

  final ManagedKeyProvider keys;
  final KeyDescription masterKey;
  final Coffer store;
  final CofferServer server;

  private ServeFixture(
      Path dir, Supplier<ManagedKeyProvider> provider, Consumer<CofferServer.Builder> settings) {
    keys = provider.get();
    masterKey =
        keys.listAliases(null).stream().anyMatch(a -> a.aliasName().equals("alias/serve"))
            ? keys.describeKey("alias/serve")
            : keys.createKey(CreateKeyRequest.withDescription("serve test key"));
    if (keys.listAliases(null).stream().noneMatch(a -> a.aliasName().equals("alias/serve"))) {
      keys.createAlias("alias/serve", masterKey.keyId());
    }
    store =
        Coffer.open(
            dir, CofferOptions.builder().keyProvider(keys).masterKeyId("alias/serve").build());
    CofferServer.Builder b =
        CofferServer.builder()
            .store(store)
            .keyProvider(keys)
            .credentials(accessKeyId(OWNER), secret(OWNER), OWNER)
            .credentials(accessKeyId("bob"), secret("bob"), "bob");
    settings.accept(b);
    server = b.start();
  }

  static ServeFixture start(Path dir) {
    return new ServeFixture(
        dir, InMemoryKeyProvider::create, b -> b.accessCheckInterval(Duration.ZERO));
  }

  static ServeFixture start(Path dir, Consumer<CofferServer.Builder> settings) {
    return new ServeFixture(dir, InMemoryKeyProvider::create, settings);
  }

  /** Over {@code provider} (e.g. a local keystore); the fixture closes it. */
  static ServeFixture start(
      Path dir, Supplier<ManagedKeyProvider> provider, Consumer<CofferServer.Builder> settings) {
    return new ServeFixture(dir, provider, settings);
  }

  static String accessKeyId(String principal) {
    return "AKIA" + principal.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "X");
  }

  static String secret(String principal) {
    return "secret/" + principal + "/EXAMPLEKEY";
  }

  URI endpoint() {
    return server.endpointUri();
  }

  DynamoDbClient dynamo() {
    return dynamo(endpoint(), OWNER);
  }

  DynamoDbClient dynamo(String principal) {
    return dynamo(endpoint(), principal);
  }

  static DynamoDbClient dynamo(URI endpoint, String principal) {
    return dynamo(endpoint, accessKeyId(principal), secret(principal), "us-east-1");
  }

  static DynamoDbClient dynamo(URI endpoint, String accessKeyId, String secret, String region) {
    return DynamoDbClient.builder()
        .endpointOverride(endpoint)
        .region(Region.of(region))
        .credentialsProvider(
            StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKeyId, secret)))
        .httpClient(UrlConnectionHttpClient.create())
        .overrideConfiguration(
            ClientOverrideConfiguration.builder().retryStrategy(RetryMode.STANDARD).build())
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
