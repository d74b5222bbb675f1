package dev.coffer.cli;

import dev.coffer.Coffer;
import dev.coffer.DataKeyVersionInfo;
import dev.coffer.Key;
import dev.coffer.MasterKeyRotation;
import dev.coffer.ReencryptOptions;
import dev.coffer.ReencryptResult;
import dev.coffer.Table;
import dev.coffer.kms.KeyManagement;
import dev.coffer.kms.KeyProviderException;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.stream.Collectors;

/**
 * The key-lifecycle part of the demo, on an open store serving reads and writes: master-key
 * rotation by rewrap, data-key rotation with online re-encryption, and a master key scheduled for
 * deletion (the store refuses), then restored (the store works again, without a reopen).
 */
final class LifecycleDemo {
  private final PrintWriter out;

  LifecycleDemo(PrintWriter out) {
    this.out = out;
  }

  void run(Coffer coffer, KeyManagement admin, String keyId, Key probe) {
    Table users = coffer.table("users");
    Table orders = coffer.table("orders");

    long sealsBefore = totalSeals(coffer);
    admin.rotateKeyOnDemand(keyId);
    MasterKeyRotation rotation = coffer.rotateMasterKey();
    long sealsAfter = totalSeals(coffer);
    out.printf(
        "6. Master key rotated in the provider; Coffer re-wrapped its %d keys under the new version in"
            + " %.1f ms.%n   Pages sealed before and after: %d and %d: no page was read or rewritten.%n",
        rotation.keysRewrapped(), rotation.duration().toNanos() / 1e6, sealsBefore, sealsAfter);

    int version = orders.rotateDataKey();
    out.printf(
        "7. orders: data key rotated to version %d (new pages use it); re-encrypting the older pages online:%n",
        version);
    long[] lastPrinted = {-1};
    ReencryptResult result =
        orders.reencrypt(
            ReencryptOptions.builder()
                .persistEveryPages(8)
                .listener(
                    p -> {
                      if (p.pagesDone() != lastPrinted[0]
                          && (p.pagesDone() == p.pagesTotal() || p.pagesDone() % 8 == 0)) {
                        lastPrinted[0] = p.pagesDone();
                        out.printf(
                            "   %d/%d pages, %,d bytes, %.0f KB/s, ETA %d ms%n",
                            p.pagesDone(),
                            p.pagesTotal(),
                            p.bytesDone(),
                            p.bytesPerSecond() / 1024,
                            p.eta().toMillis());
                      }
                    })
                .build());
    out.printf(
        "   re-sealed %d records (%,d bytes) in %d ms; destroyed versions %s; orders data keys now: %s%n",
        result.pagesResealed(),
        result.bytesResealed(),
        result.duration().toMillis(),
        result.destroyedVersions(),
        orders.describe().dataKeys().stream()
            .map(d -> "v" + d.version() + " " + d.state())
            .collect(Collectors.joining(", ")));

    Instant deletion = admin.scheduleKeyDeletion(keyId, 7);
    out.printf(
        "8. The master key is scheduled for deletion on %s; the store fails closed:%n", deletion);
    attempt(users, probe);
    admin.cancelKeyDeletion(keyId);
    out.printf("   CancelKeyDeletion leaves the key Disabled (as in AWS KMS):%n");
    attempt(users, probe);
    admin.enableKey(keyId);
    out.printf("   EnableKey: the same open store works again:%n");
    attempt(users, probe);
  }

  private void attempt(Table users, Key probe) {
    try {
      users.getItem(probe).orElseThrow();
      out.printf("   GetItem users %s: ok%n", probe.partition().s());
    } catch (KeyProviderException e) {
      out.printf("   GetItem users: refused, %s: %s%n", e.errorCode(), e.getMessage());
    }
  }

  private static long totalSeals(Coffer coffer) {
    long n = 0;
    for (String t : coffer.listTables()) {
      for (DataKeyVersionInfo d : coffer.describeTable(t).dataKeys()) {
        n += d.seals();
      }
    }
    return n;
  }
}
