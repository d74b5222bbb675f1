package dev.coffer.bench;

import dev.coffer.AttributeType;
import dev.coffer.Coffer;
import dev.coffer.CofferOptions;
import dev.coffer.Item;
import dev.coffer.MasterKeyRotation;
import dev.coffer.Table;
import dev.coffer.TableSpec;
import dev.coffer.kms.KeyManagement.CreateKeyRequest;
import dev.coffer.kms.SecretBytes;
import dev.coffer.kms.audit.AuditSink;
import dev.coffer.kms.local.LocalKeyProvider;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.stream.Stream;

/**
 * A throwaway timed run (not a test): master-key rotation (rewrap) time of a store of about {@code
 * args[0]} MB in {@code args[1]} tables, with the local keystore provider. Rewrap touches no page,
 * so the time should not depend on the size.
 *
 * <pre>
 * ./mvnw -q -pl engine -am test-compile
 * java -cp engine/target/test-classes:engine/target/classes:$(cat cp.txt) dev.coffer.bench.RewrapTimeMain 200 1
 * </pre>
 */
public final class RewrapTimeMain {
  private RewrapTimeMain() {}

  public static void main(String[] args) throws Exception {
    long megabytes = Long.parseLong(args[0]);
    int tables = args.length > 1 ? Integer.parseInt(args[1]) : 1;
    Path tmp = Files.createTempDirectory("coffer-rewrap");
    byte[] raw = new byte[32];
    new SecureRandom().nextBytes(raw);
    try (LocalKeyProvider p = LocalKeyProvider.builder().keystore(tmp.resolve("keystore"))
        .rawKey(SecretBytes.wrap(raw)).auditSink(AuditSink.none()).build()) {
      String key = p.createKey(CreateKeyRequest.withDescription("rewrap timing")).keyId();
      CofferOptions options = CofferOptions.builder().keyProvider(p).masterKeyId(key).auditSink(AuditSink.none())
          .build();
      Path dir = tmp.resolve("store");
      String pad = "x".repeat(1000);
      long items = megabytes * 1000;
      try (Coffer c = Coffer.open(dir, options)) {
        for (int t = 0; t < tables; t++) {
          Table table = c.createTable(TableSpec.builder().name("table" + t).partitionKey("pk", AttributeType.S)
              .sortKey("sk", AttributeType.N).build());
          for (long i = t; i < items; i += tables) {
            table.putItem(Item.builder().string("pk", "p" + (i % 5000)).number("sk", i).string("pad", pad).build());
          }
          table.rotateDataKey(); // two live versions per table
        }
        c.flush();
      }
      long bytes;
      try (Stream<Path> files = Files.walk(dir)) {
        bytes = files.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
      }
      try (Coffer c = Coffer.open(dir, options)) {
        c.rotateMasterKey(); // warm-up (class loading, JIT)
        long best = Long.MAX_VALUE;
        int keys = 0;
        for (int i = 0; i < 5; i++) {
          p.rotateKeyOnDemand(key);
          MasterKeyRotation r = c.rotateMasterKey();
          best = Math.min(best, r.duration().toNanos());
          keys = r.keysRewrapped();
        }
        System.out.printf("store %.1f MB on disk, %d tables, %d keys re-wrapped, best of 5: %.2f ms%n",
            bytes / 1e6, tables, keys, best / 1e6);
      }
    }
  }
}
