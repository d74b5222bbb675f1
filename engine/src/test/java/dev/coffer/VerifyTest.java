package dev.coffer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coffer.VerifyFinding.Kind;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.ColumnFamilyHandle;

/**
 * {@link Table#verify()} walks every stored record of a table: a clean table verifies clean; a
 * partition whose root was deleted through RocksDB reports its other pages as unreachable; a
 * deleted child is missing; a flipped byte in a page or a delta record is reported with its
 * location; a damaged SST block is reported as the range of partitions it hides, naming the table,
 * and the rest of the table is still verified.
 */
class VerifyTest {
  @TempDir Path dir;

  private final TestStores stores = new TestStores();

  private static Item event(String pk, int sk) {
    return Item.builder()
        .string("pk", pk)
        .number("sk", sk)
        .string("payload", "x".repeat(60) + sk)
        .build();
  }

  /**
   * {@code events}: partitions p0..p{n-1} of {@code items} items each, small pages (multi-level
   * trees).
   */
  private String events(int partitions, int items) {
    try (Coffer c = stores.open(dir)) {
      Table t =
          c.createTable(
              TableSpec.builder()
                  .name("events")
                  .partitionKey("pk", AttributeType.S)
                  .sortKey("sk", AttributeType.N)
                  .pageTargetBytes(512)
                  .build());
      for (int p = 0; p < partitions; p++) {
        for (int i = 0; i < items; i++) {
          t.putItem(event("p" + p, i));
        }
      }
      c.flush();
      return t.describe().tableId();
    }
  }

  private TableVerification verify() {
    try (Coffer c = stores.open(dir, 0)) {
      return c.table("events").verify();
    }
  }

  /** The node keys of the partition with the most nodes. */
  private static List<byte[]> biggestPartition(RawStore raw, ColumnFamilyHandle cf) {
    Map<String, List<byte[]>> byToken = new TreeMap<>();
    for (byte[] k : raw.pageKeys(cf)) {
      byToken.computeIfAbsent(HexFormat.of().formatHex(k, 0, 16), x -> new ArrayList<>()).add(k);
    }
    return byToken.values().stream().max(Comparator.comparingInt(List::size)).orElseThrow();
  }

  @Test
  void aCleanTableVerifiesClean() {
    events(3, 60);
    TableVerification v = verify();
    assertThat(v.clean()).as(v.findings().toString()).isTrue();
    assertThat(v.tableName()).isEqualTo("events");
    assertThat(v.partitions()).isEqualTo(3);
    assertThat(v.items()).isEqualTo(180);
    assertThat(v.nodes()).isGreaterThan(3);
    try (Coffer c = stores.open(dir)) {
      StoreVerification all = c.verify();
      assertThat(all.clean()).isTrue();
      assertThat(all.tables()).extracting(TableVerification::tableName).containsExactly("events");
    }
  }

  @Test
  void aPartitionWhoseRootWasDeletedReportsItsPagesAsUnreachable() throws Exception {
    String tableId = events(3, 60);
    List<byte[]> lost;
    try (RawStore raw = new RawStore(dir)) {
      ColumnFamilyHandle cf = raw.family(tableId);
      lost = biggestPartition(raw, cf);
      assertThat(lost.size()).isGreaterThan(2);
      raw.delete(cf, lost.get(0)); // node 0, the root
    }
    TableVerification v = verify();
    String token = HexFormat.of().formatHex(lost.get(0), 0, 16);
    assertThat(v.findings())
        .hasSize(lost.size() - 1)
        .allSatisfy(
            f -> {
              assertThat(f.kind()).isEqualTo(Kind.UNREACHABLE_NODE);
              assertThat(f.tableName()).isEqualTo("events");
              assertThat(f.partitionToken()).contains(token);
              assertThat(f.location())
                  .isEqualTo("partition " + token + " node " + f.nodeId().getAsLong());
              assertThat(f.message()).contains("root (node 0) is missing");
            });
    assertThat(v.findings())
        .extracting(f -> f.nodeId().getAsLong())
        .containsExactlyElementsOf(
            lost.subList(1, lost.size()).stream()
                .map(k -> ByteBuffer.wrap(k, 16, 8).getLong())
                .toList());
    assertThat(v.items()).isEqualTo(120); // the other two partitions
  }

  @Test
  void aDeletedChildIsMissingAndFlippedBytesAreCorruptWithTheirLocation() throws Exception {
    String tableId = events(2, 60);
    byte[] child;
    byte[] flipped;
    try (RawStore raw = new RawStore(dir)) {
      ColumnFamilyHandle cf = raw.family(tableId);
      List<byte[]> nodes = biggestPartition(raw, cf);
      child = nodes.get(nodes.size() - 1);
      raw.delete(cf, child);
      flipped = nodes.get(1);
      byte[] v = raw.get(cf, flipped);
      v[v.length - 5] ^= 1;
      raw.put(cf, flipped, v);
    }
    TableVerification v = verify();
    String token = HexFormat.of().formatHex(child, 0, 16);
    long childId = ByteBuffer.wrap(child, 16, 8).getLong();
    long flippedId = ByteBuffer.wrap(flipped, 16, 8).getLong();
    assertThat(v.findings())
        .anySatisfy(
            f -> {
              assertThat(f.kind()).isEqualTo(Kind.MISSING_NODE);
              assertThat(f.location()).isEqualTo("partition " + token + " node " + childId);
            });
    assertThat(v.findings())
        .anySatisfy(
            f -> {
              assertThat(f.kind()).isEqualTo(Kind.CORRUPT_RECORD);
              assertThat(f.nodeId()).hasValue(flippedId);
              assertThat(f.location()).startsWith("partition " + token + " node " + flippedId);
              assertThat(f.message()).contains("failed authentication");
            });
  }

  @Test
  void aFlippedByteInADeltaRecordIsReportedWithItsSequenceNumber() throws Exception {
    String tableId;
    try (Coffer c = stores.open(dir)) {
      Table t =
          c.createTable(
              TableSpec.builder()
                  .name("events")
                  .partitionKey("pk", AttributeType.S)
                  .sortKey("sk", AttributeType.N)
                  .build());
      for (int i = 0; i < 4; i++) {
        t.putItem(event("p", i)); // a root leaf and delta records
      }
      tableId = t.describe().tableId();
    }
    try (RawStore raw = new RawStore(dir)) {
      ColumnFamilyHandle cf = raw.family(tableId);
      byte[] key = raw.deltaCounts(cf).keySet().iterator().next();
      List<byte[]> records = new ArrayList<>(raw.records(cf, key));
      byte[] last = records.get(records.size() - 1).clone();
      last[last.length - 2] ^= 1;
      records.set(records.size() - 1, last);
      raw.putRecords(cf, key, records);
    }
    TableVerification v = verify();
    assertThat(v.findings())
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.kind()).isEqualTo(Kind.CORRUPT_RECORD);
              assertThat(f.location()).matches("partition [0-9a-f]{32} node 0 delta \\d+");
            });
  }

  @Test
  void aDamagedSstBlockNamesTheTableAndThePartitionsItHides() throws Exception {
    String tableId;
    try (Coffer c = stores.open(dir)) {
      Table t =
          c.createTable(
              TableSpec.builder().name("events").partitionKey("pk", AttributeType.S).build());
      for (int i = 0; i < 3000; i++) {
        t.putItem(
            Item.builder().string("pk", "item" + i).string("payload", "y".repeat(200) + i).build());
      }
      c.flush();
      tableId = t.describe().tableId();
    }
    Path sst;
    try (RawStore raw = new RawStore(dir)) {
      List<Path> files = raw.sstFiles(tableId);
      assertThat(files).isNotEmpty();
      sst = files.stream().max(Comparator.comparingLong(f -> f.toFile().length())).orElseThrow();
    }
    try (FileChannel ch =
        FileChannel.open(sst, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      long at = ch.size() / 3; // inside a data block: index, filter and footer are at the end
      ByteBuffer b = ByteBuffer.allocate(16);
      ch.read(b, at);
      for (int i = 0; i < 16; i++) {
        b.put(i, (byte) (b.get(i) ^ 0x5A));
      }
      b.rewind();
      ch.write(b, at);
    }
    try (Coffer c = stores.open(dir, 0)) {
      Table t = c.table("events");
      TableVerification v = t.verify();
      assertThat(v.findings())
          .isNotEmpty()
          .allSatisfy(
              f -> {
                assertThat(f.kind()).isEqualTo(Kind.UNREADABLE_RANGE);
                assertThat(f.tableName()).isEqualTo("events");
                assertThat(f.partitionToken()).isPresent();
                assertThat(f.lastPartitionToken()).isPresent();
                assertThat(f.partitionToken().get().compareTo(f.lastPartitionToken().get()))
                    .isLessThanOrEqualTo(0);
                assertThat(f.message()).contains("Corruption");
              });
      assertThat(v.items()).isBetween(1000L, 2999L); // the rest of the table was read
      // a read that meets the damaged block names the table and the partition, not only "RocksDB"
      VerifyFinding f = v.findings().get(0);
      List<CorruptionException> failures = new ArrayList<>();
      for (int i = 0; i < 3000; i++) {
        try {
          t.getItem(Key.of("item" + i));
        } catch (CorruptionException e) {
          failures.add(e);
        }
      }
      assertThat(failures)
          .isNotEmpty()
          .allSatisfy(
              e -> {
                assertThat(e.tableName()).isEqualTo("events");
                assertThat(e.location()).startsWith("partition ");
                String token =
                    e.location().substring("partition ".length(), "partition ".length() + 32);
                assertThat(token.compareTo(f.partitionToken().get())).isGreaterThanOrEqualTo(0);
                assertThat(token.compareTo(f.lastPartitionToken().get())).isLessThanOrEqualTo(0);
              });
      // every item the verification could not vouch for is in the range it reported (the range may
      // also hold the partition the walk was in when it met the damage, read up to that point)
      assertThat(failures.size()).isBetween(1, 3000 - (int) v.items());
    }
  }

  @Test
  void aClosedOrDeletedTableCannotBeVerified() {
    events(1, 5);
    Coffer c = stores.open(dir);
    Table t = c.table("events");
    c.deleteTable("events");
    assertThatThrownBy(t::verify).isInstanceOf(ResourceNotFoundException.class);
    c.close();
    assertThatThrownBy(c::verify).isInstanceOf(IllegalStateException.class);
    assertThat(Arrays.asList(Kind.values())).hasSize(6);
  }
}
