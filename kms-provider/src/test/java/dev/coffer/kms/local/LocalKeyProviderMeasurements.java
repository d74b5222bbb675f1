package dev.coffer.kms.local;

import dev.coffer.kms.DataKey;
import dev.coffer.kms.EncryptionContext;
import dev.coffer.kms.KeyManagement.CreateKeyRequest;
import dev.coffer.kms.SecretBytes;
import dev.coffer.kms.WrappedKey;
import dev.coffer.kms.audit.AuditSink;
import dev.coffer.kms.memory.InMemoryKeyProvider;
import dev.coffer.proto.Argon2idParams;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Measures what docs/key-providers.md reports: Argon2id derivation with the default costs, opening
 * a keystore, and the local provider's unwrap ({@code decrypt}) and {@code generateDataKey}
 * latency. Not a test (no timing assertions anywhere). Run after {@code mvn verify}:
 *
 * <pre>
 * java -cp "kms-provider/target/test-classes:kms-provider/target/classes:$(cat cp.txt)" \
 *     dev.coffer.kms.local.LocalKeyProviderMeasurements
 * </pre>
 */
public final class LocalKeyProviderMeasurements {
  private LocalKeyProviderMeasurements() {}

  public static void main(String[] args) throws Exception {
    char[] pass = "measure me".toCharArray();
    // Argon2id with the defaults.
    long[] ms = new long[7];
    for (int i = 0; i < ms.length; i++) {
      Argon2idParams params =
          Argon2id.newParams(Argon2id.DEFAULT_MEMORY_KIB, Argon2id.DEFAULT_ITERATIONS, Argon2id.DEFAULT_PARALLELISM);
      long t = System.nanoTime();
      Argon2id.derive(pass, params).destroy();
      ms[i] = (System.nanoTime() - t) / 1_000_000;
    }
    System.out.printf(
        "Argon2id m=%d KiB t=%d p=%d: runs %s ms, median %d ms%n",
        Argon2id.DEFAULT_MEMORY_KIB, Argon2id.DEFAULT_ITERATIONS, Argon2id.DEFAULT_PARALLELISM,
        Arrays.toString(ms), median(ms));

    Path dir = Files.createTempDirectory("coffer-measure");
    Path file = dir.resolve("m.keystore");
    long t0 = System.nanoTime();
    LocalKeyProvider created = LocalKeyProvider.builder().keystore(file).passphrase(pass).auditSink(AuditSink.none()).build();
    System.out.printf("create keystore (default costs): %d ms%n", (System.nanoTime() - t0) / 1_000_000);
    String key = created.createKey(CreateKeyRequest.withDescription("m")).keyId();
    created.close();
    t0 = System.nanoTime();
    try (LocalKeyProvider p = LocalKeyProvider.builder().keystore(file).passphrase(pass).auditSink(AuditSink.none()).build()) {
      System.out.printf("open keystore (default costs): %d ms%n", (System.nanoTime() - t0) / 1_000_000);
      EncryptionContext ctx = EncryptionContext.of("store", "s", "table", "t", "purpose", "page", "version", "1");
      WrappedKey wrapped;
      try (DataKey dk = p.generateDataKey(key, ctx)) {
        wrapped = dk.wrapped();
      }
      for (int round = 0; round < 3; round++) {
        int n = 50_000;
        long t = System.nanoTime();
        for (int i = 0; i < n; i++) {
          try (SecretBytes s = p.decrypt(wrapped, ctx)) {
            // unwrap only
          }
        }
        long decryptNs = (System.nanoTime() - t) / n;
        t = System.nanoTime();
        for (int i = 0; i < n; i++) {
          p.generateDataKey(key, ctx).close();
        }
        long generateNs = (System.nanoTime() - t) / n;
        System.out.printf("round %d: decrypt %.1f us/op, generateDataKey %.1f us/op (SLF4J audit off)%n",
            round, decryptNs / 1000.0, generateNs / 1000.0);
      }
      InMemoryKeyProvider mem =
          InMemoryKeyProvider.builder().auditSink(AuditSink.none()).build();
      String memKey = mem.createKey(CreateKeyRequest.withDescription("m")).keyId();
      WrappedKey memWrapped;
      try (DataKey dk = mem.generateDataKey(memKey, ctx)) {
        memWrapped = dk.wrapped();
      }
      for (int round = 0; round < 3; round++) {
        int n = 50_000;
        long t = System.nanoTime();
        for (int i = 0; i < n; i++) {
          mem.decrypt(memWrapped, ctx).close();
        }
        System.out.printf("in-memory provider, same ring: decrypt %.1f us/op%n", (System.nanoTime() - t) / 1000.0 / n);
      }
      long t = System.nanoTime();
      int n = 200;
      for (int i = 0; i < n; i++) {
        p.disableKey(key);
        p.enableKey(key);
      }
      System.out.printf("key update (locked reload-modify-save with fsync): %.2f ms/op%n", (System.nanoTime() - t) / 1e6 / (2 * n));
    }
  }

  private static long median(long[] a) {
    long[] s = a.clone();
    Arrays.sort(s);
    return s[s.length / 2];
  }
}
