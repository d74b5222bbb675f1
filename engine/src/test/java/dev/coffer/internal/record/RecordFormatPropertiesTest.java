package dev.coffer.internal.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.coffer.proto.AttributeValue;
import dev.coffer.proto.CompressedRecord;
import dev.coffer.proto.Compression;
import dev.coffer.proto.DeltaRecord;
import dev.coffer.proto.InnerPage;
import dev.coffer.proto.Item;
import dev.coffer.proto.LeafEntry;
import dev.coffer.proto.LeafPage;
import dev.coffer.proto.PageBody;
import dev.coffer.proto.SealedPage;
import dev.coffer.proto.StoredNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * The record codec ({@link RecordFormat}) against the generated protobuf classes of {@code proto/}:
 * what it writes is byte for byte what protobuf writes for the same message, what protobuf writes
 * it reads back field for field, and on arbitrary bytes its decoders fail only in the ways they
 * declare.
 */
class RecordFormatPropertiesTest {

  @Provide
  Arbitrary<byte[]> bytes() {
    return Arbitraries.bytes().array(byte[].class).ofMaxSize(300);
  }

  @Provide
  Arbitrary<LeafEntry> entries() {
    Arbitrary<byte[]> sortKey = Arbitraries.bytes().array(byte[].class).ofMaxSize(20);
    Arbitrary<String> value = Arbitraries.strings().ofMaxLength(60);
    Arbitrary<Long> number = Arbitraries.longs();
    return Combinators.combine(sortKey, value, number)
        .as(
            (k, v, n) ->
                LeafEntry.newBuilder()
                    .setSortKey(ByteString.copyFrom(k))
                    .setItem(
                        Item.newBuilder()
                            .putAttributes("v", AttributeValue.newBuilder().setS(v).build())
                            .putAttributes(
                                "n", AttributeValue.newBuilder().setN(Long.toString(n)).build()))
                    .build());
  }

  @Provide
  Arbitrary<Long> ids() {
    return Arbitraries.oneOf(
        Arbitraries.just(0L), Arbitraries.longs().between(1, 1000), Arbitraries.longs());
  }

  @Property(tries = 300)
  void envelopesAreWhatProtobufWritesAndReadBack(
      @ForAll @IntRange(min = 0, max = Integer.MAX_VALUE) int keyVersion,
      @ForAll @Size(24) byte[] nonce,
      @ForAll("bytes") byte[] body)
      throws Exception {
    byte[] ciphertext = Arrays.copyOf(body, body.length + RecordFormat.TAG_BYTES);
    int header = RecordFormat.envelopeHeaderLength(keyVersion, ciphertext.length);
    byte[] ours = new byte[header + ciphertext.length];
    int nonceAt = RecordFormat.writeEnvelopeHeader(ours, 0, header, keyVersion, ciphertext.length);
    System.arraycopy(nonce, 0, ours, nonceAt, nonce.length);
    System.arraycopy(ciphertext, 0, ours, header, ciphertext.length);
    byte[] theirs =
        SealedPage.newBuilder()
            .setFormatVersion(2)
            .setKeyVersion(keyVersion)
            .setNonce(ByteString.copyFrom(nonce))
            .setCiphertext(ByteString.copyFrom(ciphertext))
            .build()
            .toByteArray();
    assertThat(ours).isEqualTo(theirs);
    byte[] framed = new byte[5 + theirs.length + 3];
    System.arraycopy(theirs, 0, framed, 5, theirs.length);
    RecordFormat.Envelope env = RecordFormat.parseEnvelope(framed, 5, theirs.length);
    assertThat(env).isNotNull();
    assertThat(env.formatVersion).isEqualTo(2);
    assertThat(env.keyVersion).isEqualTo(keyVersion);
    assertThat(env.nonceLength).isEqualTo(24);
    assertThat(Arrays.copyOfRange(framed, env.nonceOffset, env.nonceOffset + 24)).isEqualTo(nonce);
    assertThat(
            Arrays.copyOfRange(
                framed, env.ciphertextOffset, env.ciphertextOffset + env.ciphertextLength))
        .isEqualTo(ciphertext);
  }

  @Property(tries = 100)
  void formatOneEnvelopesStillParse(
      @ForAll @IntRange(min = 0, max = 1000) int keyVersion,
      @ForAll @Size(12) byte[] nonce,
      @ForAll("bytes") byte[] body) {
    byte[] ciphertext = Arrays.copyOf(body, body.length + RecordFormat.TAG_BYTES);
    byte[] old =
        SealedPage.newBuilder()
            .setFormatVersion(1)
            .setKeyVersion(keyVersion)
            .setNonce(ByteString.copyFrom(nonce))
            .setCiphertext(ByteString.copyFrom(ciphertext))
            .build()
            .toByteArray();
    RecordFormat.Envelope env = RecordFormat.parseEnvelope(old, 0, old.length);
    assertThat(env).isNotNull();
    assertThat(env.formatVersion).isEqualTo(1);
    assertThat(env.nonceLength).isEqualTo(12);
    assertThat(Arrays.copyOfRange(old, env.nonceOffset, env.nonceOffset + 12)).isEqualTo(nonce);
  }

  @Property(tries = 100)
  void aNonceOfTheWrongLengthForItsFormatIsNotAnEnvelope(
      @ForAll @IntRange(min = 1, max = 2) int format,
      @ForAll @Size(min = 0, max = 40) byte[] nonce) {
    Assume.that(nonce.length != RecordFormat.nonceBytes(format));
    byte[] bad =
        SealedPage.newBuilder()
            .setFormatVersion(format)
            .setKeyVersion(1)
            .setNonce(ByteString.copyFrom(nonce))
            .setCiphertext(ByteString.copyFrom(new byte[20]))
            .build()
            .toByteArray();
    assertThat(RecordFormat.parseEnvelope(bad, 0, bad.length)).isNull();
  }

  @Property(tries = 300)
  void storedNodesAreWhatProtobufWritesAndConcatenate(
      @ForAll @Size(min = 1, max = 6) List<@Size(max = 200) byte[]> rs) throws Exception {
    StoredNode.Builder b = StoredNode.newBuilder();
    rs.forEach(r -> b.addRecords(ByteString.copyFrom(r)));
    byte[] theirs = b.build().toByteArray();
    assertThat(
            RecordFormat.storedNode(
                rs.stream().map(r -> new RecordFormat.StoredRecordBytes(r, false, 0)).toList()))
        .isEqualTo(theirs);
    ByteArrayOutputStream appended =
        new ByteArrayOutputStream(); // one record per merge, as RocksDB concatenates
    for (byte[] r : rs) {
      byte[] one = new byte[RecordFormat.recordPrefixLength(r.length) + r.length];
      System.arraycopy(r, 0, one, RecordFormat.writeRecordPrefix(one, 0, r.length), r.length);
      appended.write(one);
    }
    assertThat(appended.toByteArray()).isEqualTo(theirs);
    RecordFormat.Spans spans = RecordFormat.records(theirs);
    assertThat(spans.count()).isEqualTo(rs.size());
    for (int i = 0; i < rs.size(); i++) {
      assertThat(Arrays.copyOfRange(theirs, spans.offset(i), spans.offset(i) + spans.length(i)))
          .isEqualTo(rs.get(i));
      assertThat(spans.sequenced(i)).isFalse();
    }
  }

  /** A page to encode, for the codec's writer. */
  record Page(
      boolean isLeaf,
      List<Entry> entries,
      List<ByteString> separators,
      List<Long> children,
      long nextNodeId,
      int height,
      long deltaSeqBase)
      implements PageContent {}

  @Property(tries = 300)
  void leafPagesAreWhatProtobufWritesAndReadBack(
      @ForAll @Size(max = 12) List<@From("entries") LeafEntry> es,
      @ForAll("ids") long next,
      @ForAll @IntRange(min = 0, max = 64) int height,
      @ForAll("ids") long base)
      throws Exception {
    List<Entry> entries = new ArrayList<>();
    es.forEach(e -> entries.add(Entry.of(e)));
    byte[] ours =
        RecordFormat.encodePage(new Page(true, entries, List.of(), List.of(), next, height, base));
    PageBody body =
        PageBody.newBuilder()
            .setFormatVersion(1)
            .setNextNodeId(next)
            .setHeight(height)
            .setDeltaSeqBase(base)
            .setLeaf(LeafPage.newBuilder().addAllEntries(es))
            .build();
    assertThat(ours).isEqualTo(body.toByteArray());
    RecordFormat.DecodedPage page = RecordFormat.decodePage(body.toByteArray());
    assertThat(page.leaf).isTrue();
    assertThat(page.nextNodeId).isEqualTo(next);
    assertThat(page.height).isEqualTo(height);
    assertThat(page.deltaSeqBase).isEqualTo(base);
    assertThat(RecordFormat.deltaSeqBase(body.toByteArray())).isEqualTo(base);
    assertThat(page.entries).extracting(Entry::toProto).isEqualTo(es);
    assertThat(page.entries)
        .extracting(Entry::sortKey)
        .isEqualTo(es.stream().map(LeafEntry::getSortKey).toList());
  }

  @Property(tries = 300)
  void innerPagesAreWhatProtobufWritesAndReadBack(
      @ForAll @Size(min = 1, max = 40) List<Long> children,
      @ForAll("ids") long next,
      @ForAll @IntRange(min = 0, max = 64) int height)
      throws Exception {
    List<ByteString> separators = new ArrayList<>();
    for (int i = 1; i < children.size(); i++) {
      separators.add(ByteString.copyFromUtf8("sep" + i));
    }
    byte[] ours =
        RecordFormat.encodePage(new Page(false, List.of(), separators, children, next, height, 0));
    PageBody body =
        PageBody.newBuilder()
            .setFormatVersion(1)
            .setNextNodeId(next)
            .setHeight(height)
            .setInner(InnerPage.newBuilder().addAllSeparators(separators).addAllChildren(children))
            .build();
    assertThat(ours).isEqualTo(body.toByteArray());
    RecordFormat.DecodedPage page = RecordFormat.decodePage(body.toByteArray());
    assertThat(page.leaf).isFalse();
    assertThat(page.separators).isEqualTo(separators);
    assertThat(page.children).isEqualTo(children);
    assertThat(page.nextNodeId).isEqualTo(next);
    assertThat(page.height).isEqualTo(height);
  }

  @Property(tries = 100)
  void innerPagesWithUnpackedChildrenReadBack(@ForAll @Size(min = 1, max = 10) List<Long> children)
      throws Exception {
    ByteArrayOutputStream inner = new ByteArrayOutputStream();
    CodedOutputStream cos = CodedOutputStream.newInstance(inner);
    for (int i = 1; i < children.size(); i++) {
      cos.writeBytes(1, ByteString.copyFromUtf8("s" + i));
    }
    for (long c : children) {
      cos.writeFixed64(2, c); // unpacked, as an older writer or another library may write
    }
    cos.flush();
    RecordFormat.DecodedPage page = RecordFormat.decodePage(withRawInner(inner.toByteArray()));
    assertThat(page.children).isEqualTo(children);
    assertThat(page.separators).hasSize(children.size() - 1);
  }

  private static byte[] withRawInner(byte[] inner) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    CodedOutputStream cos = CodedOutputStream.newInstance(out);
    cos.writeUInt32(1, 1);
    cos.writeByteArray(3, inner);
    cos.flush();
    return out.toByteArray();
  }

  @Property(tries = 300)
  void deltaRecordsAreWhatProtobufWritesAndReadBack(
      @ForAll("entries") LeafEntry put, @ForAll("bytes") byte[] key) throws Exception {
    byte[] ours = RecordFormat.encodeDeltaPut(Entry.of(put));
    byte[] theirs = DeltaRecord.newBuilder().setFormatVersion(1).setPut(put).build().toByteArray();
    assertThat(ours).isEqualTo(theirs);
    DeltaChange d = RecordFormat.decodeDelta(theirs, 7);
    assertThat(d.put().toProto()).isEqualTo(put);
    assertThat(d.deleteSortKey()).isNull();
    byte[] delete =
        DeltaRecord.newBuilder()
            .setFormatVersion(1)
            .setDeleteSortKey(ByteString.copyFrom(key))
            .build()
            .toByteArray();
    assertThat(RecordFormat.encodeDeltaDelete(ByteString.copyFrom(key))).isEqualTo(delete);
    DeltaChange del = RecordFormat.decodeDelta(delete, 7);
    assertThat(del.put()).isNull();
    assertThat(del.deleteSortKey().toByteArray()).isEqualTo(key);
  }

  @Property(tries = 300)
  void leafEntriesKeepTheirBytesAndSortKeys(@ForAll("entries") LeafEntry e) throws Exception {
    Entry parsed = RecordFormat.parseEntry(e.toByteString());
    assertThat(parsed.sortKey()).isEqualTo(e.getSortKey());
    assertThat(parsed.item()).isEqualTo(e.getItem());
    assertThat(parsed.encodedSize()).isEqualTo(e.getSerializedSize());
  }

  @Property(tries = 2000)
  void decodersFailOnlyAsDeclaredOnArbitraryBytes(@ForAll("bytes") byte[] garbage) {
    RecordFormat.parseEnvelope(
        garbage, 0, garbage.length); // null or an envelope, never an exception
    try {
      RecordFormat.records(garbage);
    } catch (IOException expected) {
      // declared
    }
    try {
      RecordFormat.decodePage(garbage);
    } catch (IOException expected) {
      // declared
    }
    try {
      RecordFormat.decodeDelta(garbage, 7);
    } catch (IOException expected) {
      // declared
    }
    try {
      RecordFormat.deltaSeqBase(garbage);
    } catch (IOException expected) {
      // declared
    }
    try {
      RecordFormat.parseEntry(ByteString.copyFrom(garbage));
    } catch (InvalidProtocolBufferException expected) {
      // declared
    }
  }

  @Property(tries = 300)
  void compressedBodiesReadBackAsTheyWere(
      @ForAll @Size(max = 3000) byte[] random, @ForAll @IntRange(min = 0, max = 400) int repeats)
      throws Exception {
    // a body is a PageBody or DeltaRecord, whose encoding starts with its format version 1 (08 01);
    // random bytes that start as a CompressedRecord does (08 02, 1 in 65,536) are not a body
    Assume.that(random.length < 2 || random[0] != 0x08 || random[1] != 0x02);
    byte[] text = "some words that repeat ".repeat(repeats).getBytes(StandardCharsets.UTF_8);
    for (byte[] body : new byte[][] {random, text}) {
      byte[] plain = RecordFormat.compressedOrRaw(body);
      assertThat(RecordFormat.body(plain)).isEqualTo(body);
      if (plain != body) {
        CompressedRecord c = CompressedRecord.parseFrom(plain); // what protobuf reads
        assertThat(c.getFormatVersion()).isEqualTo(2);
        assertThat(c.getCompression()).isEqualTo(Compression.COMPRESSION_LZ4);
        assertThat(c.getRawLength()).isEqualTo(body.length);
        assertThat(plain.length).isLessThan(body.length);
      }
    }
    if (repeats > 20) {
      assertThat(RecordFormat.compressedOrRaw(text)).hasSizeLessThan(text.length / 4);
    }
  }

  @Property(tries = 200)
  void malformedCompressedRecordsFailAsIoErrors(@ForAll @Size(max = 200) byte[] garbage) {
    byte[] plain = new byte[garbage.length + 2];
    plain[0] = 0x08;
    plain[1] = 0x02; // a CompressedRecord, then anything
    System.arraycopy(garbage, 0, plain, 2, garbage.length);
    Throwable thrown = catchThrowable(() -> RecordFormat.body(plain));
    assertThat(thrown)
        .as("only IOException, which the reader reports as a malformed record")
        .satisfiesAnyOf(
            t -> assertThat(t).isNull(), t -> assertThat(t).isInstanceOf(IOException.class));
  }
}
