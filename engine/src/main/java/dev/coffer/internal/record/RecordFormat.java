package dev.coffer.internal.record;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.UnsafeByteOperations;
import com.google.protobuf.WireFormat;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * <b>The one place that decides the framing of a record</b>: the protobuf encodings of {@code
 * proto/src/main/proto/coffer/page.proto}, written and read here field by field without copying
 * (one set of field numbers for every message), so that sealed bytes can be written and opened in
 * place. Every encoding is byte for byte what the generated classes write for the same message
 * (fields in number order, zero scalars omitted), and every decoder accepts what they write; {@code
 * RecordFormatPropertiesTest} checks both against the generated classes.
 *
 * <ul>
 *   <li>{@code SealedPage}, the envelope of every sealed record: {@code 0x08 varint(format)},
 *       {@code 0x10 varint(key version)}, {@code 0x1A varint(nonce length) nonce}, {@code 0x22
 *       varint(n) ciphertext(n - 16) tag(16)}. Envelope format 2 (written): XAES-256-GCM, a 24-byte
 *       nonce ({@link Xaes256Gcm}, {@link NonceSource}). Format 1 (read): AES-256-GCM under the key
 *       itself, a 12-byte nonce.
 *   <li>{@code StoredNode}, the value under a node's key: {@code repeated bytes records = 1}, the
 *       sealed page then the leaf's sealed delta records. A delta record is appended as a {@code
 *       StoredNode} of one record; concatenations of encodings of this message are the encoding of
 *       the message with all their records.
 *   <li>{@code PageBody} (with {@code LeafPage}, {@code InnerPage}, {@code LeafEntry}) and {@code
 *       DeltaRecord}, the plaintexts.
 * </ul>
 *
 * Decoders return null (or throw {@link IOException}) on malformed input and never throw anything
 * else; the caller reports corruption with the record's location. Stateless.
 *
 * <p>Over 400 lines: it is the whole wire format of sealed records in one file, by design.
 */
final class RecordFormat {
  /** Field numbers of {@code SealedPage}. */
  static final class Sealed {
    static final int FORMAT_VERSION = 1;
    static final int KEY_VERSION = 2;
    static final int NONCE = 3;
    static final int CIPHERTEXT = 4;

    private Sealed() {}
  }

  /** Field numbers of {@code StoredNode}. */
  static final class Stored {
    static final int RECORDS = 1;
    static final int DELTAS = 2;

    private Stored() {}
  }

  /** Field numbers of {@code SequencedRecord}. */
  static final class Sequenced {
    static final int SEQ = 1;
    static final int SEALED = 2;

    private Sequenced() {}
  }

  /** Field numbers of {@code CompressedRecord}. */
  static final class Compressed {
    static final int FORMAT_VERSION = 1;
    static final int COMPRESSION = 2;
    static final int RAW_LENGTH = 3;
    static final int BODY = 4;

    private Compressed() {}
  }

  /** Field numbers of {@code PageBody}. */
  static final class Body {
    static final int FORMAT_VERSION = 1;
    static final int LEAF = 2;
    static final int INNER = 3;
    static final int NEXT_NODE_ID = 4;
    static final int HEIGHT = 5;
    static final int DELTA_SEQ_BASE = 6;

    private Body() {}
  }

  /**
   * Field numbers of {@code LeafPage} ({@code next_leaf} and {@code prev_leaf} are never written).
   */
  static final class Leaf {
    static final int ENTRIES = 1;

    private Leaf() {}
  }

  /** Field numbers of {@code InnerPage}. */
  static final class Inner {
    static final int SEPARATORS = 1;
    static final int CHILDREN = 2;

    private Inner() {}
  }

  /** Field numbers of {@code LeafEntry}. */
  static final class LeafEntryFields {
    static final int SORT_KEY = 1;
    static final int ITEM = 2;

    private LeafEntryFields() {}
  }

  /** Field numbers of {@code DeltaRecord}. */
  static final class Delta {
    static final int FORMAT_VERSION = 1;
    static final int PUT = 2;
    static final int DELETE_SORT_KEY = 3;

    private Delta() {}
  }

  /**
   * <b>The envelope format version written</b> (the one place it is decided): 2, XAES-256-GCM with
   * a 24-byte nonce. Envelopes of format 1 (AES-256-GCM under the key itself, a 12-byte nonce) are
   * still read ({@link #nonceBytes}).
   */
  static final int ENVELOPE_VERSION = 2;

  /** The first envelope format: AES-256-GCM under the key itself, read only. */
  static final int ENVELOPE_VERSION_AES_GCM = 1;

  /** The format version of page bodies and delta records. */
  static final int BODY_VERSION = 1;

  /** The format version of a {@code CompressedRecord}, which wraps a compressed body. */
  static final int COMPRESSED_VERSION = 2;

  /** {@code Compression.COMPRESSION_LZ4}. */
  static final int LZ4 = 1;

  /** The nonce length of the envelope format written (24: XAES-256-GCM). */
  static final int NONCE_BYTES = Xaes256Gcm.NONCE_BYTES;

  /** GCM tag length. */
  static final int TAG_BYTES = 16;

  /** The longest nonce field accepted in an envelope of an unknown format. */
  private static final int MAX_NONCE_BYTES = 32;

  /** The largest ciphertext accepted: a 400 KB item plus generous page overhead. */
  static final int MAX_CIPHERTEXT_BYTES = 64 << 20;

  private static final int LEN = WireFormat.WIRETYPE_LENGTH_DELIMITED;
  private static final int VARINT = WireFormat.WIRETYPE_VARINT;
  private static final int FIXED64 = WireFormat.WIRETYPE_FIXED64;

  private RecordFormat() {}

  /** The nonce length of envelope format {@code version}, or -1 when this code cannot read it. */
  static int nonceBytes(int version) {
    return switch (version) {
      case ENVELOPE_VERSION_AES_GCM -> 12;
      case ENVELOPE_VERSION -> Xaes256Gcm.NONCE_BYTES;
      default -> -1;
    };
  }

  static int tag(int field, int wireType) {
    return (field << 3) | wireType;
  }

  // ---------------------------------------------------------------- SealedPage (the envelope)

  /** Where the parts of an envelope sit in the caller's array. Immutable view. */
  static final class Envelope {
    final byte[] bytes;
    final int formatVersion;
    final int keyVersion;
    final int nonceOffset;
    final int nonceLength;
    final int ciphertextOffset;
    final int ciphertextLength;

    Envelope(
        byte[] bytes,
        int formatVersion,
        int keyVersion,
        int nonceOffset,
        int nonceLength,
        int ciphertextOffset,
        int ciphertextLength) {
      this.bytes = bytes;
      this.formatVersion = formatVersion;
      this.keyVersion = keyVersion;
      this.nonceOffset = nonceOffset;
      this.nonceLength = nonceLength;
      this.ciphertextOffset = ciphertextOffset;
      this.ciphertextLength = ciphertextLength;
    }
  }

  /** The number of bytes before the ciphertext of an envelope. */
  static int envelopeHeaderLength(int keyVersion, int ciphertextLength) {
    return CodedOutputStream.computeUInt32Size(Sealed.FORMAT_VERSION, ENVELOPE_VERSION)
        + (keyVersion != 0
            ? CodedOutputStream.computeUInt32Size(Sealed.KEY_VERSION, keyVersion)
            : 0)
        + CodedOutputStream.computeTagSize(Sealed.NONCE)
        + 1
        + NONCE_BYTES
        + CodedOutputStream.computeTagSize(Sealed.CIPHERTEXT)
        + CodedOutputStream.computeUInt32SizeNoTag(ciphertextLength);
  }

  /**
   * Writes an envelope's header at {@code offset}, the nonce's {@value #NONCE_BYTES} bytes left for
   * the caller to fill in; the ciphertext goes right after the header.
   *
   * @return where the nonce goes in {@code out}
   */
  static int writeEnvelopeHeader(
      byte[] out, int offset, int headerLength, int keyVersion, int ciphertextLength) {
    try {
      CodedOutputStream cos = CodedOutputStream.newInstance(out, offset, headerLength);
      cos.writeUInt32(Sealed.FORMAT_VERSION, ENVELOPE_VERSION);
      if (keyVersion != 0) {
        cos.writeUInt32(Sealed.KEY_VERSION, keyVersion); // proto3 leaves a zero out
      }
      cos.writeTag(Sealed.NONCE, LEN);
      cos.writeUInt32NoTag(NONCE_BYTES);
      int nonceOffset = offset + cos.getTotalBytesWritten();
      cos.writeRawBytes(new byte[NONCE_BYTES]);
      cos.writeTag(Sealed.CIPHERTEXT, LEN);
      cos.writeUInt32NoTag(ciphertextLength);
      cos.checkNoSpaceLeft();
      return nonceOffset;
    } catch (IOException e) {
      throw new IllegalStateException("envelope header size miscomputed", e);
    }
  }

  /**
   * Parses the envelope in {@code bytes[offset, offset + length)}.
   *
   * @return the envelope, or null when the bytes are not a well-formed envelope: a nonce that is
   *     not the length its (known) format version says ({@link #nonceBytes}) or longer than 32
   *     bytes, a ciphertext shorter than a tag, longer than the cap or past the end, a missing
   *     format version, nonce or ciphertext. A missing key version is 0 (proto3). Unknown fields
   *     are skipped; an unknown format version is returned for the caller to report.
   */
  static Envelope parseEnvelope(byte[] bytes, int offset, int length) {
    try {
      CodedInputStream in = CodedInputStream.newInstance(bytes, offset, length);
      int format = -1;
      int keyVersion = 0;
      int nonceOffset = -1;
      int nonceLength = -1;
      int ctOffset = -1;
      int ctLength = -1;
      for (int t = in.readTag(); t != 0; t = in.readTag()) {
        if (t == tag(Sealed.FORMAT_VERSION, VARINT)) {
          format = in.readUInt32();
        } else if (t == tag(Sealed.KEY_VERSION, VARINT)) {
          keyVersion = in.readUInt32();
        } else if (t == tag(Sealed.NONCE, LEN)) {
          nonceLength = in.readRawVarint32();
          if (nonceLength < 0
              || nonceLength > MAX_NONCE_BYTES
              || nonceLength > length - in.getTotalBytesRead()) {
            return null;
          }
          nonceOffset = offset + in.getTotalBytesRead();
          in.skipRawBytes(nonceLength);
        } else if (t == tag(Sealed.CIPHERTEXT, LEN)) {
          int n = in.readRawVarint32();
          if (n < TAG_BYTES || n > MAX_CIPHERTEXT_BYTES || n > length - in.getTotalBytesRead()) {
            return null;
          }
          ctOffset = offset + in.getTotalBytesRead();
          ctLength = n;
          in.skipRawBytes(n);
        } else if (!in.skipField(t)) {
          break;
        }
      }
      if (format < 0
          || keyVersion < 0
          || nonceOffset < 0
          || ctOffset < 0) { // a key version past 2^31
        return null;
      }
      if (nonceBytes(format) >= 0 && nonceLength != nonceBytes(format)) {
        return null;
      }
      return new Envelope(bytes, format, keyVersion, nonceOffset, nonceLength, ctOffset, ctLength);
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  // ---------------------------------------------------------------- StoredNode (a node's value)

  /** The bytes of the field header that frames one record of {@code recordLength} bytes. */
  static int recordPrefixLength(int recordLength) {
    return CodedOutputStream.computeTagSize(Stored.RECORDS)
        + CodedOutputStream.computeUInt32SizeNoTag(recordLength);
  }

  /** Writes the field header of one record at {@code offset}; returns where the record goes. */
  static int writeRecordPrefix(byte[] out, int offset, int recordLength) {
    int prefix = recordPrefixLength(recordLength);
    try {
      CodedOutputStream cos = CodedOutputStream.newInstance(out, offset, prefix);
      cos.writeTag(Stored.RECORDS, LEN);
      cos.writeUInt32NoTag(recordLength);
      cos.checkNoSpaceLeft();
    } catch (IOException e) {
      throw new IllegalStateException("record prefix size miscomputed", e);
    }
    return offset + prefix;
  }

  /**
   * One record of a stored node, to write back: its sealed bytes and, for a delta record, its
   * number.
   */
  record StoredRecordBytes(byte[] sealed, boolean sequenced, long seq) {}

  /**
   * The encoding of a {@code StoredNode} holding {@code records} in order: the page, then delta
   * records, each framed as it was read (with its number, or numbered by its place).
   */
  static byte[] storedNode(List<StoredRecordBytes> records) {
    int size = 0;
    for (StoredRecordBytes r : records) {
      size +=
          r.sequenced()
              ? sequencedFrameLength(r.seq(), r.sealed().length) + r.sealed().length
              : recordPrefixLength(r.sealed().length) + r.sealed().length;
    }
    byte[] out = new byte[size];
    int at = 0;
    for (StoredRecordBytes r : records) {
      byte[] b = r.sealed();
      at =
          r.sequenced()
              ? writeSequencedPrefix(out, at, r.seq(), b.length)
              : writeRecordPrefix(out, at, b.length);
      System.arraycopy(b, 0, out, at, b.length);
      at += b.length;
    }
    return out;
  }

  /**
   * The bytes before the sealed record of a {@code StoredNode} holding one {@code SequencedRecord}.
   */
  static int sequencedFrameLength(long seq, int sealedLength) {
    int inner = sequencedInnerPrefix(seq, sealedLength) + sealedLength;
    return CodedOutputStream.computeTagSize(Stored.DELTAS)
        + CodedOutputStream.computeUInt32SizeNoTag(inner)
        + inner
        - sealedLength;
  }

  private static int sequencedInnerPrefix(long seq, int sealedLength) {
    return (seq != 0 ? CodedOutputStream.computeUInt64Size(Sequenced.SEQ, seq) : 0)
        + CodedOutputStream.computeTagSize(Sequenced.SEALED)
        + CodedOutputStream.computeUInt32SizeNoTag(sealedLength);
  }

  /**
   * Writes, at {@code offset}, the framing of a {@code StoredNode} holding one {@code
   * SequencedRecord} numbered {@code seq}; returns where its sealed record of {@code sealedLength}
   * bytes goes.
   */
  static int writeSequencedPrefix(byte[] out, int offset, long seq, int sealedLength) {
    int prefix = sequencedFrameLength(seq, sealedLength);
    try {
      CodedOutputStream cos = CodedOutputStream.newInstance(out, offset, prefix);
      cos.writeTag(Stored.DELTAS, LEN);
      cos.writeUInt32NoTag(sequencedInnerPrefix(seq, sealedLength) + sealedLength);
      if (seq != 0) {
        cos.writeUInt64(Sequenced.SEQ, seq); // proto3 leaves a zero out
      }
      cos.writeTag(Sequenced.SEALED, LEN);
      cos.writeUInt32NoTag(sealedLength);
      cos.checkNoSpaceLeft();
    } catch (IOException e) {
      throw new IllegalStateException("sequenced record prefix size miscomputed", e);
    }
    return offset + prefix;
  }

  /**
   * Where the records of a {@code StoredNode} value sit, the page first, and the numbers of the
   * delta records that carry one. Nothing is copied.
   */
  static final class Spans {
    private int count;
    private int[] offsets = new int[4];
    private int[] lengths = new int[4];
    private long[] seqs = new long[4];
    private boolean[] sequenced = new boolean[4];

    /** The number of records (the page and its delta records). */
    int count() {
      return count;
    }

    int offset(int i) {
      return offsets[i];
    }

    int length(int i) {
      return lengths[i];
    }

    /**
     * Whether record {@code i} carries its number ({@link #seq}); else it is numbered by its place.
     */
    boolean sequenced(int i) {
      return sequenced[i];
    }

    long seq(int i) {
      return seqs[i];
    }

    private void add(int offset, int length, boolean isSequenced, long seq) {
      if (count == offsets.length) {
        offsets = Arrays.copyOf(offsets, 2 * count);
        lengths = Arrays.copyOf(lengths, 2 * count);
        seqs = Arrays.copyOf(seqs, 2 * count);
        sequenced = Arrays.copyOf(sequenced, 2 * count);
      }
      offsets[count] = offset;
      lengths[count] = length;
      seqs[count] = seq;
      sequenced[count] = isSequenced;
      count++;
    }
  }

  /**
   * Parses a {@code StoredNode} value: the page (a {@code records} entry), then delta records
   * numbered by their place ({@code records}, store format 2) and delta records that carry their
   * number ({@code deltas}), in the order they appear.
   *
   * @throws IOException when the value is not a well-formed {@code StoredNode} of at least one
   *     record: another field, a length past the end, a {@code SequencedRecord} without its sealed
   *     record, a delta record numbered by its place after one that carries its number, or one that
   *     carries its number before the page
   */
  static Spans records(byte[] value) throws IOException {
    CodedInputStream in = CodedInputStream.newInstance(value);
    Spans spans = new Spans();
    try {
      for (int t = in.readTag(); t != 0; t = in.readTag()) {
        int length = in.readRawVarint32();
        if (length < 0 || length > value.length - in.getTotalBytesRead()) {
          throw new IOException("a record runs past the end of its stored node");
        }
        int start = in.getTotalBytesRead();
        if (t == tag(Stored.RECORDS, LEN)) {
          if (spans.count > 0 && spans.sequenced[spans.count - 1]) {
            throw new IOException(
                "a delta record numbered by its place after one that carries its number");
          }
          spans.add(start, length, false, 0);
          in.skipRawBytes(length);
        } else if (t == tag(Stored.DELTAS, LEN)) {
          if (spans.count == 0) {
            throw new IOException("a delta record before the page");
          }
          readSequenced(in, length, spans);
        } else {
          throw new IOException("unexpected field tag " + t + " in a stored node");
        }
      }
    } catch (InvalidProtocolBufferException e) {
      throw new IOException(e.getMessage(), e);
    }
    if (spans.count == 0) {
      throw new IOException("a stored node without records");
    }
    return spans;
  }

  private static void readSequenced(CodedInputStream in, int length, Spans spans)
      throws IOException {
    int limit = in.pushLimit(length);
    long seq = 0;
    int sealedOffset = -1;
    int sealedLength = 0;
    for (int t = in.readTag(); t != 0; t = in.readTag()) {
      if (t == tag(Sequenced.SEQ, VARINT)) {
        seq = in.readUInt64();
      } else if (t == tag(Sequenced.SEALED, LEN)) {
        sealedLength = in.readRawVarint32();
        if (sealedLength < 0 || sealedLength > in.getBytesUntilLimit()) {
          throw new IOException("a sequenced record runs past its frame");
        }
        sealedOffset = in.getTotalBytesRead();
        in.skipRawBytes(sealedLength);
      } else if (!in.skipField(t)) {
        break;
      }
    }
    in.popLimit(limit);
    if (sealedOffset < 0) {
      throw new IOException("a sequenced record without its sealed record");
    }
    spans.add(sealedOffset, sealedLength, true, seq);
  }

  // ---------------------------------------------------------------- PageBody

  /**
   * The encoded {@code PageBody} of {@code page}. Leaf entries are copied as they are (their {@code
   * LeafEntry} encodings), not re-encoded.
   */
  static byte[] encodePage(PageContent page) {
    long next = page.nextNodeId();
    int height = page.height();
    long base = page.deltaSeqBase();
    int kindField;
    int kindSize = 0;
    if (page.isLeaf()) {
      kindField = Body.LEAF;
      for (Entry e : page.entries()) {
        kindSize += CodedOutputStream.computeBytesSize(Leaf.ENTRIES, e.encoded());
      }
    } else {
      kindField = Body.INNER;
      for (ByteString s : page.separators()) {
        kindSize += CodedOutputStream.computeBytesSize(Inner.SEPARATORS, s);
      }
      kindSize += childrenFieldSize(page.children().size());
    }
    int size =
        CodedOutputStream.computeUInt32Size(Body.FORMAT_VERSION, BODY_VERSION)
            + CodedOutputStream.computeTagSize(kindField)
            + CodedOutputStream.computeUInt32SizeNoTag(kindSize)
            + kindSize
            + (next != 0 ? CodedOutputStream.computeFixed64Size(Body.NEXT_NODE_ID, next) : 0)
            + (height != 0 ? CodedOutputStream.computeUInt32Size(Body.HEIGHT, height) : 0)
            + (base != 0 ? CodedOutputStream.computeUInt64Size(Body.DELTA_SEQ_BASE, base) : 0);
    byte[] out = new byte[size];
    try {
      CodedOutputStream cos = CodedOutputStream.newInstance(out);
      cos.writeUInt32(Body.FORMAT_VERSION, BODY_VERSION);
      cos.writeTag(kindField, LEN);
      cos.writeUInt32NoTag(kindSize);
      if (page.isLeaf()) {
        for (Entry e : page.entries()) {
          cos.writeBytes(Leaf.ENTRIES, e.encoded());
        }
      } else {
        for (ByteString s : page.separators()) {
          cos.writeBytes(Inner.SEPARATORS, s);
        }
        List<Long> children = page.children();
        if (!children.isEmpty()) {
          cos.writeTag(Inner.CHILDREN, LEN); // packed, as proto3 writes repeated fixed64
          cos.writeUInt32NoTag(8 * children.size());
          for (long c : children) {
            cos.writeFixed64NoTag(c);
          }
        }
      }
      if (next != 0) {
        cos.writeFixed64(Body.NEXT_NODE_ID, next);
      }
      if (height != 0) {
        cos.writeUInt32(Body.HEIGHT, height);
      }
      if (base != 0) {
        cos.writeUInt64(Body.DELTA_SEQ_BASE, base);
      }
      cos.checkNoSpaceLeft();
    } catch (IOException e) {
      throw new IllegalStateException("page body size miscomputed", e);
    }
    return out;
  }

  private static int childrenFieldSize(int children) {
    return children == 0
        ? 0
        : CodedOutputStream.computeTagSize(Inner.CHILDREN)
            + CodedOutputStream.computeUInt32SizeNoTag(8 * children)
            + 8 * children;
  }

  /** A decoded page body: a leaf's entries or an inner node's separators and children. */
  static final class DecodedPage {
    boolean leaf;
    List<Entry> entries;
    List<ByteString> separators;
    List<Long> children;
    long nextNodeId;
    int height;
    long deltaSeqBase;
  }

  /**
   * Decodes a {@code PageBody} without copying: leaf entries become {@link Entry} slices of {@code
   * plain}, their items are not decoded.
   *
   * @return the page, or null when its format version is unknown or it is neither leaf nor inner
   * @throws IOException when the bytes are malformed
   */
  static DecodedPage decodePage(byte[] plain) throws IOException {
    CodedInputStream in = aliasing(plain);
    int format = 0;
    DecodedPage page = new DecodedPage();
    boolean kind = false;
    try {
      for (int t = in.readTag(); t != 0; t = in.readTag()) {
        if (t == tag(Body.FORMAT_VERSION, VARINT)) {
          format = in.readUInt32();
        } else if (t == tag(Body.LEAF, LEN)) {
          page.leaf = true;
          page.entries = leafEntries(in.readBytes());
          kind = true;
        } else if (t == tag(Body.INNER, LEN)) {
          page.leaf = false;
          decodeInner(in.readBytes(), page);
          kind = true;
        } else if (t == tag(Body.NEXT_NODE_ID, FIXED64)) {
          page.nextNodeId = in.readFixed64();
        } else if (t == tag(Body.HEIGHT, VARINT)) {
          page.height = in.readUInt32();
        } else if (t == tag(Body.DELTA_SEQ_BASE, VARINT)) {
          page.deltaSeqBase = in.readUInt64();
        } else if (!in.skipField(t)) {
          break;
        }
      }
    } catch (IOException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new IOException(e.getMessage(), e);
    }
    if (format != BODY_VERSION || !kind) {
      return null;
    }
    if (page.leaf) {
      page.separators = List.of();
      page.children = List.of();
    } else {
      page.entries = List.of();
    }
    return page;
  }

  /** The {@code delta_seq_base} of an encoded {@code PageBody} (0 when absent). */
  static long deltaSeqBase(byte[] plain) throws IOException {
    CodedInputStream in = CodedInputStream.newInstance(plain);
    long base = 0;
    for (int t = in.readTag(); t != 0; t = in.readTag()) {
      if (t == tag(Body.DELTA_SEQ_BASE, VARINT)) {
        base = in.readUInt64();
      } else if (!in.skipField(t)) {
        break;
      }
    }
    return base;
  }

  private static List<Entry> leafEntries(ByteString leaf) throws IOException {
    CodedInputStream in = leaf.newCodedInput();
    in.enableAliasing(true);
    List<Entry> entries = new ArrayList<>();
    for (int t = in.readTag(); t != 0; t = in.readTag()) {
      if (t == tag(Leaf.ENTRIES, LEN)) {
        entries.add(parseEntry(in.readBytes()));
      } else if (!in.skipField(t)) {
        break;
      }
    }
    return entries;
  }

  private static void decodeInner(ByteString inner, DecodedPage page) throws IOException {
    CodedInputStream in = inner.newCodedInput();
    in.enableAliasing(true);
    List<ByteString> separators = new ArrayList<>();
    List<Long> children = new ArrayList<>();
    for (int t = in.readTag(); t != 0; t = in.readTag()) {
      if (t == tag(Inner.SEPARATORS, LEN)) {
        separators.add(in.readBytes());
      } else if (t == tag(Inner.CHILDREN, LEN)) {
        int limit = in.pushLimit(in.readRawVarint32());
        while (in.getBytesUntilLimit() > 0) {
          children.add(in.readFixed64());
        }
        in.popLimit(limit);
      } else if (t == tag(Inner.CHILDREN, FIXED64)) {
        children.add(in.readFixed64());
      } else if (!in.skipField(t)) {
        break;
      }
    }
    page.separators = separators;
    page.children = children;
  }

  // ---------------------------------------------------------------- LeafEntry

  /**
   * An entry from its {@code LeafEntry} encoding (kept, not copied). Only the sort key is read; the
   * item is checked to be a well-delimited field, and decoded on demand.
   *
   * @throws InvalidProtocolBufferException when the bytes are not a well-formed entry
   */
  static Entry parseEntry(ByteString encoded) throws InvalidProtocolBufferException {
    try {
      CodedInputStream in = encoded.newCodedInput();
      in.enableAliasing(true);
      ByteString sortKey = ByteString.EMPTY;
      boolean item = false;
      for (int t = in.readTag(); t != 0; t = in.readTag()) {
        if (t == tag(LeafEntryFields.SORT_KEY, LEN)) {
          sortKey = in.readBytes();
        } else if (t == tag(LeafEntryFields.ITEM, LEN)) {
          in.skipRawBytes(in.readRawVarint32());
          item = true;
        } else if (!in.skipField(t)) {
          break;
        }
      }
      if (!item) {
        throw new InvalidProtocolBufferException("a leaf entry without an item");
      }
      return new Entry(sortKey, encoded);
    } catch (InvalidProtocolBufferException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      throw new InvalidProtocolBufferException(e.getMessage());
    }
  }

  // ---------------------------------------------------------------- CompressedRecord

  /**
   * The most an LZ4 block expands: a 3-byte match gives at most 19 bytes, and every further length
   * byte at most 255, so no valid block of n bytes decompresses to more than 255 n.
   */
  static final long MAX_LZ4_EXPANSION = 255;

  /** Bodies shorter than this are sealed as they are: too little to win back the framing. */
  static final int MIN_COMPRESSIBLE_BYTES = 128;

  /**
   * The plaintext to seal for the encoded body {@code raw} (a {@code PageBody} or {@code
   * DeltaRecord}): a {@code CompressedRecord} of its LZ4 compression when that saves at least an
   * eighth, else {@code raw} itself.
   */
  static byte[] compressedOrRaw(byte[] raw) {
    if (raw.length < MIN_COMPRESSIBLE_BYTES) {
      return raw;
    }
    Lz4.Compressed c = Lz4.compress(raw);
    int header =
        CodedOutputStream.computeUInt32Size(Compressed.FORMAT_VERSION, COMPRESSED_VERSION)
            + CodedOutputStream.computeEnumSize(Compressed.COMPRESSION, LZ4)
            + CodedOutputStream.computeUInt32Size(Compressed.RAW_LENGTH, raw.length)
            + CodedOutputStream.computeTagSize(Compressed.BODY)
            + CodedOutputStream.computeUInt32SizeNoTag(c.length());
    if (header + c.length() > raw.length - raw.length / 8) {
      return raw;
    }
    byte[] out = new byte[header + c.length()];
    try {
      CodedOutputStream cos = CodedOutputStream.newInstance(out);
      cos.writeUInt32(Compressed.FORMAT_VERSION, COMPRESSED_VERSION);
      cos.writeEnum(Compressed.COMPRESSION, LZ4);
      cos.writeUInt32(Compressed.RAW_LENGTH, raw.length);
      cos.writeByteArray(Compressed.BODY, c.bytes(), 0, c.length());
      cos.checkNoSpaceLeft();
    } catch (IOException e) {
      throw new IllegalStateException("compressed record size miscomputed", e);
    }
    return out;
  }

  /**
   * The encoded body inside an opened plaintext: the plaintext itself (a {@code PageBody} or {@code
   * DeltaRecord}, format version 1), or the decompressed body of a {@code CompressedRecord} (format
   * version 2).
   *
   * @throws IOException when a {@code CompressedRecord} is malformed, names an unknown compression,
   *     or does not decompress to its stated length
   */
  static byte[] body(byte[] plain) throws IOException {
    if (plain.length < 2
        || plain[0] != tag(Compressed.FORMAT_VERSION, VARINT)
        || plain[1] != COMPRESSED_VERSION) {
      return plain; // a body as it is (format version 1 is the byte 0x01 here)
    }
    CodedInputStream in = CodedInputStream.newInstance(plain);
    int compression = -1;
    int rawLength = -1;
    int bodyOffset = -1;
    int bodyLength = -1;
    try {
      for (int t = in.readTag(); t != 0; t = in.readTag()) {
        if (t == tag(Compressed.FORMAT_VERSION, VARINT)) {
          in.readUInt32();
        } else if (t == tag(Compressed.COMPRESSION, VARINT)) {
          compression = in.readEnum();
        } else if (t == tag(Compressed.RAW_LENGTH, VARINT)) {
          rawLength = in.readUInt32();
        } else if (t == tag(Compressed.BODY, LEN)) {
          bodyLength = in.readRawVarint32();
          bodyOffset = in.getTotalBytesRead();
          in.skipRawBytes(bodyLength);
        } else if (!in.skipField(t)) {
          break;
        }
      }
    } catch (RuntimeException e) {
      throw new IOException(e.getMessage(), e);
    }
    if (compression != LZ4) {
      throw new IOException("unknown compression " + compression);
    }
    if (rawLength < 0 || rawLength > MAX_CIPHERTEXT_BYTES || bodyOffset < 0) {
      throw new IOException("a compressed record without a valid length or body");
    }
    if (rawLength > MAX_LZ4_EXPANSION * bodyLength) { // refused before its length is allocated
      throw new IOException(
          "a compressed body of " + bodyLength + " bytes claims " + rawLength + " bytes");
    }
    return Lz4.decompress(plain, bodyOffset, bodyLength, rawLength);
  }

  // ---------------------------------------------------------------- DeltaRecord

  /** The encoded {@code DeltaRecord} that puts {@code entry}. */
  static byte[] encodeDeltaPut(Entry entry) {
    return encodeDelta(Delta.PUT, entry.encoded());
  }

  /** The encoded {@code DeltaRecord} that deletes the entry with {@code sortKey}. */
  static byte[] encodeDeltaDelete(ByteString sortKey) {
    return encodeDelta(Delta.DELETE_SORT_KEY, sortKey);
  }

  private static byte[] encodeDelta(int field, ByteString bytes) {
    byte[] out =
        new byte
            [CodedOutputStream.computeUInt32Size(Delta.FORMAT_VERSION, BODY_VERSION)
                + CodedOutputStream.computeBytesSize(field, bytes)];
    try {
      CodedOutputStream cos = CodedOutputStream.newInstance(out);
      cos.writeUInt32(Delta.FORMAT_VERSION, BODY_VERSION);
      cos.writeBytes(field, bytes);
      cos.checkNoSpaceLeft();
    } catch (IOException e) {
      throw new IllegalStateException("delta record size miscomputed", e);
    }
    return out;
  }

  /**
   * Decodes a {@code DeltaRecord} (numbered {@code seq}) without decoding the item it puts.
   *
   * @return the change, or null when its format version is unknown or it holds no change
   * @throws IOException when the bytes are malformed
   */
  static DeltaChange decodeDelta(byte[] plain, long seq) throws IOException {
    CodedInputStream in = aliasing(plain);
    int format = 0;
    Entry put = null;
    ByteString delete = null;
    try {
      for (int t = in.readTag(); t != 0; t = in.readTag()) {
        if (t == tag(Delta.FORMAT_VERSION, VARINT)) {
          format = in.readUInt32();
        } else if (t == tag(Delta.PUT, LEN)) {
          put = parseEntry(in.readBytes());
          delete = null;
        } else if (t == tag(Delta.DELETE_SORT_KEY, LEN)) {
          delete = in.readBytes();
          put = null;
        } else if (!in.skipField(t)) {
          break;
        }
      }
    } catch (RuntimeException e) {
      throw new IOException(e.getMessage(), e);
    }
    if (format != BODY_VERSION || (put == null && delete == null)) {
      return null;
    }
    return new DeltaChange(seq, put, delete);
  }

  /**
   * A stream over {@code plain} whose length-delimited fields are views of it, not copies. The
   * caller hands the array over and never changes it afterwards (a decrypted or decompressed body,
   * or one that is wiped only once nothing decoded from it is used). Protobuf aliases only buffers
   * it knows to be immutable: over {@code CodedInputStream.newInstance(byte[])}, {@code
   * enableAliasing} does nothing and every {@code readBytes} copies (a leaf's whole body, ~4 KiB,
   * once more per page opened), so the array is wrapped as a {@code ByteString} first.
   */
  private static CodedInputStream aliasing(byte[] plain) {
    CodedInputStream in = UnsafeByteOperations.unsafeWrap(plain).newCodedInput();
    in.enableAliasing(true);
    return in;
  }
}
