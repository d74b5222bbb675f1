package dev.coffer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coffer.kms.KeyManagement.CreateKeyRequest;
import dev.coffer.kms.SecretBytes;
import dev.coffer.kms.audit.AuditSink;
import dev.coffer.kms.local.LocalKeyProvider;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Kills a child JVM ({@link CrashChild}) with {@code destroyForcibly} at random points during
 * master-key rewrap, re-encryption, table deletion and puts that append delta records without
 * reading (killed between appends and their folds; each round's process numbers its appends from a
 * new epoch), then reopens the store: it opens, keeps every write the child acknowledged (synced),
 * and an interrupted re-encryption resumes and finishes. The keys live in a {@code local} keystore
 * file, so they survive the process.
 */
class CrashSafetyTest {
  private static final int ROUNDS = 5;
  private static final String ALIAS = "alias/crash";

  @TempDir Path tmp;

  private Path dir;
  private Path keystore;
  private byte[] rawKey;

  @BeforeEach
  void keystore() {
    dir = tmp.resolve("store");
    keystore = tmp.resolve("keystore");
    rawKey = new byte[32];
    new SecureRandom().nextBytes(rawKey);
    try (LocalKeyProvider p = provider()) {
      String keyId = p.createKey(CreateKeyRequest.withDescription("crash test")).keyId();
      p.createAlias(ALIAS, keyId);
    }
  }

  private LocalKeyProvider provider() {
    return LocalKeyProvider.builder()
        .keystore(keystore)
        .rawKey(SecretBytes.wrap(rawKey.clone()))
        .auditSink(AuditSink.none())
        .build();
  }

  private Coffer open(LocalKeyProvider p) {
    return Coffer.open(
        dir,
        CofferOptions.builder()
            .keyProvider(p)
            .masterKeyId(ALIAS)
            .auditSink(AuditSink.none())
            .build());
  }

  @ParameterizedTest
  @ValueSource(strings = {"rewrap", "reencrypt", "delete", "blind"})
  void testRecoverAfterKillDuring(String mode) throws Exception {
    Random rnd = new Random(mode.hashCode());
    Set<String> acked = new HashSet<>();
    int operations = 0;
    int interruptedJobs = 0;
    for (int round = 0; round < ROUNDS; round++) {
      List<String> lines = runAndKill(mode, round, 150 + rnd.nextInt(900));
      operations +=
          (int)
              lines.stream()
                  .filter(
                      l ->
                          l.startsWith("REWRAP ")
                              || l.startsWith("REENCRYPTED ")
                              || l.startsWith("DELETED ")
                              || (mode.equals("blind") && l.startsWith("ACK ")))
                  .count();
      for (String l : lines) {
        if (l.startsWith("ACK ")) {
          acked.add(l.substring(4));
        }
      }
      Set<String> deleting = new HashSet<>();
      Set<String> deleted = new HashSet<>();
      for (String l : lines) {
        if (l.startsWith("DELETING ")) {
          deleting.add(l.substring(9));
        } else if (l.startsWith("DELETED ")) {
          deleted.add(l.substring(8));
        }
      }
      try (LocalKeyProvider p = provider();
          Coffer c = open(p)) {
        List<String> tables = c.listTables();
        for (String name : deleted) {
          assertThat(tables).doesNotContain(name);
        }
        if (mode.equals("reencrypt") && tables.contains("reenc")) {
          Table t = c.table("reenc");
          if (t.describe().reencryption().isPresent()) {
            interruptedJobs++;
          }
          ReencryptResult r = t.reencrypt(ReencryptOptions.defaults());
          assertThat(r.finished()).isTrue();
          assertThat(t.describe().dataKeys())
              .filteredOn(v -> v.state() != DataKeyVersionInfo.State.DESTROYED)
              .hasSize(1);
        }
        for (String a : acked) {
          String[] f = a.split(" ");
          if (deleted.contains(f[0]) || (deleting.contains(f[0]) && !tables.contains(f[0]))) {
            continue;
          }
          assertThat(tables)
              .as("round " + round + ": table of acknowledged write " + a)
              .contains(f[0]);
          assertThat(
                  c.table(f[0])
                      .getItem(
                          Key.of(AttributeValue.s(f[1]), AttributeValue.n(Integer.parseInt(f[2])))))
              .as("round " + round + ": acknowledged write " + a)
              .contains(CrashChild.item(f[1], Integer.parseInt(f[2])));
        }
        if (mode.equals("blind") && tables.contains("blind")) {
          assertThat(c.table("blind").verify().clean()).as("round " + round + ": verify").isTrue();
        }
        if (mode.equals("reencrypt") && tables.contains("reenc")) {
          String id = c.table("reenc").describe().tableId();
          int primary = c.table("reenc").describe().primaryDataKeyVersion();
          c.close();
          assertThat(SealedVersions.of(dir, id)).containsOnlyKeys(primary);
        }
      }
      if (mode.equals("delete")) {
        acked.clear(); // each round's tables are checked in that round
      }
    }
    System.out.println(
        "CrashSafetyTest "
            + mode
            + ": "
            + operations
            + " operations completed before the kills, "
            + interruptedJobs
            + " interrupted re-encryption jobs found at reopen");
    assertThat(operations).as("the child got to the operation under test").isPositive();
  }

  private List<String> runAndKill(String mode, int round, long killAfterMillis) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder pb =
        new ProcessBuilder(
            java,
            "-Xmx128m",
            "-XX:TieredStopAtLevel=1",
            "-cp",
            System.getProperty("java.class.path"),
            CrashChild.class.getName(),
            mode,
            dir.toString(),
            keystore.toString(),
            Base64.getEncoder().encodeToString(rawKey),
            ALIAS,
            "r" + round);
    Path stderr = tmp.resolve("child-" + mode + "-" + round + ".err");
    pb.redirectError(stderr.toFile());
    Process child = pb.start();
    List<String> lines = new CopyOnWriteArrayList<>();
    List<java.io.IOException> readFailures = new CopyOnWriteArrayList<>();
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader r =
                  new BufferedReader(
                      new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                for (String l = r.readLine(); l != null; l = r.readLine()) {
                  lines.add(l);
                }
              } catch (java.io.IOException e) {
                readFailures.add(e); // output lost: the markers below could be incomplete
              }
            });
    reader.start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!lines.contains("READY") && child.isAlive() && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    assertThat(lines).as("child started (alive=" + child.isAlive() + ")").contains("READY");
    Thread.sleep(killAfterMillis);
    assertThat(child.isAlive())
        .as(
            () ->
                "child still working when killed; output "
                    + tail(lines)
                    + "; stderr "
                    + readQuietly(stderr))
        .isTrue();
    // SIGKILL through the process handle: Process.destroyForcibly also closes the child's stdout
    // at once, dropping lines still in the pipe (a lost "DELETING" line made a table being
    // deleted look like a lost table); this way the reader drains the pipe to its end.
    child.toHandle().destroyForcibly();
    assertThat(child.waitFor(10, TimeUnit.SECONDS)).as("child died").isTrue();
    reader.join(10_000);
    assertThat(reader.isAlive()).as("child output read to its end").isFalse();
    assertThat(readFailures).as("child output read without error").isEmpty();
    // a line cut by the kill cannot be an acknowledgement we rely on: drop a last ACK (a cut
    // DELETING line names no table, so markers are kept)
    List<String> complete = new ArrayList<>(lines);
    if (!complete.isEmpty() && complete.get(complete.size() - 1).startsWith("ACK ")) {
      complete.remove(complete.size() - 1);
    }
    return complete;
  }

  private static String readQuietly(Path file) {
    try {
      String s = java.nio.file.Files.readString(file);
      return s.length() > 4000 ? s.substring(0, 4000) : s;
    } catch (java.io.IOException e) {
      return "(unreadable: " + e + ")";
    }
  }

  private static List<String> tail(List<String> lines) {
    return lines.subList(Math.max(0, lines.size() - 5), lines.size());
  }
}
