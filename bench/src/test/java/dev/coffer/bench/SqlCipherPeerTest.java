package dev.coffer.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coffer.Item;
import dev.coffer.Key;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code sqlcipher} peer of {@link PeerBenchmark} really encrypts: after a marker value is
 * written and the database closed, no file of it holds the marker or SQLite's plaintext header, and
 * it cannot be read without the key. The {@code sqlite-plain} peer, through the same driver, is the
 * control: its file holds both.
 */
class SqlCipherPeerTest {
  private static final byte[] MARKER =
      "COFFER-SQLCIPHER-MARKER-0123456789".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] HEADER = "SQLite format 3\0".getBytes(StandardCharsets.US_ASCII);

  @TempDir Path dir;

  private static void writeMarker(Path dir, boolean encrypted) throws Exception {
    PeerBenchmark.SqlitePeer peer = new PeerBenchmark.SqlitePeer(dir, encrypted, false, 1 << 20);
    try {
      List<Item> items = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        items.add(BenchData.item(i, -1, MARKER));
      }
      peer.load(items);
      peer.put(BenchData.item(200, -1, MARKER));
      peer.settle();
      assertThat(peer.get(Key.of(BenchData.partitionKey(7))).get(BenchData.PAYLOAD).b())
          .isEqualTo(MARKER);
    } finally {
      peer.close();
    }
  }

  /** Every file the database left behind (db, and any -wal / -shm), concatenated. */
  private static byte[] allBytes(Path dir) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : (Iterable<Path>) files.sorted()::iterator) {
        out.write(Files.readAllBytes(f));
      }
    }
    return out.toByteArray();
  }

  private static boolean contains(byte[] haystack, byte[] needle) {
    // ISO-8859-1 maps every byte to one char, so this is a byte-for-byte search
    return new String(haystack, java.nio.charset.StandardCharsets.ISO_8859_1)
        .contains(new String(needle, java.nio.charset.StandardCharsets.ISO_8859_1));
  }

  @Test
  void sqlcipherFileHoldsNeitherTheMarkerNorTheSqliteHeader() throws Exception {
    writeMarker(dir, true);

    byte[] raw = allBytes(dir);
    assertThat(raw.length).isGreaterThan(4096);
    assertThat(contains(raw, MARKER)).as("marker in the raw files").isFalse();
    assertThat(contains(raw, HEADER)).as("'SQLite format 3' header in the raw files").isFalse();
  }

  @Test
  void sqlcipherFileCannotBeReadWithoutTheKey() throws Exception {
    writeMarker(dir, true);
    String url = "jdbc:sqlite:" + dir.resolve("peer.db");

    assertThatThrownBy(
            () -> {
              try (Connection c = DriverManager.getConnection(url);
                  Statement s = c.createStatement();
                  ResultSet rs = s.executeQuery("SELECT count(*) FROM kv")) {
                rs.next();
              }
            })
        .isInstanceOf(SQLException.class)
        .hasMessageContaining("not a database");

    try (Connection c = PeerBenchmark.SqlitePeer.open(dir.resolve("peer.db"), true);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT count(*) FROM kv")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getInt(1)).isEqualTo(201); // the right key still opens it
    }
  }

  @Test
  void sqlitePlainFileHoldsBoth() throws Exception { // the control: the check can see plaintext
    writeMarker(dir, false);

    byte[] raw = allBytes(dir);
    assertThat(contains(raw, MARKER)).isTrue();
    assertThat(contains(raw, HEADER)).isTrue();
  }
}
