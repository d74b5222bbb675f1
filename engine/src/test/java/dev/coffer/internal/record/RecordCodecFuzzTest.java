package dev.coffer.internal.record;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.sun.management.ThreadMXBean;
import dev.coffer.CorruptionException;
import dev.coffer.internal.keys.AeadKey;
import dev.coffer.internal.keys.PartitionTokens;
import dev.coffer.internal.keys.SealBudget;
import dev.coffer.internal.keys.TableKeys;
import dev.coffer.internal.record.AssociatedData.Kind;
import dev.coffer.proto.AttributeValue;
import dev.coffer.proto.Item;
import dev.coffer.proto.LeafEntry;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Fuzz target: the record codec ({@link RecordFormat}) and the open path of sealed records ({@link
 * PageCipher}, {@link TableRecords}, {@link CatalogRecords}) on bytes an attacker with write access
 * to the store's files can write.
 *
 * <p><b>Input:</b> the first byte picks the mode (modulo 7), the rest is the stored bytes:
 *
 * <ol start="0">
 *   <li>a sealed envelope: {@link RecordFormat#parseEnvelope} (null or an envelope inside the
 *       bytes, never an exception), then {@link PageCipher#open} under a fixed key and associated
 *       data: {@link CorruptionException} naming the location; plaintext only for a real seal under
 *       that key (the fuzzer cannot forge a GCM tag);
 *   <li>a node's value ({@code StoredNode}: the page and its appended delta records): {@link
 *       RecordFormat#records} ({@link IOException}; the spans lie inside the value);
 *   <li>an opened page: {@link RecordFormat#body} (the LZ4 {@code CompressedRecord} of store format
 *       3, or the body as it is) then {@link RecordFormat#decodePage} and {@link
 *       RecordFormat#deltaSeqBase} ({@link IOException}, or null for an unknown format); a page
 *       that decodes encodes to a body that decodes to the same page;
 *   <li>an opened delta record: {@link RecordFormat#body}, {@link RecordFormat#decodeDelta} ({@link
 *       IOException} or null); one that decodes re-encodes to the same change;
 *   <li>a leaf entry: {@link RecordFormat#parseEntry} ({@link InvalidProtocolBufferException});
 *   <li>a real node value (one of {@link #NODES}, made by {@link TableRecords} under a fixed key: a
 *       compressed leaf with delta records, an uncompressed leaf, an inner node), chosen by the
 *       next byte, with the bytes after it as edits (pairs: position, xor; a trailing odd byte
 *       truncates), opened by {@link TableRecords#openNode}: the same node as before the edits
 *       (after a truncation: less its newest delta records, which a node alone cannot tell were
 *       there; docs/threat-model.md), or {@link CorruptionException} naming the table and the
 *       record ({@code partition <hex> node <id>[ delta <seq>]});
 *   <li>a sealed catalog entry through {@link CatalogRecords#openEntry}: {@link
 *       CorruptionException} naming {@code catalog entry <table id hex>}.
 * </ol>
 *
 * <p><b>Documented exceptions:</b> exactly those above. Every mode also checks that decoding
 * allocates in proportion to the input, not to a length field inside it: at most {@link
 * #ALLOCATION_SLACK} bytes plus {@value #ALLOCATION_PER_INPUT_BYTE} per input byte (LZ4 expands at
 * most 255 times), measured with the thread's allocation counter.
 */
public class RecordCodecFuzzTest {
  /** Allocation allowed per input byte: LZ4's largest expansion, plus copies. */
  static final long ALLOCATION_PER_INPUT_BYTE = 1024;

  /** Allocation allowed whatever the input (cipher, lists, messages). */
  static final long ALLOCATION_SLACK = 4 << 20;

  static final byte[] STORE = fixed(16, 1);
  static final byte[] TABLE = fixed(16, 2);
  static final byte[] TOKEN = fixed(16, 3);
  static final String TABLE_NAME = "fuzz";
  static final AeadKey KEY = AeadKey.wrap(fixed(32, 4));
  static final byte[] AD = AssociatedData.of(Kind.PAGE, 1, STORE, TABLE, TOKEN, 7, 0);
  static final String LOCATION = "fuzz location";

  private static final MemoryRecordStore BACKEND = new MemoryRecordStore();
  static final TableRecords RECORDS = table(true);
  static final TableRecords UNCOMPRESSED = table(false);
  static final CatalogRecords CATALOG = new CatalogRecords(BACKEND, STORE, KEY);

  /**
   * Real node values: [0] a compressed leaf with three delta records, [1] an uncompressed leaf, [2]
   * an inner node.
   */
  static final List<byte[]> NODES = nodes();

  private static final List<String> OPENED =
      NODES.stream().map(RecordCodecFuzzTest::openNode).toList();

  /** Each node as written, and with its newest 1, 2, ... delta records cut off. */
  private static final List<List<String>> PREFIXES =
      NODES.stream().map(RecordCodecFuzzTest::prefixes).toList();

  private static final ThreadMXBean THREADS = (ThreadMXBean) ManagementFactory.getThreadMXBean();

  @FuzzTest(maxDuration = "30s")
  void fuzz(byte[] input) {
    check(input);
  }

  /** The check of one input (see the class comment). */
  public static void check(byte[] input) {
    if (input.length == 0) {
      return;
    }
    byte[] body = Arrays.copyOfRange(input, 1, input.length);
    long before = THREADS.getCurrentThreadAllocatedBytes();
    switch (Math.floorMod(input[0], 7)) {
      case 0 -> envelope(body);
      case 1 -> spans(body);
      case 2 -> page(body);
      case 3 -> delta(body);
      case 4 -> entry(body);
      case 5 -> editedNode(body);
      default -> catalogEntry(body);
    }
    long allocated = THREADS.getCurrentThreadAllocatedBytes() - before;
    assertThat(allocated)
        .as("bytes allocated to decode %d input bytes", input.length)
        .isLessThanOrEqualTo(ALLOCATION_SLACK + ALLOCATION_PER_INPUT_BYTE * input.length);
  }

  private static void envelope(byte[] bytes) {
    RecordFormat.Envelope env = RecordFormat.parseEnvelope(bytes, 0, bytes.length);
    if (env != null) {
      assertThat(env.nonceOffset).isBetween(0, bytes.length - RecordFormat.NONCE_BYTES);
      assertThat(env.ciphertextLength).isBetween(RecordFormat.TAG_BYTES, bytes.length);
      assertThat(env.ciphertextOffset).isBetween(0, bytes.length - env.ciphertextLength);
      assertThat(env.keyVersion).isNotNegative();
    }
    try {
      byte[] plain = PageCipher.open(bytes, 1, KEY, AD, LOCATION);
      assertThat(env).as("only a well-formed envelope opens").isNotNull();
      assertThat(plain).hasSize(env.ciphertextLength - RecordFormat.TAG_BYTES);
    } catch (CorruptionException e) {
      assertThat(e.location()).isEqualTo(LOCATION);
      assertThat(e.getMessage()).contains("(" + LOCATION + ")");
    }
  }

  private static void spans(byte[] value) {
    try {
      RecordFormat.Spans spans = RecordFormat.records(value);
      assertThat(spans.count()).isPositive();
      for (int i = 0; i < spans.count(); i++) {
        assertThat(spans.length(i)).isNotNegative();
        assertThat(spans.offset(i)).isBetween(0, value.length - spans.length(i));
      }
      assertThat(spans.sequenced(0)).isFalse();
    } catch (IOException e) {
      // documented: not a stored node
    }
  }

  private static void page(byte[] plain) {
    RecordFormat.DecodedPage page;
    byte[] raw;
    try {
      raw = RecordFormat.body(plain);
      page = RecordFormat.decodePage(raw);
      RecordFormat.deltaSeqBase(raw);
    } catch (IOException e) {
      return; // documented: malformed
    }
    if (page == null) {
      return; // documented: unknown format or kind
    }
    assertThat(
            page.leaf
                ? page.separators.isEmpty() && page.children.isEmpty()
                : page.entries.isEmpty())
        .isTrue();
    byte[] again =
        RecordFormat.encodePage(
            new TableRecordsTest.Page(
                page.leaf,
                page.entries,
                page.separators,
                page.children,
                page.nextNodeId,
                page.height,
                page.deltaSeqBase));
    RecordFormat.DecodedPage back;
    try {
      back = RecordFormat.decodePage(RecordFormat.body(RecordFormat.compressedOrRaw(again)));
      assertThat(RecordFormat.deltaSeqBase(again)).isEqualTo(page.deltaSeqBase);
    } catch (IOException e) {
      throw new AssertionError("a page that decoded does not decode once written again", e);
    }
    assertThat(back).isNotNull();
    assertThat(back.leaf).isEqualTo(page.leaf);
    assertThat(encoded(back.entries)).isEqualTo(encoded(page.entries));
    assertThat(back.separators).isEqualTo(page.separators);
    assertThat(back.children).isEqualTo(page.children);
    assertThat(back.nextNodeId).isEqualTo(page.nextNodeId);
    assertThat(back.height).isEqualTo(page.height);
    assertThat(back.deltaSeqBase).isEqualTo(page.deltaSeqBase);
  }

  private static void delta(byte[] plain) {
    DeltaChange d;
    try {
      d = RecordFormat.decodeDelta(RecordFormat.body(plain), 42);
    } catch (IOException e) {
      return; // documented: malformed
    }
    if (d == null) {
      return; // documented: unknown format or no change
    }
    assertThat(d.seq()).isEqualTo(42);
    assertThat(d.put() == null).isNotEqualTo(d.deleteSortKey() == null);
    byte[] again =
        d.put() != null
            ? RecordFormat.encodeDeltaPut(d.put())
            : RecordFormat.encodeDeltaDelete(d.deleteSortKey());
    DeltaChange back;
    try {
      back = RecordFormat.decodeDelta(again, 42);
    } catch (IOException e) {
      throw new AssertionError("a delta record that decoded does not decode once written again", e);
    }
    assertThat(back.sortKey()).isEqualTo(d.sortKey());
    assertThat(back.put() == null ? null : back.put().encoded())
        .isEqualTo(d.put() == null ? null : d.put().encoded());
  }

  private static void entry(byte[] bytes) {
    try {
      Entry e = RecordFormat.parseEntry(ByteString.copyFrom(bytes));
      assertThat(e.encoded()).isEqualTo(ByteString.copyFrom(bytes));
      assertThat(e.sortKey().size()).isLessThanOrEqualTo(bytes.length);
    } catch (InvalidProtocolBufferException e) {
      // documented: not a leaf entry
    }
  }

  private static void editedNode(byte[] edits) {
    if (edits.length == 0) {
      return;
    }
    int which = Math.floorMod(edits[0], NODES.size());
    byte[] value = NODES.get(which).clone();
    int i = 1;
    for (; i + 1 < edits.length; i += 2) {
      value[Math.floorMod(edits[i] & 0xff | (edits[i + 1] & 0xf0) << 4, value.length)] ^=
          (byte) (edits[i + 1] | 1);
    }
    boolean truncated = i < edits.length;
    if (truncated) {
      value = Arrays.copyOf(value, Math.floorMod(edits[i], value.length));
    }
    TableRecords records = which == 1 ? UNCOMPRESSED : RECORDS;
    try {
      String opened = describe(records.openNode(TOKEN, 7, value, TableRecordsTest.OPEN));
      if (truncated) {
        // documented (design.md, threat-model.md): the newest delta records of a leaf can be cut
        // off unseen
        assertThat(opened)
            .as("a truncated node that opens is the node as written, less its newest delta records")
            .isIn(PREFIXES.get(which));
      } else {
        assertThat(opened)
            .as("an edited node that opens is the node as written")
            .isEqualTo(OPENED.get(which));
      }
    } catch (CorruptionException e) {
      assertThat(e.tableName()).isEqualTo(TABLE_NAME);
      assertThat(e.location()).startsWith(TableRecords.location(TOKEN, 7));
    }
  }

  private static void catalogEntry(byte[] sealed) {
    try {
      CATALOG.openEntry(TABLE, sealed);
    } catch (CorruptionException e) {
      assertThat(e.location()).isEqualTo("catalog entry " + HexFormat.of().formatHex(TABLE));
    }
  }

  /**
   * Writes the seeds, records made by the codec and {@link TableRecords} themselves: {@code
   * -Dfuzz.record.seeds=DIR} (the corpus directory {@code
   * src/test/resources/dev/coffer/internal/record/RecordCodecFuzzTestInputs/fuzz}).
   */
  @Test
  @EnabledIfSystemProperty(named = "fuzz.record.seeds", matches = ".+")
  void writeSeeds() throws IOException {
    Path dir = Path.of(System.getProperty("fuzz.record.seeds"));
    Files.createDirectories(dir);
    List<Entry> entries = new ArrayList<>();
    for (int k = 0; k < 12; k++) {
      entries.add(item(k));
    }
    byte[] leaf =
        RecordFormat.encodePage(
            new TableRecordsTest.Page(true, entries, List.of(), List.of(), 4, 1, 3));
    byte[] inner =
        RecordFormat.encodePage(
            new TableRecordsTest.Page(
                false,
                List.of(),
                List.of(ByteString.copyFromUtf8("m"), ByteString.copyFromUtf8("t")),
                List.of(1L, 2L, 5L),
                6,
                2,
                0));
    byte[] sealed = PageCipher.seal(KEY, 1, AD, leaf);
    write(dir, "envelope", 0, sealed);
    write(dir, "envelope-truncated", 0, Arrays.copyOf(sealed, 30));
    write(dir, "envelope-key-version-2", 0, PageCipher.seal(KEY, 2, AD, leaf));
    for (int i = 0; i < NODES.size(); i++) {
      write(dir, "node-" + i, 1, NODES.get(i));
    }
    byte[] compressed = RecordFormat.compressedOrRaw(leaf);
    assertThat(compressed).isNotEqualTo(leaf);
    write(dir, "page-leaf-lz4", 2, compressed);
    write(dir, "page-leaf", 2, leaf);
    write(dir, "page-inner", 2, inner);
    write(dir, "page-lz4-truncated", 2, Arrays.copyOf(compressed, compressed.length - 7));
    // a CompressedRecord of one byte that claims to decompress to 64 MB
    write(
        dir,
        "finding-lz4-claims-64mb",
        2,
        new byte[] {
          0x08,
          0x02,
          0x10,
          0x01,
          0x18,
          (byte) 0x80,
          (byte) 0x80,
          (byte) 0x80,
          0x20,
          0x22,
          0x01,
          0x00
        });
    write(dir, "delta-put", 3, RecordFormat.encodeDeltaPut(item(40)));
    write(dir, "delta-delete", 3, RecordFormat.encodeDeltaDelete(item(3).sortKey()));
    write(
        dir,
        "delta-put-lz4",
        3,
        RecordFormat.compressedOrRaw(
            RecordFormat.encodeDeltaPut(
                Entry.of(
                    item(41).toProto().toBuilder()
                        .setItem(
                            Item.newBuilder()
                                .putAttributes(
                                    "v",
                                    AttributeValue.newBuilder().setS("abc".repeat(100)).build()))
                        .build()))));
    write(dir, "entry", 4, item(5).encoded().toByteArray());
    write(dir, "edit-none", 5, new byte[] {0});
    write(dir, "edit-leaf", 5, new byte[] {0, 60, 0x10});
    write(dir, "edit-leaf-delta", 5, new byte[] {0, (byte) 0xf0, 0x30, 0x20});
    write(dir, "edit-uncompressed", 5, new byte[] {1, 2, 0x40});
    write(dir, "edit-inner", 5, new byte[] {2, 20, 0x01, 5});
    byte[] catalogEntry =
        CATALOG.sealEntry(TABLE, "a catalog entry".getBytes(StandardCharsets.UTF_8));
    write(dir, "catalog-entry", 6, catalogEntry);
    write(dir, "catalog-entry-page", 6, sealed);
  }

  private static void write(Path dir, String name, int mode, byte[] bytes) throws IOException {
    byte[] out = new byte[bytes.length + 1];
    out[0] = (byte) mode;
    System.arraycopy(bytes, 0, out, 1, bytes.length);
    Files.write(dir.resolve(name), out);
  }

  // ------------------------------------------------------------------------------- fixtures

  private static byte[] fixed(int n, int seed) {
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) {
      b[i] = (byte) (seed * 31 + i * 7);
    }
    return b;
  }

  private static List<ByteString> encoded(List<Entry> entries) {
    return entries.stream().map(Entry::encoded).toList();
  }

  private static TableRecords table(boolean compressed) {
    RecordStore.Namespace ns = BACKEND.table(TABLE, TABLE_NAME);
    if (ns == null) {
      ns = BACKEND.createTable(TABLE, TABLE_NAME);
    }
    return new TableRecords(
        BACKEND,
        ns,
        STORE,
        TABLE,
        TABLE_NAME,
        new TableKeys(
            Map.of(1, KEY), Map.of(1, SealBudget.fresh()), 1, new PartitionTokens(fixed(32, 5))),
        true,
        compressed);
  }

  static Entry item(int k) {
    return Entry.of(
        LeafEntry.newBuilder()
            .setSortKey(ByteString.copyFrom(new byte[] {0x01, (byte) k}))
            .setItem(
                Item.newBuilder()
                    .putAttributes("pk", AttributeValue.newBuilder().setS("partition").build())
                    .putAttributes(
                        "v",
                        AttributeValue.newBuilder().setS("value value value value " + k).build()))
            .build());
  }

  private static List<byte[]> nodes() {
    List<Entry> entries = new ArrayList<>();
    for (int k = 0; k < 12; k++) {
      entries.add(item(k));
    }
    List<byte[]> out = new ArrayList<>();
    byte[] key = RecordKeys.node(TOKEN, 7);
    RECORDS.putNode(
        TOKEN, 7, new TableRecordsTest.Page(true, entries, List.of(), List.of(), 0, 0, 5));
    RECORDS.appendPut(TOKEN, 7, 5, item(40));
    RECORDS.appendDelete(TOKEN, 7, 6, entries.get(3).sortKey());
    RECORDS.appendPut(TOKEN, 7, TableRecords.deltaSeqAfter(6), item(41));
    out.add(BACKEND.raw(TABLE, key));
    UNCOMPRESSED.putNode(
        TOKEN,
        7,
        new TableRecordsTest.Page(true, entries.subList(0, 3), List.of(), List.of(), 9, 1, 0));
    out.add(BACKEND.raw(TABLE, key));
    RECORDS.putNode(
        TOKEN,
        7,
        new TableRecordsTest.Page(
            false, List.of(), List.of(ByteString.copyFromUtf8("m")), List.of(1L, 2L), 3, 2, 0));
    out.add(BACKEND.raw(TABLE, key));
    return out;
  }

  private static String openNode(byte[] value) {
    return describe(RECORDS.openNode(TOKEN, 7, value, TableRecordsTest.OPEN));
  }

  private static List<String> prefixes(byte[] value) {
    TableRecordsTest.Opened n = RECORDS.openNode(TOKEN, 7, value, TableRecordsTest.OPEN);
    List<String> out = new ArrayList<>();
    for (int m = 0; m <= n.deltas().size(); m++) {
      out.add(
          describe(
              new TableRecordsTest.Opened(
                  n.leaf(),
                  n.keys(),
                  n.separators(),
                  n.children(),
                  n.next(),
                  n.height(),
                  n.base(),
                  n.deltas().subList(0, m))));
    }
    return out;
  }

  /** An opened node as text, delta records by their contents (entries compare by identity). */
  private static String describe(TableRecordsTest.Opened n) {
    return n.leaf()
        + " "
        + hex(n.keys())
        + " "
        + hex(n.separators())
        + " "
        + n.children()
        + " "
        + n.next()
        + " "
        + n.height()
        + " "
        + n.base()
        + " "
        + n.deltas().stream()
            .map(
                d ->
                    d.seq()
                        + ":"
                        + hex(List.of(d.sortKey()))
                        + (d.put() == null ? "" : ":" + hex(List.of(d.put().encoded()))))
            .toList();
  }

  private static List<String> hex(List<ByteString> bytes) {
    return bytes.stream().map(b -> HexFormat.of().formatHex(b.toByteArray())).toList();
  }
}
