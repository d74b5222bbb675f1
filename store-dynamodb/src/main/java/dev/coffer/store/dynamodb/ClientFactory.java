package dev.coffer.store.dynamodb;

import java.net.URI;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClientBuilder;

/**
 * Builds the SDK client a {@code dynamodb:} URI describes (kept apart so the factory loads without
 * the SDK).
 */
final class ClientFactory {
  private ClientFactory() {}

  static DynamoDbBackend open(DynamoDbBackendFactory.BackendUri uri) {
    DynamoDbClientBuilder b =
        DynamoDbClient.builder().httpClientBuilder(UrlConnectionHttpClient.builder());
    if (uri.region() != null) {
      b.region(Region.of(uri.region()));
    }
    if (uri.endpoint() != null) {
      b.endpointOverride(URI.create(uri.endpoint()));
    }
    DynamoDbClient client = b.build();
    try {
      String description =
          (uri.region() != null ? uri.region() : "default region")
              + (uri.endpoint() != null ? ", " + uri.endpoint() : "");
      return DynamoDbBackend.builder()
          .ownedClient(client, description)
          .tableName(uri.table())
          .createTableIfMissing(uri.create())
          .build();
    } catch (RuntimeException e) {
      client.close();
      throw e;
    }
  }
}
