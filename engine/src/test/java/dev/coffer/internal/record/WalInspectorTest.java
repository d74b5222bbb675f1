package dev.coffer.internal.record;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the inspector makes of logs built record by record: intact, torn by a crash, or damaged. */
class WalInspectorTest {
  @TempDir Path dir;

  /**
   * A log of {@code batches} write batches of varied sizes (some span blocks), sequence 1, 2, ...
   */
  private Path log(long number, int batches, long firstSequence) throws IOException {
    WalWriter w = new WalWriter(0);
    for (int i = 0; i < batches; i++) {
      w.add(WalWriter.batch(firstSequence + i, 1, 40 + (i * 7919) % (i % 10 == 0 ? 70_000 : 900)));
    }
    Path p = dir.resolve(String.format("%06d.log", number));
    Files.write(p, w.bytes());
    return p;
  }

  @Test
  void anIntactLogHasEveryBatchAndNoDamage() throws IOException {
    log(5, 200, 1);
    WalInspector.Report r = WalInspector.inspect(dir);
    assertThat(r.damage()).isNull();
    assertThat(r.tornTail()).isNull();
    assertThat(r.logs.get(0).batches).hasSize(200);
    assertThat(r.logs.get(0).batches)
        .extracting(WalInspector.Batch::sequence)
        .startsWith(1L, 2L, 3L)
        .endsWith(200L);
    assertThat(WalInspector.describe(r.logs.get(0).batches))
        .isEqualTo("200 intact write batches (sequence numbers 1 to 200, 200 operations)");
  }

  @Test
  void aRecordTornAtAPageBoundaryIsATornTail() throws IOException {
    Path p = log(5, 50, 1);
    WalWriter.append(p, new WalWriter(Files.size(p)).torn().bytes());
    assertThat(Files.size(p) % 4096).isZero();
    WalInspector.Report r = WalInspector.inspect(dir);
    assertThat(r.damage()).isNull();
    assertThat(r.tornTail()).contains("is incomplete, torn by a crash").contains(p.toString());
    assertThat(r.logs.get(0).batches).hasSize(50);
  }

  @Test
  void aChainTornAtABlockBoundaryIsATornTail() throws IOException {
    WalWriter w = new WalWriter(0);
    while (w.position() < 30_000) {
      w.add(WalWriter.batch(w.position(), 1, 500));
    }
    w.torn(); // what is left of the block is less than 4 KiB: a FIRST part ending the block
    Path p = dir.resolve("000007.log");
    Files.write(p, w.bytes());
    assertThat(Files.size(p)).isEqualTo(WalInspector.BLOCK_SIZE);
    WalInspector.Report r = WalInspector.inspect(dir);
    assertThat(r.damage()).isNull();
    assertThat(r.tornTail()).isNotNull();
  }

  @Test
  void aRecordLargerThanOneWriteMayBeTornAnywhere() throws IOException {
    WalWriter w =
        new WalWriter(0).add(WalWriter.batch(1, 1, 500)).add(WalWriter.batch(2, 1, 2 << 20));
    byte[] bytes = w.bytes();
    long firstEnd = WalInspector.HEADER_SIZE + 500;
    int cut =
        (int) firstEnd
            + 600 * 1024
            + 3; // 600 KiB of the 2 MiB record: written in parts, torn between
    Path p = dir.resolve("000008.log");
    Files.write(p, java.util.Arrays.copyOf(bytes, cut));
    WalInspector.Report r = WalInspector.inspect(dir);
    assertThat(r.damage()).isNull();
    assertThat(r.tornTail()).contains("is incomplete, torn by a crash");
    Files.write(
        p,
        java.util.Arrays.copyOf(bytes, (int) firstEnd + 100 * 1024 + 3)); // 100 KiB: one write, cut
    assertThat(WalInspector.inspect(dir).damage().toString()).contains("cut short");
  }

  @Test
  void aLogCutInsideARecordAnywhereElseIsDamage() throws IOException {
    Path p = log(5, 300, 1);
    WalInspector.Batch b = WalInspector.inspect(dir).logs.get(0).batches.get(150);
    long cut = b.offset() + 10;
    if (cut % 4096 == 0) {
      cut++;
    }
    truncate(p, cut);
    WalInspector.Report r = WalInspector.inspect(dir);
    assertThat(r.damage()).isNotNull();
    assertThat(r.damage().toString())
        .contains("ends inside a record at byte " + cut)
        .contains("cut short");
    assertThat(r.tornTail()).isNull();
  }

  @Test
  void aFlippedByteAnywhereInARecordIsDamageWithTheBatchesAfterIt() throws IOException {
    Path p = log(5, 300, 1);
    WalInspector.Batch b = WalInspector.inspect(dir).logs.get(0).batches.get(121); // one fragment
    for (long at :
        new long[] {b.offset(), b.offset() + 4, b.offset() + 6, b.offset() + 7, b.end() - 1}) {
      flip(p, at);
      WalInspector.Report r = WalInspector.inspect(dir);
      WalInspector.Damage d = r.damage();
      assertThat(d).as("flip at " + at).isNotNull();
      assertThat(d.offset()).isEqualTo(b.offset());
      assertThat(r.batchesFrom(d)).isNotEmpty();
      assertThat(r.lastSequenceBefore(d)).isEqualTo(121);
      assertThat(r.tornTail()).isNull();
      flip(p, at); // undo
    }
    assertThat(WalInspector.inspect(dir).damage()).isNull();
  }

  @Test
  void aZeroedHeaderWithDataAfterItIsDamageButZerosToTheEndAreATornTail() throws IOException {
    Path p = log(5, 300, 1);
    WalInspector.Batch b = WalInspector.inspect(dir).logs.get(0).batches.get(100);
    byte[] bytes = Files.readAllBytes(p);
    byte[] zeroed = bytes.clone();
    java.util.Arrays.fill(zeroed, (int) b.offset(), (int) b.offset() + 7, (byte) 0);
    Files.write(p, zeroed);
    assertThat(WalInspector.inspect(dir).damage().toString()).contains("zeroed record header");
    byte[] zeroTail =
        java.util.Arrays.copyOf(bytes, bytes.length + 5000); // zeros after the last record
    Files.write(p, zeroTail);
    WalInspector.Report r = WalInspector.inspect(dir);
    assertThat(r.damage()).isNull();
    assertThat(r.tornTail()).contains("are zeros");
  }

  @Test
  void onlyTheNewestLogMayBeTorn() throws IOException {
    Path older = log(5, 100, 1);
    WalWriter.append(older, new WalWriter(Files.size(older)).torn().bytes());
    log(9, 100, 101);
    WalInspector.Report r = WalInspector.inspect(dir);
    assertThat(r.damage()).isNotNull();
    assertThat(r.damage().toString()).contains("000005.log").contains("later logs exist");
    assertThat(r.batchesFrom(r.damage())).hasSize(100); // the newer log's
    assertThat(r.lastSequenceBefore(r.damage())).isEqualTo(100);
  }

  @Test
  void emptyAndMissingLogsAreIntact() throws IOException {
    Files.createFile(dir.resolve("000003.log"));
    WalInspector.Report r = WalInspector.inspect(dir);
    assertThat(r.damage()).isNull();
    assertThat(r.tornTail()).isNull();
    assertThat(r.newest()).isNull();
  }

  private static void flip(Path p, long at) throws IOException {
    try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "rw")) {
      f.seek(at);
      int b = f.read();
      f.seek(at);
      f.write(b ^ 0x20);
    }
  }

  private static void truncate(Path p, long length) throws IOException {
    try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "rw")) {
      f.setLength(length);
    }
  }
}
