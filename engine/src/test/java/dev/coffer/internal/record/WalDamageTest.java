package dev.coffer.internal.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coffer.AttributeValue;
import dev.coffer.ChildJvm;
import dev.coffer.Coffer;
import dev.coffer.CorruptionException;
import dev.coffer.CrashChild;
import dev.coffer.EngineAccess;
import dev.coffer.Key;
import dev.coffer.Table;
import dev.coffer.WalRecovery;
import dev.coffer.kms.local.LocalKeyProvider;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A child JVM makes synced puts that stay in the write-ahead log (nothing is flushed) and is killed
 * with SIGKILL; then the log is damaged as a disk or a person could damage it, and the store is
 * opened: a byte flipped in the middle or a cut in the middle fails the open with a message naming
 * the file and the byte (and changes nothing), point-in-time recovery opens it on request without
 * the writes from the damage on, and a last record torn as a crash tears it costs no acknowledged
 * write.
 */
class WalDamageTest {
  /** RocksDB's write-ahead log is written in blocks of this size. */
  private static final long LOG_BLOCK = 32 * 1024;

  @TempDir Path tmp;

  private ChildJvm jvm;
  private List<String> acked;
  private Path log;

  @BeforeEach
  void writeAndKill() throws Exception {
    jvm = new ChildJvm(tmp);
    ChildJvm.Running child = jvm.start("put", "r");
    child.await(lines -> lines.stream().filter(l -> l.startsWith("ACK ")).count() >= 300);
    acked = new ArrayList<>();
    for (String l : child.kill()) {
      if (l.startsWith("ACK ")) {
        acked.add(l.substring(4));
      }
    }
    WalInspector.Report report = WalInspector.inspect(jvm.dir());
    assertThat(report.damage()).as("the log as the kill left it").isNull();
    log = report.newest().path;
    if (report.newest().incompleteFrom >= 0) {
      // the kill tore the record being written (never acknowledged): start from its end
      truncate(log, report.newest().incompleteFrom);
    }
    assertThat(WalInspector.inspect(jvm.dir()).newest().batches)
        .as("the puts are in the log, not flushed")
        .hasSizeGreaterThanOrEqualTo(acked.size());
  }

  /** The backend of the last store opened: what its open recovered. */
  private final RecordStore[] backend = new RecordStore[1];

  private Coffer open(LocalKeyProvider p, WalRecovery recovery) {
    return EngineAccess.open(jvm.dir(), jvm.options(p).walRecovery(recovery).build(), backend);
  }

  /**
   * A batch in the middle of the log that lies within one 32 KiB block of the log (a batch that
   * crosses a block boundary is two physical records, and the damage is reported at the one that
   * holds the flipped byte).
   */
  private WalInspector.Batch middle() throws IOException {
    List<WalInspector.Batch> batches = WalInspector.inspect(jvm.dir()).newest().batches;
    for (int i = batches.size() / 2; i < batches.size(); i++) {
      WalInspector.Batch b = batches.get(i);
      if (b.offset() / LOG_BLOCK == (b.end() - 1) / LOG_BLOCK) {
        return b;
      }
    }
    throw new AssertionError("no batch in the second half of the log lies within one block");
  }

  @Test
  void aByteFlippedInTheMiddleFailsTheOpenAndPointInTimeRecoveryKeepsThePrefix() throws Exception {
    WalInspector.Batch b = middle();
    flip(log, (b.offset() + b.end()) / 2);
    byte[] damaged = Files.readAllBytes(log);
    try (LocalKeyProvider p = jvm.provider()) {
      for (int attempt = 0; attempt < 2; attempt++) {
        assertThatThrownBy(() -> open(p, WalRecovery.TORN_TAIL_ONLY))
            .isInstanceOf(CorruptionException.class)
            .hasMessageContaining(
                "The write-ahead log of the store at "
                    + jvm.dir()
                    + " is damaged: "
                    + log
                    + ": the record at byte "
                    + b.offset()
                    + " fails its checksum")
            .hasMessageContaining("intact write batches (sequence numbers")
            .hasMessageContaining("that opening would lose")
            .hasMessageContaining("The store was not opened and nothing was changed")
            .hasMessageContaining("Restore the store directory from a backup")
            .hasMessageContaining("CofferOptions.walRecovery(WalRecovery.POINT_IN_TIME)")
            .satisfies(
                e ->
                    assertThat(((CorruptionException) e).location())
                        .isEqualTo("write-ahead log " + log.getFileName() + " byte " + b.offset()));
        assertThat(Files.readAllBytes(log))
            .as("the refused open left the log as it was")
            .isEqualTo(damaged);
      }
      List<String> present = new ArrayList<>();
      try (Coffer c = open(p, WalRecovery.POINT_IN_TIME)) {
        assertThat(backend[0].recoveryNotes())
            .singleElement()
            .asString()
            .contains("point-in-time recovery")
            .contains("byte " + b.offset())
            .contains("dropped the damaged record");
        Table t = c.table("wal");
        for (String a : acked) {
          if (t.getItem(key(a)).isPresent()) {
            present.add(a);
          }
        }
      }
      // the writes before the damage, in the order they were acknowledged, and none after it
      assertThat(present)
          .isNotEmpty()
          .hasSizeLessThan(acked.size())
          .isEqualTo(acked.subList(0, present.size()));
      try (Coffer c = open(p, WalRecovery.TORN_TAIL_ONLY)) { // recovered for good
        assertThat(backend[0].recoveryNotes()).isEmpty();
        assertThat(c.table("wal").getItem(key(present.get(present.size() - 1)))).isPresent();
      }
    }
  }

  @Test
  void aLogCutInTheMiddleFailsTheOpen() throws Exception {
    WalInspector.Batch b = middle();
    long cut = b.offset() + 9;
    if (cut % WalInspector.PAGE_SIZE == 0) {
      cut++;
    }
    truncate(log, cut);
    try (LocalKeyProvider p = jvm.provider()) {
      assertThatThrownBy(() -> open(p, WalRecovery.TORN_TAIL_ONLY))
          .isInstanceOf(CorruptionException.class)
          .hasMessageContaining(log + ": ends inside a record at byte " + cut)
          .hasMessageContaining(
              "the file was cut short, and acknowledged writes after the cut may be missing")
          .hasMessageContaining("The store was not opened");
      assertThat(Files.size(log)).isEqualTo(cut);
    }
  }

  @Test
  void aTornLastRecordIsDroppedAndNoAcknowledgedWriteIsLost() throws Exception {
    WalWriter.append(log, new WalWriter(Files.size(log)).torn().bytes());
    try (LocalKeyProvider p = jvm.provider()) {
      try (Coffer c = open(p, WalRecovery.TORN_TAIL_ONLY)) {
        assertThat(backend[0].recoveryNotes())
            .singleElement()
            .asString()
            .contains("without the torn end of its write-ahead log")
            .contains(log.toString())
            .contains("never acknowledged");
        Table t = c.table("wal");
        for (String a : acked) {
          assertThat(t.getItem(key(a))).as("acknowledged write " + a).contains(item(a));
        }
      }
      try (Coffer c = open(p, WalRecovery.TORN_TAIL_ONLY)) {
        assertThat(backend[0].recoveryNotes()).isEmpty();
        assertThat(c.table("wal").getItem(key(acked.get(acked.size() - 1)))).isPresent();
      }
    }
  }

  /** {@code "wal <pk> <sk>"} as the child acknowledged it. */
  private static Key key(String ack) {
    String[] f = ack.split(" ");
    return Key.of(AttributeValue.s(f[1]), AttributeValue.n(Integer.parseInt(f[2])));
  }

  private static dev.coffer.Item item(String ack) {
    String[] f = ack.split(" ");
    return CrashChild.item(f[1], Integer.parseInt(f[2]));
  }

  private static void flip(Path p, long at) throws IOException {
    try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "rw")) {
      f.seek(at);
      int b = f.read();
      f.seek(at);
      f.write(b ^ 0x01);
    }
  }

  private static void truncate(Path p, long length) throws IOException {
    try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "rw")) {
      f.setLength(length);
    }
  }
}
