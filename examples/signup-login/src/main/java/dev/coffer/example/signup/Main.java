package dev.coffer.example.signup;

import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.DataKeySpec;
import software.amazon.awssdk.services.kms.model.KeyMetadata;
import software.amazon.awssdk.services.kms.model.KmsException;

/**
 * The command line: {@code create-key} (run by the key administrator), {@code create-table}, {@code
 * try-key} and {@code serve} (run by the application). See {@link #USAGE}.
 *
 * <p>The clients are built with the SDK's defaults, so the endpoint, the region and the credentials
 * come from where every AWS SDK reads them: {@code AWS_ENDPOINT_URL} (or {@code
 * AWS_ENDPOINT_URL_DYNAMODB} and {@code AWS_ENDPOINT_URL_KMS}, or {@code endpoint_url} in a
 * profile), {@code AWS_REGION}, {@code AWS_ACCESS_KEY_ID} / {@code AWS_SECRET_ACCESS_KEY} or a
 * profile. Without an endpoint setting they talk to AWS; with {@code
 * AWS_ENDPOINT_URL=http://127.0.0.1:8000} to {@code coffer serve}. Nothing in the code knows which.
 */
public final class Main {
  static final String USAGE =
      """
      Usage: signup-login COMMAND [OPTIONS]
        create-key --admin-arn ARN --app-arn ARN [--alias alias/signup-login]
            Create the application's KMS key with the tutorial's key policy (the administrator may
            manage it, the application may use it) and its alias. Run as the key administrator.
        create-table [--table users]
            Create the users table (partition key email) unless it exists.
        try-key [--key-id alias/signup-login]
            Ask KMS for a data key under the key with the current credentials; exit 0 when allowed,
            1 when refused (the key administrator is refused: it may manage the key, not use it).
        serve [--port 8080] [--table users] [--key-id alias/signup-login]
            Serve the sign-up and log-in pages on 127.0.0.1 until Ctrl-C. Run as the application.
      Endpoint, region and credentials: the AWS SDK's settings (AWS_ENDPOINT_URL, AWS_REGION,
      AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, or a profile).
      """;

  private static final Map<String, Set<String>> OPTIONS =
      Map.of(
          "create-key", Set.of("--admin-arn", "--app-arn", "--alias"),
          "create-table", Set.of("--table"),
          "try-key", Set.of("--key-id"),
          "serve", Set.of("--port", "--table", "--key-id"));

  private Main() {}

  public static void main(String[] args) throws Exception {
    System.exit(run(args, System.out, System.err));
  }

  static int run(String[] args, PrintStream out, PrintStream err) throws Exception {
    if (args.length == 0 || !OPTIONS.containsKey(args[0])) {
      err.print(USAGE);
      return 2;
    }
    Map<String, String> opts = new HashMap<>();
    for (int i = 1; i < args.length; i += 2) {
      if (!OPTIONS.get(args[0]).contains(args[i]) || i + 1 == args.length) {
        err.println("signup-login " + args[0] + ": unknown option or missing value: " + args[i]);
        err.print(USAGE);
        return 2;
      }
      opts.put(args[i], args[i + 1]);
    }
    String table = opts.getOrDefault("--table", "users");
    String keyId =
        opts.getOrDefault("--key-id", opts.getOrDefault("--alias", "alias/signup-login"));
    try {
      return command(args[0], opts, table, keyId, out, err);
    } catch (AwsServiceException e) {
      err.println(
          "signup-login "
              + args[0]
              + ": "
              + e.awsErrorDetails().serviceName()
              + " refused the request ("
              + e.awsErrorDetails().errorCode()
              + "): "
              + e.awsErrorDetails().errorMessage());
      return 1;
    } catch (SdkClientException e) {
      err.println("signup-login " + args[0] + ": " + e.getMessage());
      return 1;
    }
  }

  private static int command(
      String command,
      Map<String, String> opts,
      String table,
      String keyId,
      PrintStream out,
      PrintStream err)
      throws Exception {
    switch (command) {
      case "create-key" -> {
        if (!opts.containsKey("--admin-arn") || !opts.containsKey("--app-arn")) {
          err.println("signup-login create-key: --admin-arn and --app-arn are required");
          return 2;
        }
        try (KmsClient kms = kms()) {
          KeyMetadata key =
              AppKey.create(kms, keyId, opts.get("--admin-arn"), opts.get("--app-arn"));
          out.println("KMS key " + key.arn() + " (" + keyId + ")");
        }
      }
      case "create-table" -> {
        try (DynamoDbClient dynamo = dynamo()) {
          out.println(
              Accounts.createTable(dynamo, table)
                  ? "Created table " + table
                  : "Table " + table + " exists");
        }
      }
      case "try-key" -> {
        try (KmsClient kms = kms()) {
          kms.generateDataKey(
              b ->
                  b.keyId(keyId)
                      .keySpec(DataKeySpec.AES_256)
                      .encryptionContext(FieldEnvelope.context("try-key", "none")));
          out.println("GenerateDataKey under " + keyId + ": allowed");
        } catch (KmsException e) {
          out.println(
              "GenerateDataKey under "
                  + keyId
                  + ": refused: "
                  + e.awsErrorDetails().errorCode()
                  + ": "
                  + e.awsErrorDetails().errorMessage());
          return 1;
        }
      }
      case "serve" ->
          serve(Integer.parseInt(opts.getOrDefault("--port", "8080")), table, keyId, out);
      default -> throw new IllegalStateException(command);
    }
    return 0;
  }

  private static void serve(int port, String table, String keyId, PrintStream out)
      throws Exception {
    CountDownLatch stopped = new CountDownLatch(1);
    try (DynamoDbClient dynamo = dynamo();
        KmsClient kms = kms();
        SignupLoginApp app =
            SignupLoginApp.start(
                new Accounts(dynamo, table, new PasswordHasher(), new FieldEnvelope(kms, keyId)),
                new InetSocketAddress(InetAddress.getLoopbackAddress(), port))) {
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    app.close();
                    stopped.countDown();
                  }));
      out.println(
          "Sign-up / log-in example on "
              + app.uri()
              + " (table "
              + table
              + ", KMS key "
              + keyId
              + "). Ctrl-C stops it.");
      out.flush();
      stopped.await();
    }
  }

  /** A DynamoDB client configured the SDK's usual way (see the class comment). */
  static DynamoDbClient dynamo() {
    return DynamoDbClient.builder().httpClient(UrlConnectionHttpClient.create()).build();
  }

  /** A KMS client configured the SDK's usual way (see the class comment). */
  static KmsClient kms() {
    return KmsClient.builder().httpClient(UrlConnectionHttpClient.create()).build();
  }
}
