package dev.coffer.store.dynamodb;

import dev.coffer.AttributeValue;
import dev.coffer.Coffer;
import dev.coffer.CofferOptions;
import dev.coffer.Condition;
import dev.coffer.ConditionalCheckFailedException;
import dev.coffer.Item;
import dev.coffer.Key;
import dev.coffer.PutItemRequest;
import dev.coffer.Table;
import dev.coffer.Update;
import dev.coffer.UpdateItemRequest;
import dev.coffer.kms.SecretBytes;
import dev.coffer.kms.audit.AuditSink;
import dev.coffer.kms.local.LocalKeyProvider;
import dev.coffer.spi.BackendRecord;
import dev.coffer.spi.RecordBackend;
import dev.coffer.spi.WriteCondition;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

/**
 * A writer JVM of the multi-writer tests: opens the store in a DynamoDB table (dynalite), writes
 * its own sort keys into partitions every writer shares, increments each partition's counter (an
 * UpdateItem every writer races: {@code ACK inc <pk>}), tries conditional puts of keys every writer
 * tries ({@code ACK cput <pk> <sk> <tag>} for the one that won, {@code LOST cput ...} otherwise),
 * and prints {@code ACK put <pk> <sk> <tag>} or {@code ACK del <pk> <sk>} after each write that
 * returned, then {@code CONFLICTS <n>} (root swaps and other conditional writes it lost to other
 * writers, and retried) and {@code DONE}. It waits for a line on its standard input after {@code
 * READY}, so that all writers start at once. It reads its own keys back now and then and prints
 * {@code BAD ...} when one is not what it wrote.
 *
 * <p>Arguments: mode ({@code write}, or {@code midsplit}: after {@code ops} acknowledged writes,
 * stop for good in the middle of the next split, after its second new node and before the root
 * swap, printing {@code MIDSPLIT}), endpoint, DynamoDB table, keystore, keystore key (base64),
 * master key alias, writer number, partitions, ops, seed.
 */
public final class WriterChild {
  /** The sort key of each partition's counter, which every writer increments. */
  static final int COUNTER = 999;

  /** The first sort key that every writer tries to create with a conditional put. */
  static final int CONTESTED = 5000;

  private WriterChild() {}

  public static void main(String[] args) throws Exception {
    String mode = args[0];
    String endpoint = args[1];
    String ddbTable = args[2];
    LocalKeyProvider provider =
        LocalKeyProvider.builder()
            .keystore(Path.of(args[3]))
            .rawKey(SecretBytes.wrap(Base64.getDecoder().decode(args[4])))
            .auditSink(AuditSink.none())
            .build();
    String alias = args[5];
    int writer = Integer.parseInt(args[6]);
    int partitions = Integer.parseInt(args[7]);
    int ops = Integer.parseInt(args[8]);
    long seed = Long.parseLong(args[9]);
    PrintStream out = new PrintStream(System.out, true);
    Stall stall =
        new Stall(
            DynamoDbBackend.builder()
                .client(LocalDynamo.client(endpoint, null))
                .tableName(ddbTable)
                .build(),
            out);
    try (Coffer c =
        Coffer.open(
            CofferOptions.builder()
                .keyProvider(provider)
                .masterKeyId(alias)
                .backend(stall)
                .accessCheckInterval(Duration.ofSeconds(1))
                .auditSink(AuditSink.none())
                .build())) {
      Table t = c.table("shared");
      out.println("READY");
      new java.io.BufferedReader(
              new java.io.InputStreamReader(System.in, java.nio.charset.StandardCharsets.UTF_8))
          .readLine(); // "GO": every writer starts at once
      Random rnd = new Random(seed);
      Map<String, String> mine =
          new HashMap<>(); // "pk sk" -> tag of what this writer last acknowledged
      int total = mode.equals("midsplit") ? Integer.MAX_VALUE : ops;
      for (int i = 0; i < total; i++) {
        if (mode.equals("midsplit") && i == ops) {
          stall.armed = true;
        }
        String pk = "P" + rnd.nextInt(partitions);
        int shared = rnd.nextInt(10);
        if (shared == 0) {
          // read-decide-write on an item every writer updates: no increment may be lost
          out.println("INFLIGHT inc " + pk);
          t.updateItem(
              UpdateItemRequest.builder()
                  .key(Key.of(AttributeValue.s(pk), AttributeValue.n(COUNTER)))
                  .update(Update.builder().add("n", AttributeValue.n(1)).build())
                  .build());
          out.println("ACK inc " + pk);
          continue;
        }
        if (shared == 1) {
          // a conditional put of a key every writer tries: exactly one may win
          int sk = CONTESTED + rnd.nextInt(30);
          out.println("INFLIGHT cput " + pk + " " + sk);
          try {
            t.putItem(
                PutItemRequest.builder()
                    .item(
                        Item.builder()
                            .string("pk", pk)
                            .number("sk", sk)
                            .string("tag", "won-" + writer)
                            .build())
                    .condition(Condition.attributeNotExists("sk"))
                    .build());
            out.println("ACK cput " + pk + " " + sk + " won-" + writer);
          } catch (ConditionalCheckFailedException lost) {
            out.println("LOST cput " + pk + " " + sk);
          }
          continue;
        }
        int sk = writer * 1_000_000 + rnd.nextInt(60);
        String k = pk + " " + sk;
        out.println("INFLIGHT " + k);
        if (rnd.nextInt(5) == 0 && mine.containsKey(k)) {
          t.deleteItem(Key.of(AttributeValue.s(pk), AttributeValue.n(sk)));
          mine.remove(k);
          out.println("ACK del " + k);
        } else {
          String tag = writer + "-" + i;
          t.putItem(
              Item.builder()
                  .string("pk", pk)
                  .number("sk", sk)
                  .string("tag", tag)
                  .string("pad", "p".repeat(20 + rnd.nextInt(80)))
                  .build());
          mine.put(k, tag);
          out.println("ACK put " + k + " " + tag);
        }
        if (rnd.nextInt(10) == 0) {
          String[] probe = mine.isEmpty() ? null : mine.keySet().toArray(new String[0]);
          if (probe != null) {
            String p = probe[rnd.nextInt(probe.length)];
            String[] parts = p.split(" ");
            Optional<Item> got =
                t.getItem(Key.of(AttributeValue.s(parts[0]), AttributeValue.n(parts[1])));
            if (got.isEmpty() || !got.get().get("tag").s().equals(mine.get(p))) {
              out.println(
                  "BAD "
                      + p
                      + " expected "
                      + mine.get(p)
                      + " got "
                      + got.map(x -> x.get("tag").s()));
            }
          }
        }
      }
      out.println("CONFLICTS " + stall.conflicts);
      out.println("DONE");
    }
  }

  /**
   * The backend, passed through, until it is armed: then, in the next change that writes two new
   * nodes before its root swap (a split), it prints {@code MIDSPLIT} after the second and never
   * returns, so that the parent kills the process exactly there.
   */
  static final class Stall extends ForwardingBackend {
    private final PrintStream out;
    volatile boolean armed;
    volatile int conflicts;
    private int newNodes;

    Stall(RecordBackend delegate, PrintStream out) {
      super(delegate);
      this.out = out;
    }

    @Override
    public BackendRecord put(BackendRecord record, WriteCondition condition) {
      boolean node = record.partitionKey().length == 20; // layout 2: table key (4) || token (16)
      boolean root = node && java.util.Arrays.equals(record.sortKey(), new byte[1]);
      BackendRecord old;
      try {
        old = delegate.put(record, condition);
      } catch (dev.coffer.spi.ConditionFailedException e) {
        conflicts++;
        throw e;
      }
      if (node && !root && condition.kind() == WriteCondition.Kind.ABSENT) {
        if (++newNodes == 2 && armed) {
          out.println("MIDSPLIT");
          try {
            Thread.sleep(Long.MAX_VALUE);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }
      } else if (root) {
        newNodes = 0;
      }
      return old;
    }

    @Override
    public BackendRecord delete(byte[] partitionKey, byte[] sortKey, WriteCondition condition) {
      try {
        return delegate.delete(partitionKey, sortKey, condition);
      } catch (dev.coffer.spi.ConditionFailedException e) {
        conflicts++;
        throw e;
      }
    }
  }
}
