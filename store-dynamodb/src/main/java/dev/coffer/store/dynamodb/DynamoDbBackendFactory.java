package dev.coffer.store.dynamodb;

import dev.coffer.StorageException;
import dev.coffer.ValidationException;
import dev.coffer.spi.RecordBackend;
import dev.coffer.spi.RecordBackendFactory;

/**
 * Opens {@link DynamoDbBackend}s for URIs {@code
 * dynamodb:<table>[?region=<region>][&endpoint=<url>] [&create=false]}. Registered for {@link
 * java.util.ServiceLoader}.
 *
 * <ul>
 *   <li>{@code region}: the AWS region; without it, the SDK's default region chain ({@code
 *       AWS_REGION}, {@code aws.region}, the profile, the instance metadata).
 *   <li>{@code endpoint}: another endpoint (e.g. {@code http://127.0.0.1:4567} for dynalite).
 *   <li>{@code create}: whether to create the table when it is missing ({@code true} by default).
 *   <li>Credentials: the SDK's default chain (system properties, environment, profile, container
 *       and instance roles).
 * </ul>
 *
 * The backend owns the client it builds (closed with it). This class does not touch the AWS SDK
 * before {@link #open} is called, so listing backends works without it.
 */
public final class DynamoDbBackendFactory implements RecordBackendFactory {
  private static final String SDK_CLASS = "software.amazon.awssdk.services.dynamodb.DynamoDbClient";

  /** Needed by {@link java.util.ServiceLoader}. */
  public DynamoDbBackendFactory() {}

  @Override
  public String scheme() {
    return "dynamodb";
  }

  @Override
  public String uriForm() {
    return "dynamodb:<table>?region=<region>&endpoint=<url>";
  }

  @Override
  public RecordBackend open(String location) {
    BackendUri uri = BackendUri.parse(location);
    try {
      Class.forName(SDK_CLASS, false, DynamoDbBackendFactory.class.getClassLoader());
    } catch (ClassNotFoundException | LinkageError e) {
      throw new StorageException(
          "dynamodb: needs the AWS SDK for Java v2 DynamoDB client"
              + " (software.amazon.awssdk:dynamodb and url-connection-client) on the class path: "
              + e);
    }
    return ClientFactory.open(uri);
  }

  /** A parsed {@code dynamodb:} location. */
  record BackendUri(String table, String region, String endpoint, boolean create) {
    static BackendUri parse(String location) {
      String rest = location.startsWith("//") ? location.substring(2) : location;
      int q = rest.indexOf('?');
      String table = q < 0 ? rest : rest.substring(0, q);
      if (!table.matches("[a-zA-Z0-9_.-]{3,255}")) {
        throw new ValidationException(
            "dynamodb: needs a table name of 3 to 255 characters of [a-zA-Z0-9_.-], e.g."
                + " dynamodb:my-store?region=us-east-1; got '"
                + table
                + "'");
      }
      String region = null;
      String endpoint = null;
      boolean create = true;
      if (q >= 0) {
        for (String param : rest.substring(q + 1).split("&")) {
          if (param.isEmpty()) {
            continue;
          }
          int eq = param.indexOf('=');
          String name = eq < 0 ? param : param.substring(0, eq);
          String value =
              eq < 0
                  ? ""
                  : java.net.URLDecoder.decode(
                      param.substring(eq + 1), java.nio.charset.StandardCharsets.UTF_8);
          switch (name) {
            case "region" -> region = value;
            case "endpoint" -> endpoint = value;
            case "create" -> {
              if (!value.equals("true") && !value.equals("false")) {
                throw new ValidationException(
                    "dynamodb: create must be true or false, not '" + value + "'");
              }
              create = Boolean.parseBoolean(value);
            }
            default ->
                throw new ValidationException(
                    "dynamodb: unknown parameter '"
                        + name
                        + "' (known: region,"
                        + " endpoint, create)");
          }
        }
      }
      if (region != null && !region.matches("[a-z0-9-]{2,32}")) {
        throw new ValidationException(
            "dynamodb: region '" + region + "' is not a region name such as us-east-1");
      }
      if (endpoint != null && !endpoint.matches("https?://.+")) {
        throw new ValidationException(
            "dynamodb: endpoint '" + endpoint + "' is not an http(s) URL");
      }
      return new BackendUri(table, region, endpoint, create);
    }
  }
}
