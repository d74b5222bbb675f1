package dev.coffer.server;

import dev.coffer.testkit.Dynalite;
import java.nio.file.Path;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * A DynamoDB implementation under test: {@code coffer serve} or dynalite, behind the same SDK
 * client.
 */
enum Targets {
  COFFER,
  DYNALITE;

  /** A running instance and a client for it. */
  interface Running extends AutoCloseable {
    DynamoDbClient client();

    Targets target();

    @Override
    void close();
  }

  Running start(Path dir) {
    if (this == COFFER) {
      ServeFixture serve = ServeFixture.start(dir);
      DynamoDbClient client = serve.dynamo();
      return new Running() {
        public DynamoDbClient client() {
          return client;
        }

        public Targets target() {
          return COFFER;
        }

        public void close() {
          client.close();
          serve.close();
        }
      };
    }
    Dynalite dynalite = Dynalite.start();
    DynamoDbClient client =
        ServeFixture.dynamo(
            dynalite.endpoint(),
            ServeFixture.accessKeyId("root"),
            ServeFixture.secret("root"),
            "us-east-1");
    return new Running() {
      public DynamoDbClient client() {
        return client;
      }

      public Targets target() {
        return DYNALITE;
      }

      public void close() {
        client.close();
        dynalite.close();
      }
    };
  }
}
