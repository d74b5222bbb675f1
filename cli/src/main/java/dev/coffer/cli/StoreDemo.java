package dev.coffer.cli;

import dev.coffer.AttributeType;
import dev.coffer.AttributeValue;
import dev.coffer.Coffer;
import dev.coffer.CofferOptions;
import dev.coffer.Item;
import dev.coffer.Key;
import dev.coffer.Page;
import dev.coffer.Query;
import dev.coffer.Table;
import dev.coffer.TableSpec;
import dev.coffer.kms.KeyProvider;
import dev.coffer.kms.KeyProviderException;
import dev.coffer.kms.audit.AuditRecord;
import dev.coffer.kms.audit.JsonLinesAuditSink;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The demo of Coffer's main job: a local master key, a store, two tables, items written and read, a
 * query; then the proof that no written value is on disk in plaintext, and that a principal without
 * {@code kms:Decrypt} is refused.
 */
final class StoreDemo {
  private static final String[] CUSTOMERS = {
    "alice@example.com", "bob@example.com", "carol@example.com"
  };
  private static final String[] PRODUCTS = {
    "espresso machine", "burr grinder", "milk jug", "tamper", "scale"
  };

  private final PrintWriter out;
  private final Path dir;

  StoreDemo(PrintWriter out, Path dir) {
    this.out = out;
    this.dir = dir;
  }

  void run(boolean viaAwsKms) {
    Path keystore = dir.resolve("keystore");
    Path storeDir = dir.resolve("store");
    Path auditFile = dir.resolve("audit.jsonl");
    char[] passphrase = randomPassphrase();
    out.printf("Coffer demo in %s%n%n", dir);

    List<String> written = new ArrayList<>();
    try (JsonLinesAuditSink audit = JsonLinesAuditSink.open(auditFile);
        DemoKeys keys =
            viaAwsKms
                ? DemoKeys.awsKms(keystore, passphrase, audit)
                : DemoKeys.local(keystore, passphrase, audit)) {
      out.printf("1. %s%n", keys.description());
      // Re-check the right to use the master key before every operation, so step 8 shows at once.
      CofferOptions.Builder builder =
          CofferOptions.builder()
              .keyProvider(keys.owner())
              .masterKeyId(keys.keyId())
              .accessCheckInterval(Duration.ZERO)
              .auditSink(audit)
              .freshness(true); // an item put back from an older copy fails its next read
      CofferOptions options = anchored(builder, viaAwsKms).build();
      try (Coffer coffer = Coffer.open(storeDir, options)) {
        out.printf(
            "2. Store opened at %s: its store key is wrapped by the master key.%n",
            storeDir.getFileName());
        Table users =
            coffer.createTable(
                TableSpec.builder().name("users").partitionKey("email", AttributeType.S).build());
        Table orders =
            coffer.createTable(
                TableSpec.builder()
                    .name("orders")
                    .partitionKey("customer", AttributeType.S)
                    .sortKey("orderDate", AttributeType.S)
                    .build());
        out.printf(
            "3. Tables: %s (each with its own data key and index key)%n", coffer.listTables());

        written.addAll(
            List.of("users", "orders", "email", "customer", "orderDate", "displayName", "product"));
        int n = writeItems(users, orders, written);
        out.printf("4. Wrote %d items.%n", n);

        Item alicesProfile = users.getItem(Key.of(CUSTOMERS[0])).orElseThrow();
        out.printf("   GetItem users %s -> %s%n", CUSTOMERS[0], alicesProfile);

        Page recent =
            orders.query(
                Query.partition(CUSTOMERS[0]).sortBeginsWith("2026-").descending().limit(3));
        out.printf(
            "5. Query orders: customer = %s AND begins_with(orderDate, \"2026-\"), newest first, limit 3%n",
            CUSTOMERS[0]);
        for (Item i : recent.items()) {
          out.printf(
              "   %s  %-17s %s%n",
              i.get("orderDate").s(), i.get("product").s(), i.get("amount").n());
        }
        out.printf(
            "   Count %d, LastEvaluatedKey %s%n",
            recent.count(), recent.lastEvaluatedKey().map(Key::toString).orElse("(none)"));

        new LifecycleDemo(out).run(coffer, keys.admin(), keys.keyId(), Key.of(CUSTOMERS[0]));

        coffer.flush();
        report(
            "9. While open, after a flush", PlaintextScan.scan(storeDir, written), written.size());
      }
      report("   After close", PlaintextScan.scan(storeDir, written), written.size());

      new KeyProviderDemo(out).run(keys.owner(), keys.admin(), keys.keyId(), "10.");

      out.printf(
          "11. bob may read the store's files but not use its key; opening the store as bob:%n");
      tryAsBob(keys, storeDir, viaAwsKms);
      keys.admin()
          .putKeyPolicy(
              keys.keyId(), policyGrantingBobDecrypt(keys.admin().getKeyPolicy(keys.keyId())));
      out.printf(
          "   alice grants bob kms:Decrypt with PutKeyPolicy; opening the store as bob again:%n");
      tryAsBob(keys, storeDir, viaAwsKms);
    } finally {
      Arrays.fill(passphrase, '\0');
    }
    summarizeAudit(auditFile);
  }

  /**
   * Freshness needs a rollback anchor: the local: provider has one beside its keystore, the
   * aws-kms: provider none by default, so the demo gives it one beside the store.
   */
  private CofferOptions.Builder anchored(CofferOptions.Builder builder, boolean viaAwsKms) {
    return viaAwsKms ? builder.rollbackAnchorDirectory(dir.resolve("store.anchors")) : builder;
  }

  private void tryAsBob(DemoKeys keys, Path storeDir, boolean viaAwsKms) {
    try (KeyProvider bob = keys.bob();
        Coffer store =
            Coffer.open(
                storeDir,
                anchored(
                        CofferOptions.builder()
                            .keyProvider(bob)
                            .masterKeyId(keys.keyId())
                            .createIfMissing(false),
                        viaAwsKms)
                    .build())) {
      Item item = store.table("users").getItem(Key.of(CUSTOMERS[0])).orElseThrow();
      out.printf(
          "   opened; bob reads %s's displayName: %s%n", CUSTOMERS[0], item.get("displayName").s());
    } catch (KeyProviderException e) {
      out.printf("   refused: %s: %s%n", e.errorCode(), e.getMessage());
    }
  }

  /** alice's policy plus a statement allowing bob to Decrypt (what opening a store needs). */
  private static String policyGrantingBobDecrypt(String policy) {
    String statement =
        "{\"Sid\": \"AllowBobToReadTheStore\", \"Effect\": \"Allow\","
            + " \"Principal\": {\"AWS\": \"arn:aws:iam::111122223333:user/bob\"},"
            + " \"Action\": [\"kms:Decrypt\", \"kms:DescribeKey\"], \"Resource\": \"*\"}";
    int i = policy.lastIndexOf(']');
    return policy.substring(0, i).stripTrailing() + ", " + statement + policy.substring(i);
  }

  private int writeItems(Table users, Table orders, List<String> written) {
    int n = 0;
    for (int c = 0; c < CUSTOMERS.length; c++) {
      String name = "Customer " + (char) ('A' + c) + " Marker" + c;
      users.putItem(
          Item.builder()
              .string("email", CUSTOMERS[c])
              .string("displayName", name)
              .put("tags", AttributeValue.ss("coffee", "vip-" + c))
              .build());
      written.add(CUSTOMERS[c]);
      written.add(name);
      n++;
      for (int o = 0; o < 12; o++) {
        String date =
            String.format("%d-%02d-%02dT10:00:00Z", 2025 + o / 6, 1 + (o * 2) % 12, 1 + o);
        String product = PRODUCTS[(c + o) % PRODUCTS.length];
        orders.putItem(
            Item.builder()
                .string("customer", CUSTOMERS[c])
                .string("orderDate", date)
                .string("product", product)
                .number("amount", String.valueOf(19 + o * 7 + c) + ".50")
                .build());
        written.add(date);
        n++;
      }
    }
    for (String p : PRODUCTS) {
      written.add(p);
    }
    return n;
  }

  private void report(String when, PlaintextScan.Result r, int markers) {
    out.printf(
        "%s: searched %d files (%,d bytes) for %d written strings (table and attribute names, keys,"
            + " values) in UTF-8 and UTF-16: %s%n",
        when,
        r.files(),
        r.bytes(),
        markers,
        r.hits().isEmpty() ? "none found in plaintext" : "FOUND " + r.hits());
  }

  private void summarizeAudit(Path auditFile) {
    List<AuditRecord> records = JsonLinesAuditSink.read(auditFile);
    Map<String, Integer> counts = new TreeMap<>();
    for (AuditRecord r : records) {
      counts.merge(r.action() + " " + r.outcome(), 1, Integer::sum);
    }
    out.printf(
        "12. Audit trail %s: %d records (the key service's and the engine's)%n",
        auditFile.getFileName(), records.size());
    counts.forEach((k, v) -> out.printf("   %3d  %s%n", v, k));
    records.stream()
        .filter(r -> !r.errorCode().isEmpty())
        .forEach(
            r ->
                out.printf(
                    "   %s %s %s %s %s%n",
                    r.time(), r.principal(), r.action(), r.outcome(), r.errorCode()));
  }

  private static char[] randomPassphrase() {
    byte[] b = new byte[18];
    new SecureRandom().nextBytes(b);
    return Base64.getEncoder().encodeToString(b).toCharArray();
  }
}
