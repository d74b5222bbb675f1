package dev.coffer.store.dynamodb;

import dev.coffer.Coffer;
import dev.coffer.CofferOptions;
import dev.coffer.Item;
import dev.coffer.Table;
import dev.coffer.kms.SecretBytes;
import dev.coffer.kms.audit.AuditSink;
import dev.coffer.kms.local.LocalKeyProvider;
import dev.coffer.spi.BackendRecord;
import dev.coffer.spi.RecordBackend;
import dev.coffer.spi.WriteCondition;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;

/**
 * A writer JVM of {@code KilledBlindWriterTest}: puts new keys ({@code w<writer>-<i>}) blindly into
 * the table {@code flat} (no sort key) until it is killed, printing {@code INFLIGHT <key>} before
 * each and {@code ACK put <key> <tag>} after each that returned. Waits for a line on its standard
 * input after {@code READY}.
 *
 * <p>Arguments as {@link WriterChild}'s (partitions unused). Modes: {@code blind} (writes until
 * killed), {@code blindstall} (after {@code ops} acknowledged puts, the next put stops for good
 * right after its write of an index entry returned, printing {@code MIDCREATE <partition key> <sort
 * key>} (the entry's, base64), so that the parent kills the process between a new partition's index
 * entry and its root).
 */
public final class BlindWriterChild {
  private BlindWriterChild() {}

  public static void main(String[] args) throws Exception {
    String mode = args[0];
    LocalKeyProvider provider =
        LocalKeyProvider.builder()
            .keystore(Path.of(args[3]))
            .rawKey(SecretBytes.wrap(Base64.getDecoder().decode(args[4])))
            .auditSink(AuditSink.none())
            .build();
    int writer = Integer.parseInt(args[6]);
    int ops = Integer.parseInt(args[8]);
    PrintStream out = new PrintStream(System.out, true);
    StallAfterIndexEntry stall =
        new StallAfterIndexEntry(
            DynamoDbBackend.builder()
                .client(LocalDynamo.client(args[1], null))
                .tableName(args[2])
                .build(),
            out);
    try (Coffer c =
        Coffer.open(
            CofferOptions.builder()
                .keyProvider(provider)
                .masterKeyId(args[5])
                .backend(stall)
                .accessCheckInterval(Duration.ofSeconds(1))
                .auditSink(AuditSink.none())
                .build())) {
      Table t = c.table("flat");
      out.println("READY");
      new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
      for (int i = 0; ; i++) {
        String key = "w" + writer + "-" + i;
        String tag = writer + "-" + i;
        out.println("INFLIGHT " + key);
        stall.armed = mode.equals("blindstall") && i == ops;
        t.putItem(Item.builder().string("pk", key).string("tag", tag).build());
        out.println("ACK put " + key + " " + tag);
      }
    }
  }

  /**
   * Once armed, lets writes through up to the first put into an index partition (the table key, 4
   * bytes, and a bucket: 5 bytes of partition key; the root's partition key is 20), then prints
   * {@code MIDCREATE} with that entry's keys and never returns.
   */
  static final class StallAfterIndexEntry extends ForwardingBackend {
    static final int INDEX_PARTITION_BYTES = 5;

    private final PrintStream out;
    volatile boolean armed;

    StallAfterIndexEntry(RecordBackend delegate, PrintStream out) {
      super(delegate);
      this.out = out;
    }

    @Override
    public BackendRecord put(BackendRecord record, WriteCondition condition) {
      BackendRecord old = delegate.put(record, condition);
      if (armed && record.partitionKey().length == INDEX_PARTITION_BYTES) {
        Base64.Encoder b64 = Base64.getEncoder();
        out.println(
            "MIDCREATE "
                + b64.encodeToString(record.partitionKey())
                + " "
                + b64.encodeToString(record.sortKey()));
        try {
          Thread.sleep(Long.MAX_VALUE);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      return old;
    }
  }
}
