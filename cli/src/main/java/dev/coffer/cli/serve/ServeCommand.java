package dev.coffer.cli.serve;

import dev.coffer.Coffer;
import dev.coffer.cli.CliContext;
import dev.coffer.cli.CliInputException;
import dev.coffer.cli.ExitCode;
import dev.coffer.cli.RunContext;
import dev.coffer.cli.input.WholeNumbers;
import dev.coffer.kms.KeyProvider;
import dev.coffer.kms.ManagedKeyProvider;
import dev.coffer.server.CofferServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code coffer serve}: the store named by the global options (a directory, or a shared record
 * backend with {@code --backend}) served over DynamoDB's JSON protocol, and its key provider's keys
 * over KMS's, on one port of 127.0.0.1 ({@link CofferServer}), until SIGINT or SIGTERM; then a
 * graceful stop (running requests finish) and the store is closed.
 */
@Command(
    name = "serve",
    description = {
      "Serve the store over the AWS DynamoDB JSON protocol, and its keys over the AWS KMS protocol,",
      "on one port of 127.0.0.1, for the AWS SDKs and the AWS CLI (--endpoint-url). Requests are",
      "checked with SigV4; each access key acts as a principal; a principal whose key policy refuses",
      "kms:Decrypt on the master key is refused every data call. Runs until interrupted (Ctrl-C,",
      "SIGTERM): running requests finish, then the store is closed. With --backend the store lives",
      "in a shared record backend (dynamodb:...), which other instances (coffer serve, the coffer",
      "commands, applications) may have open at the same time."
    },
    footer = {
      "",
      "Examples:",
      "  coffer serve --port 8000",
      "  coffer serve --port 8000 --principal-key alice --principal-key bob",
      "  coffer serve --credentials-file creds.csv --region eu-west-2",
      "  coffer serve --port 8000 --backend 'dynamodb:orders-store?region=eu-west-1'",
      "  aws --endpoint-url http://127.0.0.1:8000 dynamodb list-tables",
      "",
      "Generated access keys are printed once, with their secrets.",
      "A credentials file has lines 'accessKeyId,secretAccessKey,principal'",
      "(as for coffer kms serve).",
      "The key provider must keep its own keys (local: or memory:)."
    })
public final class ServeCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin RunContext run;

  @Option(
      names = "--port",
      converter = WholeNumbers.Port.class,
      description = "Port on 127.0.0.1 (default: a free one).")
  int port;

  @Option(
      names = "--principal-key",
      paramLabel = "NAME|ARN",
      description =
          "Generate an access key for this principal (repeatable; default: the store's principal).")
  List<String> principals = new ArrayList<>();

  @Option(
      names = "--credentials-file",
      paramLabel = "FILE",
      description = "Access keys to accept, one 'accessKeyId,secretAccessKey,principal' per line.")
  Path credentialsFile;

  @Option(
      names = "--region",
      description = "Region of SigV4 scopes and table ARNs (default: us-east-1).")
  String region = "us-east-1";

  @Option(
      names = "--workers",
      converter = WholeNumbers.Threads.class,
      description = "Threads that run operations (default: twice the processors).")
  Integer workers;

  @Option(
      names = "--max-seconds",
      hidden = true,
      converter = WholeNumbers.Seconds.class,
      description = "Stop after this many seconds (tests).")
  long maxSeconds;

  @Override
  public Integer call() throws IOException {
    CliContext context = run.get();
    KeyProvider provider = context.keyProvider();
    if (!(provider instanceof ManagedKeyProvider)) {
      throw new CliInputException(
          "coffer serve needs a key provider that keeps its own keys (local: or memory:),"
              + " not "
              + provider.scheme()
              + ":");
    }
    if (System.getProperty("org.slf4j.simpleLogger.log.org.eclipse.jetty") == null) {
      System.setProperty(
          "org.slf4j.simpleLogger.log.org.eclipse.jetty", "warn"); // no start/stop banners
    }
    Coffer store = context.coffer(true);
    PrintWriter out = spec.commandLine().getOut();
    CofferServer.Builder builder =
        CofferServer.builder().store(store).keyProvider(provider).port(port).region(region);
    if (workers != null) {
      builder.workerThreads(workers);
    }
    List<String[]> generated = new ArrayList<>();
    if (credentialsFile != null) {
      readCredentials(builder);
    }
    if (credentialsFile == null || !principals.isEmpty()) {
      List<String> names = principals.isEmpty() ? List.of(provider.principal()) : principals;
      for (String principal : names) {
        String[] key = {newAccessKeyId(), newSecret(), principal};
        builder.credentials(key[0], key[1], key[2]);
        generated.add(key);
      }
    }
    CountDownLatch stop = new CountDownLatch(1);
    CountDownLatch stopped = new CountDownLatch(1);
    Thread hook =
        new Thread(
            () -> {
              stop.countDown();
              try {
                stopped.await(
                    60,
                    TimeUnit
                        .SECONDS); // let the graceful stop and the store's close finish before the
                // JVM exits
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "coffer-serve-stop");
    try {
      try (CofferServer server = builder.start()) {
        Runtime.getRuntime().addShutdownHook(hook);
        out.printf(
            "Coffer serve listening on %s (DynamoDB%s, region %s)%n",
            server.endpointUri(), server.servesKms() ? " and KMS" : "", region);
        out.printf(
            "  store %s, master key %s, keys from %s%n",
            store.location(), store.keyInfo().masterKeyId(), context.keyProviderUri());
        for (String[] key : generated) {
          out.printf(
              "  principal %-12s AWS_ACCESS_KEY_ID=%s AWS_SECRET_ACCESS_KEY=%s%n",
              key[2], key[0], key[1]);
        }
        out.printf(
            "Try: aws --endpoint-url %s --region %s dynamodb list-tables%nPress Ctrl-C to stop.%n",
            server.endpointUri(), region);
        out.flush();
        awaitStop(stop);
        out.println("Stopping: letting running requests finish, then closing the store.");
        out.flush();
      }
      store.close();
    } finally {
      stopped.countDown();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // the JVM is exiting: the hook is running and waits for 'stopped'
      }
    }
    return ExitCode.OK;
  }

  private void awaitStop(CountDownLatch stop) {
    try {
      if (maxSeconds > 0) {
        stop.await(maxSeconds, TimeUnit.SECONDS);
      } else {
        stop.await();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void readCredentials(CofferServer.Builder builder) throws IOException {
    int n = 0;
    for (String line : Files.readAllLines(credentialsFile, StandardCharsets.UTF_8)) {
      n++;
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      String[] parts = line.split(",", -1);
      if (parts.length != 3 || parts[0].isBlank() || parts[1].isBlank() || parts[2].isBlank()) {
        throw new CliInputException(
            credentialsFile + " line " + n + ": expected accessKeyId,secretAccessKey,principal");
      }
      try {
        builder.credentials(parts[0].strip(), parts[1].strip(), parts[2].strip());
      } catch (IllegalArgumentException e) {
        throw new CliInputException(credentialsFile + " line " + n + ": " + e.getMessage());
      }
    }
  }

  private static String newAccessKeyId() {
    byte[] b = new byte[8];
    new SecureRandom().nextBytes(b);
    return "AKIA" + HexFormat.of().formatHex(b).toUpperCase(Locale.ROOT);
  }

  private static String newSecret() {
    byte[] b = new byte[30];
    new SecureRandom().nextBytes(b);
    return Base64.getEncoder().encodeToString(b);
  }
}
