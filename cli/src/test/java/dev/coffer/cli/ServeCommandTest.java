package dev.coffer.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coffer.kms.AccessDeniedException;
import dev.coffer.kms.DataKey;
import dev.coffer.kms.EncryptionContext;
import dev.coffer.kms.KeyManagement.CreateKeyRequest;
import dev.coffer.kms.aws.AwsKmsKeyProvider;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * {@code coffer kms serve}: the endpoint answers the AWS SDK as each principal, with key policies.
 */
class ServeCommandTest {
  private static final Pattern URL = Pattern.compile("listening on (http://127\\.0\\.0\\.1:\\d+)");

  @Test
  @Timeout(60)
  void servesTheKeystoreToTheSdkAsEachPrincipal() throws Exception {
    CliRun cli = new CliRun();
    String keyArn = cli.provider.createKey(CreateKeyRequest.withDescription("served")).arn();
    StringWriter out = new StringWriter();
    AtomicInteger exit = new AtomicInteger(-1);
    Thread server =
        new Thread(
            () ->
                exit.set(
                    command(cli, out, new StringWriter())
                        .execute(
                            "kms",
                            "serve",
                            "--principal-key",
                            "root",
                            "--principal-key",
                            "bob",
                            "--max-seconds",
                            "50")));
    server.start();
    try {
      while (!out.toString().contains("Press Ctrl-C")) {
        assertThat(server.isAlive()).as(out.toString()).isTrue();
        Thread.sleep(20);
      }
      String text = out.toString();
      Matcher url = URL.matcher(text);
      assertThat(url.find()).as(text).isTrue();
      URI endpoint = URI.create(url.group(1));
      EncryptionContext ctx = EncryptionContext.of("purpose", "test");

      try (AwsKmsKeyProvider root = sdk(endpoint, text, "root");
          DataKey key = root.generateDataKey(keyArn, ctx);
          AwsKmsKeyProvider bob = sdk(endpoint, text, "bob")) {
        assertThat(root.decrypt(key.wrapped(), ctx).contentEquals(key.plaintext())).isTrue();
        assertThatThrownBy(() -> bob.decrypt(key.wrapped(), ctx))
            .isInstanceOf(AccessDeniedException.class)
            .hasMessageContaining(
                "arn:aws:iam::111122223333:user/bob is not authorized to perform: kms:Decrypt");
      }
    } finally {
      server.interrupt();
      server.join(10_000);
    }
    assertThat(exit.get()).isZero();
  }

  @Test
  void refusesAMalformedCredentialsFile(@TempDir Path tmp) throws Exception {
    Path creds = Files.writeString(tmp.resolve("creds.csv"), "AKIA1,secret\n");
    CliRun cli = new CliRun();
    CliRun.Result r =
        cli.run("kms", "serve", "--credentials-file", creds.toString(), "--max-seconds", "1");
    assertThat(r.exitCode()).isNotZero();
    assertThat(r.err()).contains("line 1: expected accessKeyId,secretAccessKey,principal");
  }

  private static CommandLine command(CliRun cli, StringWriter out, StringWriter err) {
    CommandLine cmd =
        Main.newCommandLine(
            CliEnvironment.builder()
                .variables(cli.env::get)
                .opener(cli.opener)
                .prompt(PassphrasePrompt.none())
                .build());
    cmd.setOut(new PrintWriter(out, true));
    cmd.setErr(new PrintWriter(err, true));
    return cmd;
  }

  private static AwsKmsKeyProvider sdk(URI endpoint, String serveOutput, String principal) {
    Matcher m =
        Pattern.compile(
                "principal "
                    + principal
                    + "\\s+AWS_ACCESS_KEY_ID=(\\S+) AWS_SECRET_ACCESS_KEY=(\\S+)")
            .matcher(serveOutput);
    assertThat(m.find()).as(serveOutput).isTrue();
    return AwsKmsKeyProvider.builder()
        .region("us-east-1")
        .endpointOverride(endpoint)
        .credentialsProvider(
            StaticCredentialsProvider.create(AwsBasicCredentials.create(m.group(1), m.group(2))))
        .build();
  }
}
