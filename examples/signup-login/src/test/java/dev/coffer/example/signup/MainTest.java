package dev.coffer.example.signup;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command line as the README runs it, configured only the AWS SDK's way: the endpoint, region
 * and credentials are the SDK's system properties ({@code aws.endpointUrl}, {@code aws.region},
 * {@code aws.accessKeyId}, {@code aws.secretAccessKey}; the README sets their environment
 * variables), pointing at an in-process {@code coffer serve}.
 */
class MainTest {
  private static final List<String> PROPERTIES =
      List.of("aws.endpointUrl", "aws.region", "aws.accessKeyId", "aws.secretAccessKey");

  @TempDir Path dir;

  private CofferServe serve;

  @BeforeEach
  void start() {
    serve = new CofferServe(dir);
  }

  @AfterEach
  void stop() {
    PROPERTIES.forEach(System::clearProperty);
    serve.close();
  }

  /** Runs the command line as {@code principal}; its exit code and what it printed. */
  private Map.Entry<Integer, String> run(String principal, String... args) throws Exception {
    System.setProperty("aws.endpointUrl", serve.endpoint().toString());
    System.setProperty("aws.region", "us-east-1");
    System.setProperty("aws.accessKeyId", CofferServe.accessKeyId(principal));
    System.setProperty("aws.secretAccessKey", CofferServe.secret(principal));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8)) {
      int code = Main.run(args, print, print);
      return Map.entry(code, out.toString(StandardCharsets.UTF_8));
    }
  }

  @Test
  void theReadmeStepsAgainstCofferServe() throws Exception {
    var created =
        run(
            "admin",
            "create-key",
            "--admin-arn",
            CofferServe.ADMIN_ARN,
            "--app-arn",
            CofferServe.APP_ARN);
    assertThat(created.getKey()).isZero();
    assertThat(created.getValue())
        .matches(
            "KMS key arn:aws:kms:us-east-1:111122223333:key/[0-9a-f-]{36}"
                + " \\(alias/signup-login\\)\\R");

    var adminTry = run("admin", "try-key");
    assertThat(adminTry.getKey()).isEqualTo(1);
    assertThat(adminTry.getValue())
        .startsWith(
            "GenerateDataKey under alias/signup-login: refused:"
                + " AccessDeniedException: User: arn:aws:iam::111122223333:user/admin is not authorized to perform:"
                + " kms:GenerateDataKey on resource: arn:aws:kms:us-east-1:111122223333:key/");

    var appTry = run("app", "try-key");
    assertThat(appTry.getKey()).isZero();
    assertThat(appTry.getValue())
        .isEqualTo("GenerateDataKey under alias/signup-login: allowed" + System.lineSeparator());

    assertThat(run("app", "create-table").getValue())
        .isEqualTo("Created table users" + System.lineSeparator());
    assertThat(run("app", "create-table").getValue())
        .isEqualTo("Table users exists" + System.lineSeparator());
    // the administrator may not create tables in this store: no kms:Decrypt on the store's key
    var adminTable = run("admin", "create-table", "--table", "audit");
    assertThat(adminTable.getKey()).isEqualTo(1);
    assertThat(adminTable.getValue())
        .startsWith(
            "signup-login create-table: DynamoDb refused the request"
                + " (AccessDeniedException): User: arn:aws:iam::111122223333:user/admin is not authorized to perform:"
                + " kms:Decrypt on resource: arn:aws:kms:us-east-1:111122223333:key/");
  }

  @Test
  void usageErrors() throws Exception {
    assertThat(run("app", "no-such-command").getKey()).isEqualTo(2);
    var missing = run("admin", "create-key", "--admin-arn", CofferServe.ADMIN_ARN);
    assertThat(missing.getKey()).isEqualTo(2);
    assertThat(missing.getValue()).contains("--admin-arn and --app-arn are required");
    var unknown = run("app", "serve", "--host", "0.0.0.0");
    assertThat(unknown.getKey()).isEqualTo(2);
    assertThat(unknown.getValue())
        .contains("unknown option or missing value: --host")
        .contains("Usage:");
  }
}
