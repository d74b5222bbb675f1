package dev.coffer.store.dynamodb;

import dev.coffer.testkit.Dynalite;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * One dynalite for the tests of this JVM (started on first use, stopped when the JVM ends; a test
 * is skipped when node/npm are missing), clients to it, and fresh DynamoDB table names. Each test
 * store lives in a table of its own. Thread-safe.
 */
public final class LocalDynamo {
  private static final AtomicInteger TABLES = new AtomicInteger();

  private LocalDynamo() {}

  /** The running dynalite of this JVM ({@link Dynalite#shared()}, started now when needed). */
  public static Dynalite dynalite() {
    return Dynalite.shared();
  }

  /** A client to dynalite, counting its requests in {@code counter} (may be null). */
  public static DynamoDbClient client(RequestCounter counter) {
    return client(dynalite().endpoint().toString(), counter);
  }

  /** A client to the DynamoDB endpoint {@code endpoint} (dynalite: any credentials). */
  public static DynamoDbClient client(String endpoint, RequestCounter counter) {
    var b =
        DynamoDbClient.builder()
            .endpointOverride(java.net.URI.create(endpoint))
            .region(Region.US_EAST_1)
            .httpClientBuilder(UrlConnectionHttpClient.builder())
            .credentialsProvider(
                StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")));
    if (counter != null) {
      b.overrideConfiguration(c -> c.addExecutionInterceptor(counter));
    }
    return b.build();
  }

  /** A DynamoDB table name no other test of this JVM uses. */
  public static String freshTable(String prefix) {
    return prefix + "-" + ProcessHandle.current().pid() + "-" + TABLES.incrementAndGet();
  }

  /** Counts the requests a client sends, per operation (GetItem, PutItem, ...). Thread-safe. */
  public static final class RequestCounter implements ExecutionInterceptor {
    private final java.util.concurrent.ConcurrentHashMap<
            String, java.util.concurrent.atomic.LongAdder>
        counts = new java.util.concurrent.ConcurrentHashMap<>();

    @Override
    public void beforeTransmission(
        Context.BeforeTransmission context, ExecutionAttributes attributes) {
      String op =
          attributes.getAttribute(
              software.amazon.awssdk.core.interceptor.SdkExecutionAttribute.OPERATION_NAME);
      counts
          .computeIfAbsent(op == null ? "?" : op, k -> new java.util.concurrent.atomic.LongAdder())
          .increment();
    }

    /** Requests sent so far. */
    public long total() {
      return counts.values().stream().mapToLong(java.util.concurrent.atomic.LongAdder::sum).sum();
    }

    /** Requests sent so far of {@code operation}. */
    public long of(String operation) {
      var a = counts.get(operation);
      return a == null ? 0 : a.sum();
    }

    /** Forgets the counts. */
    public void reset() {
      counts.clear();
    }

    @Override
    public String toString() {
      return counts.toString();
    }
  }
}
