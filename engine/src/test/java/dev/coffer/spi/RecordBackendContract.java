package dev.coffer.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link RecordBackend} must do for Coffer (the SPI's contract), as tests: a backend's
 * test class extends this and says how to make a fresh, empty backend ({@code
 * MemoryBackendContractTest} here, {@code DynamoDbBackendContractTest} in coffer-store-dynamodb).
 */
public abstract class RecordBackendContract {
  private RecordBackend backend;

  /** A fresh, empty backend. */
  protected abstract RecordBackend newBackend();

  @BeforeEach
  void open() {
    backend = newBackend();
  }

  @AfterEach
  void close() {
    backend.close();
  }

  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static BackendRecord rec(String pk, String sk, String value, long version) {
    return BackendRecord.of(b(pk), b(sk), b(value), version);
  }

  @Test
  void putGetDeleteReturnWhatTheyReplaced() {
    assertThat(backend.get(b("p"), b("a"))).isNull();
    assertThat(backend.put(rec("p", "a", "one", 1), WriteCondition.none())).isNull();
    assertThat(backend.get(b("p"), b("a"))).isEqualTo(rec("p", "a", "one", 1));
    assertThat(backend.put(rec("p", "a", "two", 2), WriteCondition.none()))
        .isEqualTo(rec("p", "a", "one", 1));
    assertThat(backend.delete(b("p"), b("a"), WriteCondition.none()))
        .isEqualTo(rec("p", "a", "two", 2));
    assertThat(backend.get(b("p"), b("a"))).isNull();
    assertThat(backend.delete(b("p"), b("a"), WriteCondition.none())).isNull();
  }

  @Test
  void conditionsAreCheckedAtomicallyWithTheWrite() {
    backend.put(rec("p", "a", "one", 7), WriteCondition.absent());
    assertThatThrownBy(() -> backend.put(rec("p", "a", "x", 8), WriteCondition.absent()))
        .isInstanceOf(ConditionFailedException.class);
    assertThatThrownBy(() -> backend.put(rec("p", "a", "x", 8), WriteCondition.version(6)))
        .isInstanceOf(ConditionFailedException.class);
    assertThatThrownBy(() -> backend.put(rec("p", "b", "x", 8), WriteCondition.exists()))
        .isInstanceOf(ConditionFailedException.class);
    assertThatThrownBy(() -> backend.delete(b("p"), b("a"), WriteCondition.version(8)))
        .isInstanceOf(ConditionFailedException.class);
    assertThat(backend.get(b("p"), b("a"))).isEqualTo(rec("p", "a", "one", 7));
    assertThat(backend.get(b("p"), b("b"))).isNull();
    backend.put(rec("p", "a", "two", 8), WriteCondition.version(7));
    backend.put(rec("p", "a", "three", 9), WriteCondition.exists());
    backend.delete(b("p"), b("a"), WriteCondition.version(9));
    assertThat(backend.get(b("p"), b("a"))).isNull();
  }

  @Test
  void queryReturnsOnePartitionInUnsignedSortKeyOrder() {
    List<byte[]> keys =
        List.of(
            new byte[] {0},
            new byte[] {0, 0},
            new byte[] {1},
            new byte[] {(byte) 0x7f},
            new byte[] {(byte) 0x80},
            new byte[] {(byte) 0x80, 0},
            new byte[] {(byte) 0xff, (byte) 0xff});
    List<byte[]> shuffled = new ArrayList<>(keys);
    java.util.Collections.shuffle(shuffled, new Random(1));
    for (byte[] k : shuffled) {
      backend.put(BackendRecord.of(b("p"), k, b("v"), 0), WriteCondition.none());
    }
    backend.put(rec("other", "a", "v", 0), WriteCondition.none());
    List<byte[]> read = new ArrayList<>();
    backend.query(b("p"), null, true, 100).forEach(r -> read.add(r.sortKey()));
    assertThat(read).containsExactlyElementsOf(keys);
    assertThat(backend.query(b("p"), new byte[] {(byte) 0x80}, true, 2))
        .extracting(r -> r.sortKey().length)
        .containsExactly(1, 2);
    assertThat(backend.query(b("p"), new byte[] {(byte) 0x80}, false, 10)).hasSize(2);
    assertThat(backend.query(b("none"), null, true, 10)).isEmpty();
  }

  @Test
  void valuesUpToTheLimitAndManyDeletionsAtOnce() {
    byte[] big = new byte[backend.maxValueBytes()];
    new Random(2).nextBytes(big);
    backend.put(BackendRecord.of(b("big"), b("1"), big, 3), WriteCondition.none());
    assertThat(backend.get(b("big"), b("1")).value()).isEqualTo(big);
    List<BackendKey> keys = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      backend.put(rec("many", "k" + i, "v", 0), WriteCondition.none());
      keys.add(BackendKey.of(b("many"), b("k" + i)));
    }
    backend.deleteAll(keys);
    assertThat(backend.query(b("many"), null, true, 100)).isEmpty();
  }

  @Test
  void segmentsOfAScanCoverEveryRecordOnce() {
    Set<BackendKey> written = new HashSet<>();
    for (int p = 0; p < 20; p++) {
      for (int s = 0; s < 3; s++) {
        BackendRecord r = rec("p" + p, "s" + s, "v", 0);
        backend.put(r, WriteCondition.none());
        written.add(r.key());
      }
    }
    List<BackendKey> seen = new ArrayList<>();
    for (int segment = 0; segment < 3; segment++) {
      BackendKey start = null;
      do {
        ScanPage page = backend.scan(segment, 3, start, 7);
        page.records().forEach(r -> seen.add(r.key()));
        start = page.lastKey();
      } while (start != null);
    }
    assertThat(seen).hasSize(written.size());
    assertThat(new HashSet<>(seen)).isEqualTo(written);
  }
}
