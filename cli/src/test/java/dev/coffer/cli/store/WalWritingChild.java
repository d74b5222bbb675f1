package dev.coffer.cli.store;

import dev.coffer.AttributeType;
import dev.coffer.Coffer;
import dev.coffer.CofferOptions;
import dev.coffer.Item;
import dev.coffer.Table;
import dev.coffer.TableSpec;
import dev.coffer.kms.SecretBytes;
import dev.coffer.kms.audit.AuditSink;
import dev.coffer.kms.local.LocalKeyProvider;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Base64;

/**
 * The child JVM of {@link WalDamageCommandsTest}: opens a store with synced writes and puts items
 * into table {@code wal} until it is killed, printing {@code ACK <pk> <sk>} after each put
 * returned. Nothing is flushed, so the writes stay in the write-ahead log. Arguments: store dir,
 * keystore path, keystore key (base64), master key alias.
 */
public final class WalWritingChild {
  private WalWritingChild() {}

  public static void main(String[] args) {
    LocalKeyProvider provider =
        LocalKeyProvider.builder()
            .keystore(Path.of(args[1]))
            .rawKey(SecretBytes.wrap(Base64.getDecoder().decode(args[2])))
            .auditSink(AuditSink.none())
            .build();
    Coffer c =
        Coffer.open(
            Path.of(args[0]),
            CofferOptions.builder()
                .keyProvider(provider)
                .masterKeyId(args[3])
                .syncWrites(true)
                .auditSink(AuditSink.none())
                .build());
    Table t =
        c.createTable(
            TableSpec.builder()
                .name("wal")
                .partitionKey("pk", AttributeType.S)
                .sortKey("sk", AttributeType.N)
                .build());
    PrintStream out = new PrintStream(System.out, true);
    out.println("READY");
    for (int i = 0; ; i++) {
      String pk = "p" + (i % 40);
      t.putItem(item(pk, i));
      out.println("ACK " + pk + " " + i);
    }
  }

  static Item item(String pk, int sk) {
    return Item.builder().string("pk", pk).number("sk", sk).string("pad", "p".repeat(60)).build();
  }
}
