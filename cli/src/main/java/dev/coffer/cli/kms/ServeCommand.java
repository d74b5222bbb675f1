package dev.coffer.cli.kms;

import dev.coffer.cli.CliContext;
import dev.coffer.cli.CliInputException;
import dev.coffer.cli.ExitCode;
import dev.coffer.cli.RunContext;
import dev.coffer.cli.input.WholeNumbers;
import dev.coffer.kms.KeyProvider;
import dev.coffer.kms.ManagedKeyProvider;
import dev.coffer.kms.endpoint.KmsEndpoint;
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
 * {@code coffer kms serve}: the KMS-compatible endpoint ({@link KmsEndpoint}, in {@code
 * coffer-server}) on loopback, backed by the keystore of {@code --key-provider}, until interrupted;
 * then running requests finish. Each principal gets an access key; key policies apply to each as in
 * the keystore. The endpoint's timeouts and limits (header and body deadlines, a bounded worker
 * pool and queue, size limits) keep stalled or trickling clients from stopping the others.
 */
@Command(
    name = "serve",
    description = {
      "Serve the keystore over the AWS KMS JSON protocol on 127.0.0.1, for the AWS SDKs and the",
      "AWS CLI (--endpoint-url). Requests are checked with SigV4; each access key acts as a",
      "principal, and key policies apply. Runs until interrupted (Ctrl-C); requests already",
      "received finish first. Clients that stall or trickle are cut off by deadlines (10 s",
      "for a request's headers, 10 s for its body) and never hold a worker thread."
    },
    footer = {
      "",
      "Examples:",
      "  coffer kms serve --port 4599 --principal-key alice --principal-key bob",
      "  coffer kms serve --credentials-file creds.csv",
      "",
      "Generated access keys are printed once, with their secrets (what you asked",
      "for).",
      "A credentials file has lines 'accessKeyId,secretAccessKey,principal'."
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
          "Generate an access key for this principal (repeatable; default: the account root).")
  List<String> principals = new ArrayList<>();

  @Option(
      names = "--credentials-file",
      paramLabel = "FILE",
      description = "Access keys to accept, one 'accessKeyId,secretAccessKey,principal' per line.")
  Path credentialsFile;

  @Option(names = "--region", description = "Region in ARNs and SigV4 scopes (default: us-east-1).")
  String region = "us-east-1";

  @Option(
      names = "--workers",
      converter = WholeNumbers.Threads.class,
      description = "Threads that run operations (default: 4).")
  int workers = 4;

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
    if (!(provider instanceof ManagedKeyProvider keys)) {
      throw new CliInputException(
          "kms serve needs a provider that keeps its own keys (local: or memory:), not "
              + provider.scheme()
              + ":");
    }
    PrintWriter out = spec.commandLine().getOut();
    KmsEndpoint.Builder builder =
        KmsEndpoint.builder().keys(keys).port(port).region(region).threads(workers);
    List<String[]> generated = new ArrayList<>();
    if (credentialsFile != null) {
      readCredentials(builder);
    }
    if (credentialsFile == null || !principals.isEmpty()) {
      for (String principal : principals.isEmpty() ? List.of("root") : principals) {
        String[] key = {newAccessKeyId(), newSecret(), principal};
        builder.credentials(key[0], key[1], key[2]);
        generated.add(key);
      }
    }
    CountDownLatch stop = new CountDownLatch(1);
    Thread hook = new Thread(stop::countDown, "coffer-kms-serve-stop");
    try (KmsEndpoint endpoint = builder.start()) {
      Runtime.getRuntime().addShutdownHook(hook);
      out.printf(
          "KMS endpoint listening on %s (region %s), keys from %s%n",
          endpoint.endpointUri(), region, context.keyProviderUri());
      for (String[] key : generated) {
        out.printf(
            "  principal %-12s AWS_ACCESS_KEY_ID=%s AWS_SECRET_ACCESS_KEY=%s%n",
            key[2], key[0], key[1]);
      }
      out.printf(
          "Try: aws --endpoint-url %s --region %s kms list-keys%nPress Ctrl-C to stop.%n",
          endpoint.endpointUri(), region);
      out.flush();
      awaitStop(stop);
    } finally {
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // the JVM is exiting: the hook has run or is running
      }
    }
    return ExitCode.OK;
  }

  /**
   * Waits for Ctrl-C (the shutdown hook), an interrupt, or --max-seconds: each is a normal stop.
   */
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

  private void readCredentials(KmsEndpoint.Builder builder) throws IOException {
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
      builder.credentials(parts[0].strip(), parts[1].strip(), parts[2].strip());
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
