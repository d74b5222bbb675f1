package dev.coffer.cli.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coffer.AttributeValue;
import dev.coffer.Coffer;
import dev.coffer.CofferOptions;
import dev.coffer.Key;
import dev.coffer.Table;
import dev.coffer.cli.CliRun;
import dev.coffer.kms.KeyManagement.CreateKeyRequest;
import dev.coffer.kms.KeyProviders;
import dev.coffer.kms.SecretBytes;
import dev.coffer.kms.audit.AuditSink;
import dev.coffer.kms.local.LocalKeyProvider;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A store whose write-ahead log is damaged in the middle, through the command line (issue 16,
 * failure 3): a child JVM ({@link WalWritingChild}) makes synced puts that stay in the log and is
 * killed with SIGKILL, then one byte of a write batch in the middle of the log is flipped. {@code
 * coffer verify} refuses to open the store (exit 1, one line naming the log, the byte and the
 * remedy in the command line's terms) and changes nothing; {@code --wal-recovery point-in-time}
 * opens it with the writes before the damage, in order, and none after; a bad mode is a usage
 * error.
 */
class WalDamageCommandsTest {
  /** RocksDB writes its log in blocks of this size; a physical record never crosses one. */
  private static final int BLOCK = 32 * 1024;

  private static final int HEADER = 7;
  private static final int FULL = 1;
  private static final String ALIAS = "alias/wal";

  @TempDir Path tmp;

  private final CliRun cli = new CliRun();
  private final byte[] rawKey = new byte[32];
  private Path store;
  private Path keystore;
  private List<String> acked;

  @BeforeEach
  void writeAndKill() throws Exception {
    store = tmp.resolve("store");
    keystore = tmp.resolve("keystore");
    new SecureRandom().nextBytes(rawKey);
    try (LocalKeyProvider p = provider()) {
      p.createAlias(ALIAS, p.createKey(CreateKeyRequest.withDescription("wal test")).keyId());
    }
    acked = runChildUntilKilled(400);
    cli.opener = KeyProviders::open; // the real local: provider, as a user runs it
    cli.env.put("COFFER_KEY_PROVIDER", "local:" + keystore);
    cli.env.put("COFFER_KEYSTORE_KEY", Base64.getEncoder().encodeToString(rawKey));
    cli.env.put("COFFER_STORE", store.toString());
    cli.env.put("COFFER_MASTER_KEY", ALIAS);
  }

  private LocalKeyProvider provider() {
    return LocalKeyProvider.builder()
        .keystore(keystore)
        .rawKey(SecretBytes.wrap(rawKey.clone()))
        .auditSink(AuditSink.none())
        .build();
  }

  @Test
  void verifyRefusesAMiddleDamageAndPointInTimeRecoveryKeepsThePrefix() throws Exception {
    Path log = newestLog();
    long[] record = middleRecord(log);
    flip(log, (record[0] + record[1]) / 2);
    byte[] damaged = Files.readAllBytes(log);

    String line = cli.run("verify").failsWith(1);
    assertThat(line)
        .startsWith(
            "An error occurred (CorruptionException): The write-ahead log of the store at "
                + store
                + " is damaged: "
                + log
                + ": the record at byte "
                + record[0]
                + " fails its checksum.")
        .contains("that opening would lose")
        .contains("The store was not opened and nothing was changed.")
        .endsWith(
            "Restore the store directory from a backup taken before the damage, or run the command again with"
                + " --wal-recovery point-in-time to keep the writes before the damage and drop the rest")
        .doesNotContain("CofferOptions");
    assertThat(
            cli.run("dynamodb", "get-item", "--table-name", "wal", "--key", key(acked.get(0)))
                .failsWith(1))
        .as("every command that opens the store")
        .contains("--wal-recovery point-in-time");
    assertThat(Files.readAllBytes(log))
        .as("the refused opens left the log as it was")
        .isEqualTo(damaged);

    assertThat(cli.run("--wal-recovery", "point-in-tme", "verify").failsWith(2))
        .contains("--wal-recovery")
        .contains("'point-in-tme' is not a recovery mode")
        .contains("torn-tail-only")
        .contains("point-in-time");
    assertThat(Files.readAllBytes(log)).as("a usage error opens nothing").isEqualTo(damaged);

    CliRun.Result recovered = cli.run("verify", "--wal-recovery", "point-in-time").ok();
    assertThat(recovered.json().get("FindingCount").asInt()).isZero();
    // recovered for good: the next open needs no option
    assertThat(cli.run("verify").ok().json().get("FindingCount").asInt()).isZero();

    List<String> present = new ArrayList<>();
    try (LocalKeyProvider p = provider();
        Coffer c =
            Coffer.open(
                store,
                CofferOptions.builder()
                    .keyProvider(p)
                    .masterKeyId(ALIAS)
                    .auditSink(AuditSink.none())
                    .build())) {
      Table t = c.table("wal");
      for (String a : acked) {
        if (t.getItem(keyOf(a)).isPresent()) {
          present.add(a);
        }
      }
    }
    // the writes before the damage, in the order they were acknowledged, and none after it
    assertThat(present)
        .isNotEmpty()
        .hasSizeLessThan(acked.size())
        .isEqualTo(acked.subList(0, present.size()));
  }

  // ------------------------------------------------------------------------------ the child

  /**
   * Runs {@link WalWritingChild} until it acknowledged {@code puts} puts, kills it; returns the ACK
   * lines' keys.
   */
  private List<String> runChildUntilKilled(int puts) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder pb =
        new ProcessBuilder(
            java,
            "-Xmx128m",
            "-XX:TieredStopAtLevel=1",
            "-cp",
            System.getProperty("java.class.path"),
            WalWritingChild.class.getName(),
            store.toString(),
            keystore.toString(),
            Base64.getEncoder().encodeToString(rawKey),
            ALIAS);
    Path stderr = tmp.resolve("child.err");
    pb.redirectError(stderr.toFile());
    Process process = pb.start();
    List<String> lines = new CopyOnWriteArrayList<>();
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader r =
                  new BufferedReader(
                      new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String l = r.readLine(); l != null; l = r.readLine()) {
                  lines.add(l);
                }
              } catch (IOException e) {
                lines.add("READ FAILED " + e);
              }
            });
    reader.start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (lines.stream().filter(l -> l.startsWith("ACK ")).count() < puts
        && process.isAlive()
        && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    assertThat(process.isAlive()).as(() -> "child alive; stderr: " + readQuietly(stderr)).isTrue();
    assertThat(lines.stream().filter(l -> l.startsWith("ACK ")).count())
        .as(
            () ->
                "acknowledged puts; " + lines.subList(Math.max(0, lines.size() - 3), lines.size()))
        .isGreaterThanOrEqualTo(puts);
    process.toHandle().destroyForcibly(); // SIGKILL, without closing our end of the pipe first
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("child died").isTrue();
    reader.join(30_000);
    List<String> out = new ArrayList<>();
    for (String l : lines) {
      if (l.startsWith("ACK ")) {
        out.add(l.substring(4));
      }
    }
    out.remove(out.size() - 1); // the last line may have been cut by the kill
    return out;
  }

  private static String readQuietly(Path file) {
    try {
      String s = Files.readString(file);
      return s.length() > 4000 ? s.substring(0, 4000) : s;
    } catch (IOException e) {
      return "(unreadable: " + e + ")";
    }
  }

  /** {@code --key} JSON of {@code "<pk> <sk>"}. */
  private static String key(String ack) {
    String[] f = ack.split(" ");
    return "{\"pk\": {\"S\": \"" + f[0] + "\"}, \"sk\": {\"N\": \"" + f[1] + "\"}}";
  }

  private static Key keyOf(String ack) {
    String[] f = ack.split(" ");
    return Key.of(AttributeValue.s(f[0]), AttributeValue.n(Integer.parseInt(f[1])));
  }

  // ------------------------------------------------------------------------------ the log

  /** The store's newest write-ahead log (the one the child's puts went to). */
  private Path newestLog() throws IOException {
    try (Stream<Path> files = Files.list(store)) {
      return files
          .filter(f -> f.getFileName().toString().matches("\\d+\\.log"))
          .max(
              Comparator.comparingLong(
                  f -> Long.parseLong(f.getFileName().toString().replace(".log", ""))))
          .orElseThrow(() -> new AssertionError("no write-ahead log in " + store));
    }
  }

  /**
   * {@code [offset, end)} of a complete physical record of type FULL (a whole write batch) in the
   * second half of the log, read as RocksDB's {@code log_format.h} lays it out: 32 KiB blocks of
   * 7-byte headers (checksum, 2-byte little-endian length, type) and payloads.
   */
  private static long[] middleRecord(Path log) throws IOException {
    ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(log)).order(ByteOrder.LITTLE_ENDIAN);
    List<long[]> full = new ArrayList<>();
    long lastEnd = 0;
    int pos = 0;
    while (pos + HEADER <= b.limit()) {
      int left = BLOCK - pos % BLOCK;
      if (left < HEADER) {
        pos += left; // the block's zero trailer
        continue;
      }
      int length = b.getShort(pos + 4) & 0xffff;
      int type = b.get(pos + 6) & 0xff;
      if (type == 0 && length == 0) {
        pos += left; // zeros: nothing more in this block
        continue;
      }
      if (pos + HEADER + length > b.limit()) {
        break; // a last record torn by the kill
      }
      if (type == FULL) {
        full.add(new long[] {pos, pos + HEADER + length});
      }
      pos += HEADER + length;
      lastEnd = pos;
    }
    // a record in a block before the last: when a record fails its checksum the rest of its block
    // cannot be
    // trusted, so the intact batches after the damage (what opening would lose) are in the later
    // blocks
    long lastBlock = (lastEnd - 1) / BLOCK;
    List<long[]> candidates = full.stream().filter(r -> r[0] / BLOCK < lastBlock).toList();
    assertThat(candidates)
        .as("write batches before the last block of " + log)
        .hasSizeGreaterThan(50);
    return candidates.get(candidates.size() / 2);
  }

  private static void flip(Path p, long at) throws IOException {
    try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "rw")) {
      f.seek(at);
      int v = f.read();
      f.seek(at);
      f.write(v ^ 0x01);
    }
  }
}
