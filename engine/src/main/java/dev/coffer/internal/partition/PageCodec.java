package dev.coffer.internal.partition;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.WireFormat;
import dev.coffer.CorruptionException;
import dev.coffer.internal.catalog.TableContext;
import dev.coffer.internal.page.AssociatedData;
import dev.coffer.internal.page.PageCipher;
import dev.coffer.internal.page.RecordKind;
import dev.coffer.proto.DeltaRecord;
import dev.coffer.proto.InnerPage;
import dev.coffer.proto.PageBody;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Seals and opens a table's pages and delta records: protobuf body, AES-256-GCM under the page
 * key of the table's primary data-key version, associated data binding store, table, partition,
 * node and (for deltas) sequence number. Bodies are read without copying: leaf entries stay
 * encoded slices of the decrypted buffer ({@link Entry}) and items are decoded only on demand.
 * Stateless and thread-safe.
 */
final class PageCodec {
  private static final int BODY_FORMAT = 1;

  private static final int TAG_FORMAT = (1 << 3) | WireFormat.WIRETYPE_VARINT;
  private static final int TAG_LEAF = (2 << 3) | WireFormat.WIRETYPE_LENGTH_DELIMITED;
  private static final int TAG_INNER = (3 << 3) | WireFormat.WIRETYPE_LENGTH_DELIMITED;
  private static final int TAG_NEXT_NODE_ID = (4 << 3) | WireFormat.WIRETYPE_FIXED64;
  private static final int TAG_HEIGHT = (5 << 3) | WireFormat.WIRETYPE_VARINT;
  private static final int TAG_DELTA_SEQ_BASE = (6 << 3) | WireFormat.WIRETYPE_VARINT;
  private static final int TAG_LEAF_ENTRY = (1 << 3) | WireFormat.WIRETYPE_LENGTH_DELIMITED;
  private static final int TAG_DELTA_PUT = (2 << 3) | WireFormat.WIRETYPE_LENGTH_DELIMITED;
  private static final int TAG_DELTA_DELETE = (3 << 3) | WireFormat.WIRETYPE_LENGTH_DELIMITED;

  private PageCodec() {}

  /** One opened delta record: an entry to put, or the sort key of an entry to delete. */
  record Delta(Entry put, ByteString deleteSortKey) {}

  static byte[] sealPage(TableContext t, byte[] token, long nodeId, PageBody body) {
    return sealPage(t, token, nodeId, body.toByteArray());
  }

  /** Seals an encoded {@code PageBody} ({@link Node#encode}). */
  static byte[] sealPage(TableContext t, byte[] token, long nodeId, byte[] body) {
    int version = t.countSeal();
    byte[] ad = AssociatedData.of(RecordKind.PAGE, version, t.storeId(), t.tableId(), token, nodeId, 0);
    return PageCipher.seal(t.keys().pageKey(version), version, ad, body);
  }

  static byte[] sealDelta(TableContext t, byte[] token, long nodeId, long seq, DeltaRecord delta) {
    return sealDelta(t, token, nodeId, seq, delta.toByteArray());
  }

  /** Seals the delta record that puts {@code entry}. */
  static byte[] sealDeltaPut(TableContext t, byte[] token, long nodeId, long seq, Entry entry) {
    byte[] body = new byte[CodedOutputStream.computeUInt32Size(1, BODY_FORMAT) + entry.fieldSize(2)];
    try {
      CodedOutputStream cos = CodedOutputStream.newInstance(body);
      cos.writeUInt32(1, BODY_FORMAT);
      cos.writeBytes(2, entry.encoded());
      cos.checkNoSpaceLeft();
    } catch (IOException e) {
      throw new IllegalStateException("delta record size miscomputed", e);
    }
    return sealDelta(t, token, nodeId, seq, body);
  }

  private static byte[] sealDelta(TableContext t, byte[] token, long nodeId, long seq, byte[] body) {
    int version = t.countSeal();
    byte[] ad = AssociatedData.of(RecordKind.DELTA, version, t.storeId(), t.tableId(), token, nodeId, seq);
    return PageCipher.seal(t.keys().pageKey(version), version, ad, body);
  }

  static PageBody openPage(TableContext t, byte[] token, long nodeId, byte[] sealed) {
    String where = PageLocation.page(token, nodeId);
    byte[] plain = openPagePlaintext(t, token, nodeId, sealed);
    try {
      PageBody body = PageBody.parseFrom(aliasing(plain));
      if (body.getFormatVersion() != BODY_FORMAT || (!body.hasLeaf() && !body.hasInner())) {
        throw new CorruptionException("A page has an unknown body format", t.name(), where);
      }
      return body;
    } catch (java.io.IOException e) {
      throw new CorruptionException("A page body is malformed", t.name(), where, e);
    }
  }

  private static byte[] openPagePlaintext(TableContext t, byte[] token, long nodeId, byte[] sealed) {
    return PageCipher.open(sealed, t.keys()::pageKey,
        v -> AssociatedData.of(RecordKind.PAGE, v, t.storeId(), t.tableId(), token, nodeId, 0), t.name(),
        () -> PageLocation.page(token, nodeId));
  }

  /**
   * Opens a page into a node (before its delta records are applied). Reads the {@code PageBody}
   * field by field: leaf entries become {@link Entry} slices of the plaintext, their items are not
   * decoded.
   */
  static Node openNode(TableContext t, byte[] token, long nodeId, byte[] sealed) {
    byte[] plain = openPagePlaintext(t, token, nodeId, sealed);
    try {
      CodedInputStream in = aliasing(plain);
      int format = 0;
      long nextNodeId = 0;
      int height = 0;
      long base = 0;
      List<Entry> entries = null;
      InnerPage inner = null;
      while (true) {
        int tag = in.readTag();
        if (tag == 0) {
          break;
        } else if (tag == TAG_FORMAT) {
          format = in.readUInt32();
        } else if (tag == TAG_LEAF) {
          entries = leafEntries(in.readBytes());
          inner = null;
        } else if (tag == TAG_INNER) {
          inner = InnerPage.parseFrom(in.readBytes());
          entries = null;
        } else if (tag == TAG_NEXT_NODE_ID) {
          nextNodeId = in.readFixed64();
        } else if (tag == TAG_HEIGHT) {
          height = in.readUInt32();
        } else if (tag == TAG_DELTA_SEQ_BASE) {
          base = in.readUInt64();
        } else if (!in.skipField(tag)) {
          break;
        }
      }
      if (format != BODY_FORMAT || (entries == null && inner == null)) {
        throw new CorruptionException("A page has an unknown body format", t.name(), PageLocation.page(token, nodeId));
      }
      return inner != null
          ? Node.inner(inner.getSeparatorsList(), inner.getChildrenList(), nextNodeId, height, base)
          : Node.leaf(entries, nextNodeId, height, base, 0);
    } catch (IOException | IllegalArgumentException e) {
      throw new CorruptionException("A page body is malformed", t.name(), PageLocation.page(token, nodeId), e);
    }
  }

  private static List<Entry> leafEntries(ByteString leaf) throws IOException {
    CodedInputStream in = leaf.newCodedInput();
    in.enableAliasing(true);
    List<Entry> entries = new ArrayList<>();
    while (true) {
      int tag = in.readTag();
      if (tag == 0) {
        return entries;
      } else if (tag == TAG_LEAF_ENTRY) {
        entries.add(Entry.parse(in.readBytes()));
      } else if (!in.skipField(tag)) {
        return entries;
      }
    }
  }

  private static byte[] openDeltaPlaintext(TableContext t, byte[] token, long nodeId, long seq, byte[] sealed) {
    return PageCipher.open(sealed, t.keys()::pageKey,
        v -> AssociatedData.of(RecordKind.DELTA, v, t.storeId(), t.tableId(), token, nodeId, seq), t.name(),
        () -> PageLocation.delta(token, nodeId, seq));
  }

  /** Opens a delta record without decoding the item it puts. */
  static Delta openDeltaChange(TableContext t, byte[] token, long nodeId, long seq, byte[] sealed) {
    byte[] plain = openDeltaPlaintext(t, token, nodeId, seq, sealed);
    try {
      CodedInputStream in = aliasing(plain);
      int format = 0;
      Entry put = null;
      ByteString delete = null;
      while (true) {
        int tag = in.readTag();
        if (tag == 0) {
          break;
        } else if (tag == TAG_FORMAT) {
          format = in.readUInt32();
        } else if (tag == TAG_DELTA_PUT) {
          put = Entry.parse(in.readBytes());
          delete = null;
        } else if (tag == TAG_DELTA_DELETE) {
          delete = in.readBytes();
          put = null;
        } else if (!in.skipField(tag)) {
          break;
        }
      }
      if (format != BODY_FORMAT || (put == null && delete == null)) {
        throw new CorruptionException("A delta record has an unknown format", t.name(),
            PageLocation.delta(token, nodeId, seq));
      }
      return new Delta(put, delete);
    } catch (IOException e) {
      throw new CorruptionException("A delta record is malformed", t.name(), PageLocation.delta(token, nodeId, seq), e);
    }
  }

  private static CodedInputStream aliasing(byte[] plain) {
    CodedInputStream in = CodedInputStream.newInstance(plain);
    in.enableAliasing(true);
    return in;
  }
}
