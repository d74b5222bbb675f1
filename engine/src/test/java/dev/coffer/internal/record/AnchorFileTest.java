package dev.coffer.internal.record;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15, the rollback anchor's file: written through a temporary file of its own name, synced
 * and moved over the anchor atomically, so writers never share a temporary file and a process
 * killed with SIGKILL while writing leaves the old anchor or the new one, never a torn one.
 */
class AnchorFileTest {
  private static final String STORE_ID = "00112233445566778899aabbccddeeff";

  @TempDir Path dir;

  /**
   * Two copies of a store (or two processes) write one anchor file at once. With one fixed
   * temporary name ({@code .anchor.new}, before) one writer deleted or replaced the other's file
   * and the write failed or moved the other's half-written file; with a name of its own, every
   * write succeeds and the anchor is always one whole write.
   */
  @Test
  void concurrentWritersNeverShareATemporaryFile() throws Exception {
    int writers = 4;
    int writes = 150;
    List<Throwable> failures = new CopyOnWriteArrayList<>();
    CountDownLatch start = new CountDownLatch(1);
    List<Thread> threads = new ArrayList<>();
    for (int w = 0; w < writers; w++) {
      int id = w;
      Thread t =
          new Thread(
              () -> {
                AnchorFile file = AnchorFile.in(dir, STORE_ID); // an instance each, as two stores
                try {
                  start.await();
                  for (int i = 0; i < writes; i++) {
                    file.write(AnchorWriterChild.contents(id * 1_000_000L + i));
                    assertThat(AnchorWriterChild.writeNumber(file.read())).isNotNegative();
                  }
                } catch (Throwable e) {
                  failures.add(e);
                }
              });
      t.start();
      threads.add(t);
    }
    start.countDown();
    for (Thread t : threads) {
      t.join();
    }
    assertThat(failures).isEmpty();
    assertThat(AnchorWriterChild.writeNumber(AnchorFile.in(dir, STORE_ID).read())).isNotNegative();
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files.map(f -> f.getFileName().toString())).containsExactly(STORE_ID + ".anchor");
    }
  }

  @Test
  void twoNamesOfOneDirectoryShareOneLockInTheProcess() throws Exception {
    Path real = Files.createDirectories(dir.resolve("anchors"));
    Path link = Files.createSymbolicLink(dir.resolve("link"), real);
    List<Throwable> failures = new CopyOnWriteArrayList<>();
    CountDownLatch start = new CountDownLatch(1);
    List<Thread> threads = new ArrayList<>();
    for (Path through : List.of(real, link)) {
      Thread t =
          new Thread(
              () -> {
                AnchorFile file = AnchorFile.in(through, STORE_ID);
                try {
                  start.await();
                  for (int i = 0; i < 200; i++) {
                    long n = i;
                    file.locked(
                        () -> {
                          file.write(AnchorWriterChild.contents(n));
                          return null;
                        });
                  }
                } catch (Throwable e) {
                  failures.add(e); // with a monitor per name: OverlappingFileLockException
                }
              });
      t.start();
      threads.add(t);
    }
    start.countDown();
    for (Thread t : threads) {
      t.join();
    }
    assertThat(failures).isEmpty();
  }

  @Test
  void aProcessKilledDuringAnchorWritesLeavesTheOldOrTheNewAnchor() throws Exception {
    Random rnd = new Random(15);
    AnchorFile file = AnchorFile.in(dir, STORE_ID);
    for (int round = 0; round < 4; round++) {
      List<String> lines = new CopyOnWriteArrayList<>();
      List<Thread> readers = new ArrayList<>();
      Process child = startChild(lines, readers);
      int writes = 20 + rnd.nextInt(200);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (wrote(lines) < writes && child.isAlive() && System.nanoTime() < deadline) {
        Thread.sleep(1);
      }
      assertThat(child.isAlive()).as("the child is still writing").isTrue();
      child.toHandle().destroyForcibly(); // SIGKILL
      assertThat(child.waitFor(10, TimeUnit.SECONDS)).isTrue();
      readers.get(0).join(10_000); // every line the child printed is read (the pipe is at its end)
      assertThat(readers.get(0).isAlive()).isFalse();
      long acknowledged = wrote(lines) - 1;
      long found = AnchorWriterChild.writeNumber(file.read());
      assertThat(found)
          .as("round " + round + ": the anchor is a whole write, the last acknowledged or the next")
          .isBetween(acknowledged, acknowledged + 1);
    }
  }

  @Test
  void aTemporaryFileLeftByACrashIsRemovedOnceStaleAndAnotherWritersIsNot() throws Exception {
    AnchorFile file = AnchorFile.in(dir, STORE_ID);
    file.write(AnchorWriterChild.contents(1));
    Path stale = dir.resolve(STORE_ID + ".anchor.0123456789abcdef.tmp");
    Path fresh = dir.resolve(STORE_ID + ".anchor.fedcba9876543210.tmp");
    Files.write(stale, new byte[] {1});
    Files.setLastModifiedTime(stale, FileTime.from(Instant.now().minus(Duration.ofHours(1))));
    Files.write(fresh, new byte[] {2}); // as if another process were writing it right now
    file.write(AnchorWriterChild.contents(2));
    assertThat(stale).doesNotExist();
    assertThat(fresh).exists();
    assertThat(AnchorWriterChild.writeNumber(file.read())).isEqualTo(2);
  }

  private static long wrote(List<String> lines) {
    return lines.stream().filter(l -> l.startsWith("WROTE ")).count();
  }

  private Process startChild(List<String> lines, List<Thread> readers)
      throws IOException, InterruptedException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder pb =
        new ProcessBuilder(
            java,
            "-Xmx64m",
            "-XX:TieredStopAtLevel=1",
            "-cp",
            System.getProperty("java.class.path"),
            AnchorWriterChild.class.getName(),
            dir.toString(),
            STORE_ID);
    pb.redirectError(dir.resolveSibling(dir.getFileName() + "-child.err").toFile());
    Process p = pb.start();
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader r =
                  new BufferedReader(
                      new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String l = r.readLine(); l != null; l = r.readLine()) {
                  lines.add(l);
                }
              } catch (IOException e) {
                // the child was killed
              }
            });
    reader.setDaemon(true);
    reader.start();
    readers.add(reader);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!lines.contains("READY") && p.isAlive() && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    assertThat(lines).as("the child started").contains("READY");
    return p;
  }
}
