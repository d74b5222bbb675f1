package dev.coffer;

import dev.coffer.kms.KeyManagement;
import dev.coffer.kms.LimitExceededException;
import dev.coffer.kms.SecretBytes;
import dev.coffer.kms.audit.AuditSink;
import dev.coffer.kms.local.LocalKeyProvider;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * The child JVM of {@link CrashSafetyTest}: works on a store until it is killed, printing {@code
 * ACK <table> <id>} after each write that returned (writes are synced) and markers around the
 * operations it is killed in. Arguments: mode (rewrap, reencrypt, delete, put, blind, catalog,
 * hold), store dir, keystore path, keystore key (base64), master key alias, round. {@code put} only
 * writes; {@code hold} keeps the store open and writes nothing; {@code txn} runs transactions
 * ({@link TransactionCrashTest}), printing {@code B <group> .} before and {@code A <group> .} after
 * each (a line cut by the kill lacks its final dot); {@code token} runs TransactWriteItems with
 * ClientRequestTokens ({@link ClientTokenDurabilityTest}), printing {@code T <i> .} after each;
 * {@code renew} renews the store key of a fixture store while writing ({@link #renew}).
 */
public final class CrashChild {
  private CrashChild() {}

  public static void main(String[] args) throws Exception {
    // "fresh-<mode>": <mode> with freshness on (FreshnessCrashTest)
    boolean fresh = args[0].startsWith("fresh-");
    String mode = fresh ? args[0].substring("fresh-".length()) : args[0];
    Path dir = Path.of(args[1]);
    LocalKeyProvider provider =
        LocalKeyProvider.builder()
            .keystore(Path.of(args[2]))
            .rawKey(SecretBytes.wrap(Base64.getDecoder().decode(args[3])))
            .auditSink(AuditSink.none())
            .build();
    String alias = args[4];
    String round = args[5];
    PrintStream out = new PrintStream(System.out, true);
    Coffer c =
        Coffer.open(
            dir,
            CofferOptions.builder()
                .keyProvider(provider)
                .masterKeyId(alias)
                .syncWrites(true)
                .freshness(fresh)
                .auditSink(AuditSink.none())
                .build());
    out.println("READY");
    switch (mode) {
      case "rewrap" -> rewrap(c, provider, alias, round, out);
      case "reencrypt" -> reencrypt(c, round, out);
      case "delete" -> delete(c, round, out);
      case "put" -> {
        Table t = table(c, "wal");
        for (int i = 0; ; i++) {
          put(t, round, i, out);
        }
      }
      case "blind" -> {
        // puts without ReturnValues into three partitions: delta records appended without reading,
        // folds and splits; a kill lands between appends and their folds
        Table t = table(c, "blind");
        for (int i = 0; ; i++) {
          String pk = round + "-" + (i % 3);
          t.putItem(item(pk, i));
          out.println("ACK " + t.name() + " " + pk + " " + i);
        }
      }
      case "catalog" -> catalog(c, round, out);
      case "hold" -> Thread.sleep(Long.MAX_VALUE);
      case "txn" -> transactions(c, Integer.parseInt(round), out);
      case "token" -> tokens(c, round, out);
      case "renew" -> renew(c, round, out);
      default -> throw new IllegalArgumentException(mode);
    }
  }

  static Table table(Coffer c, String name) {
    return c.listTables().contains(name)
        ? c.table(name)
        : c.createTable(
            TableSpec.builder()
                .name(name)
                .partitionKey("pk", AttributeType.S)
                .sortKey("sk", AttributeType.N)
                .pageTargetBytes(512)
                .build());
  }

  public static Item item(String pk, int sk) {
    return Item.builder().string("pk", pk).number("sk", sk).string("pad", "p".repeat(60)).build();
  }

  private static void put(Table t, String round, int i, PrintStream out) {
    String pk = round + "-" + (i % 40);
    t.putItem(item(pk, i));
    out.println("ACK " + t.name() + " " + pk + " " + i);
  }

  private static void rewrap(
      Coffer c, KeyManagement km, String alias, String round, PrintStream out) {
    Table t = table(c, "rewrap");
    for (int i = 0; ; i++) {
      put(t, round, i, out);
      if (i % 5 == 0) {
        if (i % 50 == 0) {
          try {
            km.rotateKeyOnDemand(alias);
          } catch (LimitExceededException e) {
            // the keystore allows a few on-demand rotations per key; rewrap to the same version
          }
        }
        out.println("REWRAP " + c.rotateMasterKey().keysRewrapped());
      }
    }
  }

  private static void reencrypt(Coffer c, String round, PrintStream out)
      throws InterruptedException {
    Table t = table(c, "reenc");
    Thread writer =
        new Thread(
            () -> {
              for (int i = 0; ; i++) {
                put(t, round, i, out);
              }
            });
    writer.setDaemon(true);
    writer.start();
    while (true) {
      t.rotateDataKey();
      ReencryptResult r =
          t.reencrypt(
              ReencryptOptions.builder().persistEveryPages(4).bytesPerSecond(400_000).build());
      out.println("REENCRYPTED " + r.targetVersion() + " " + r.pagesResealed());
    }
  }

  /**
   * Catalog writes back to back ({@link CatalogRollbackTest}): puts, data-key rotations (one synced
   * catalog write each) and tables created and deleted, printing {@code CATALOG <n>} after each
   * round of them.
   */
  private static void catalog(Coffer c, String round, PrintStream out) {
    Table t = table(c, "cat");
    for (int i = 0; ; i++) {
      put(t, round, i, out);
      t.rotateDataKey();
      if (i % 4 == 0) {
        String name = "c" + round + "-" + i;
        table(c, name);
        c.deleteTable(name);
      }
      out.println("CATALOG " + i);
    }
  }

  private static void delete(Coffer c, String round, PrintStream out) {
    for (int n = 0; ; n++) {
      String name = "d" + round + "-" + n;
      Table t = table(c, name);
      for (int i = 0; i < 30; i++) {
        put(t, round, i, out);
      }
      out.println("DELETING " + name);
      c.deleteTable(name);
      out.println("DELETED " + name);
    }
  }

  /**
   * Transaction {@code i} of round {@code r} creates group {@code g = r * 1,000,000 + i} of {@link
   * #groupSize} items (in two tables, half of them in shared partitions of small pages) and deletes
   * the whole group {@code g - 5}: each group must be found complete or absent, and a group's
   * creation and its predecessor's deletion together.
   */
  private static void transactions(Coffer c, int round, PrintStream out) {
    transactionTables(c);
    for (int i = 0; ; i++) {
      long g = round * 1_000_000L + i;
      List<TransactWriteItem> items = new ArrayList<>();
      items.addAll(groupWrites(g, false));
      if (i >= 5) {
        items.addAll(groupWrites(g - 5, true));
      }
      out.println("B " + g + " .");
      c.transactWriteItems(TransactWriteItemsRequest.builder().transactItems(items).build());
      out.println("A " + g + " .");
    }
  }

  /**
   * The request of {@code token} mode's {@code i}-th transaction in round {@code round}: ADD 1 to
   * counter {@code c<round>}, with token {@code crash-<round>-<i>}.
   */
  public static TransactWriteItemsRequest tokenRequest(String round, int i) {
    return TransactWriteItemsRequest.builder()
        .transactItems(
            TransactWriteItem.update(
                "tok",
                Key.of("c" + round),
                Update.builder().add("n", AttributeValue.n(1)).build(),
                null))
        .clientRequestToken("crash-" + round + "-" + i)
        .build();
  }

  /** The ClientRequestToken transactions {@code renew} mode runs before the renewal. */
  static final int RENEW_TOKENS = 20;

  /**
   * {@code renew} mode ({@link RenewalCrashTest}), on a store whose store key predates the
   * sealed-state pair: {@value #RENEW_TOKENS} token transactions ({@link #tokenRequest}) for the
   * renewal to re-key, then a writer thread (ACK lines, table {@code renew}) and, beside it, the
   * master-key rotation that renews the store key, between the lines {@code RENEWING} and {@code
   * RENEWED <microseconds>}; then the writer goes on until the kill.
   */
  private static void renew(Coffer c, String round, PrintStream out) throws InterruptedException {
    tokenTable(c);
    for (int i = 0; i < RENEW_TOKENS; i++) {
      c.transactWriteItems(tokenRequest(round, i));
    }
    Table t = table(c, "renew");
    Thread writer =
        new Thread(
            () -> {
              for (int i = 0; ; i++) {
                put(t, round, i, out);
              }
            });
    writer.setDaemon(true);
    writer.start();
    Thread.sleep(20);
    out.println("RENEWING");
    long start = System.nanoTime();
    c.rotateMasterKey();
    out.println("RENEWED " + (System.nanoTime() - start) / 1000);
    Thread.sleep(Long.MAX_VALUE);
  }

  /** The table of {@code token} mode. */
  static void tokenTable(Coffer c) {
    if (!c.listTables().contains("tok")) {
      c.createTable(TableSpec.builder().name("tok").partitionKey("id", AttributeType.S).build());
    }
  }

  private static void tokens(Coffer c, String round, PrintStream out) {
    tokenTable(c);
    for (int i = 0; ; i++) {
      c.transactWriteItems(tokenRequest(round, i));
      out.println("T " + i + " .");
    }
  }

  /** The two tables of {@code txn} mode. */
  static void transactionTables(Coffer c) {
    if (!c.listTables().contains("txa")) {
      c.createTable(TableSpec.builder().name("txa").partitionKey("id", AttributeType.S).build());
    }
    if (!c.listTables().contains("txb")) {
      c.createTable(
          TableSpec.builder()
              .name("txb")
              .partitionKey("pk", AttributeType.S)
              .sortKey("sk", AttributeType.N)
              .pageTargetBytes(512)
              .build());
    }
  }

  /** The number of items of group {@code g}: 2 to 45, a function of {@code g}. */
  static int groupSize(long g) {
    return 2 + (int) Math.floorMod(g * 7919L, 44L);
  }

  /** The puts (or deletes) of group {@code g}'s items. */
  static List<TransactWriteItem> groupWrites(long g, boolean delete) {
    List<TransactWriteItem> out = new ArrayList<>();
    int n = groupSize(g);
    for (int j = 0; j < n; j++) {
      if (j % 2 == 0) {
        Key key = Key.of("g" + g + "-" + j);
        out.add(
            delete
                ? TransactWriteItem.delete("txa", key, Condition.attributeExists("id"))
                : TransactWriteItem.put(
                    "txa",
                    Item.builder()
                        .string("id", "g" + g + "-" + j)
                        .number("group", g)
                        .number("of", n)
                        .string("pad", "x".repeat(j * 7))
                        .build(),
                    Condition.attributeNotExists("id")));
      } else {
        String pk = "p" + Math.floorMod(g, 3L);
        Key key = Key.of(AttributeValue.s(pk), AttributeValue.n(g * 100 + j));
        out.add(
            delete
                ? TransactWriteItem.delete("txb", key, null)
                : TransactWriteItem.put(
                    "txb",
                    Item.builder()
                        .string("pk", pk)
                        .number("sk", g * 100 + j)
                        .number("group", g)
                        .number("of", n)
                        .string("pad", "y".repeat(j * 5))
                        .build()));
      }
    }
    return out;
  }
}
