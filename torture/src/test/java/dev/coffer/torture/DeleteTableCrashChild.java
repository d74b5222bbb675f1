package dev.coffer.torture;

import dev.coffer.Coffer;
import dev.coffer.CofferOptions;
import dev.coffer.kms.audit.AuditSink;
import dev.coffer.kms.aws.AwsKmsKeyProvider;
import java.net.URI;
import java.nio.file.Path;

/**
 * The child JVM of {@link DeleteTableCrashFaultTest}: opens the store through the aws-kms provider
 * (the parent's KMS endpoint holds the keys, so they outlive this process) and deletes a table; the
 * engine's audit record of the deletion's first step ("keys destroyed (step 1 of 2)", written after
 * the step's synced write) halts the JVM at once, as a crash between the two steps would.
 * Arguments: store dir, endpoint URI, master key ARN, table name. Exit code 9: halted after step 1
 * (expected); 4: the deletion returned (it was not interrupted).
 */
public final class DeleteTableCrashChild {
  private DeleteTableCrashChild() {}

  public static void main(String[] args) {
    AuditSink haltAfterStep1 =
        r -> {
          if (r.action().equals("coffer:DeleteTable") && r.message().contains("step 1 of 2")) {
            System.out.println("STEP1");
            System.out.flush();
            Runtime.getRuntime().halt(9);
          }
        };
    try (AwsKmsKeyProvider keys = AwsKmsRig.provider(URI.create(args[1]), new AuditLog())) {
      Coffer c =
          Coffer.open(
              Path.of(args[0]),
              CofferOptions.builder()
                  .keyProvider(keys)
                  .masterKeyId(args[2])
                  .syncWrites(true)
                  .auditSink(haltAfterStep1)
                  .build());
      System.out.println("OPEN");
      c.deleteTable(args[3]);
      System.out.println("RETURNED");
    }
    System.exit(4);
  }
}
