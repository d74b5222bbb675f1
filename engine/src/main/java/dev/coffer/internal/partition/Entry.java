package dev.coffer.internal.partition;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.WireFormat;
import dev.coffer.CorruptionException;
import dev.coffer.proto.LeafEntry;
import java.io.IOException;

/**
 * One leaf entry kept in its encoded form: the bytes of a {@code coffer.v1.LeafEntry} (as read
 * from a decrypted page, aliased, or as encoded once when the item was written) and its sort key.
 * Rewriting a leaf concatenates these bytes instead of re-encoding every item, and reading a leaf
 * decodes only the items a caller asks for ({@link #item()}). Immutable.
 */
public final class Entry {
  private static final int TAG_SORT_KEY = (1 << 3) | WireFormat.WIRETYPE_LENGTH_DELIMITED;
  private static final int TAG_ITEM = (2 << 3) | WireFormat.WIRETYPE_LENGTH_DELIMITED;

  private final ByteString sortKey;
  private final ByteString encoded;

  private Entry(ByteString sortKey, ByteString encoded) {
    this.sortKey = sortKey;
    this.encoded = encoded;
  }

  /** The entry of an item to write (encodes it once). */
  public static Entry of(LeafEntry entry) {
    return new Entry(entry.getSortKey(), entry.toByteString());
  }

  /**
   * An entry from its {@code LeafEntry} encoding (kept, not copied). Only the sort key is read;
   * the item is checked to be a well-delimited field, and decoded on demand.
   *
   * @throws InvalidProtocolBufferException when the bytes are not a well-formed entry
   */
  static Entry parse(ByteString encoded) throws InvalidProtocolBufferException {
    try {
      CodedInputStream in = encoded.newCodedInput();
      in.enableAliasing(true);
      ByteString sortKey = ByteString.EMPTY;
      boolean item = false;
      while (true) {
        int tag = in.readTag();
        if (tag == 0) {
          break;
        } else if (tag == TAG_SORT_KEY) {
          sortKey = in.readBytes();
        } else if (tag == TAG_ITEM) {
          in.skipRawBytes(in.readRawVarint32());
          item = true;
        } else if (!in.skipField(tag)) {
          break;
        }
      }
      if (!item) {
        throw new InvalidProtocolBufferException("a leaf entry without an item");
      }
      return new Entry(sortKey, encoded);
    } catch (InvalidProtocolBufferException e) {
      throw e;
    } catch (IOException e) {
      throw new InvalidProtocolBufferException(e);
    }
  }

  /** The encoded sort key (empty for tables without a sort key). */
  public ByteString sortKey() {
    return sortKey;
  }

  /** The {@code LeafEntry} encoding. */
  public ByteString encoded() {
    return encoded;
  }

  /** The length of {@link #encoded()}: the entry's serialized size. */
  public int encodedSize() {
    return encoded.size();
  }

  /** The bytes this entry takes as element of a repeated field: tag, length and encoding. */
  int fieldSize(int fieldNumber) {
    return CodedOutputStream.computeBytesSize(fieldNumber, encoded);
  }

  /** Decodes the item (aliasing the entry's bytes). */
  public dev.coffer.proto.Item item() {
    return toProto().getItem();
  }

  /** Decodes the whole entry. */
  public LeafEntry toProto() {
    try {
      CodedInputStream in = encoded.newCodedInput();
      in.enableAliasing(true);
      return LeafEntry.parseFrom(in);
    } catch (IOException e) {
      throw new CorruptionException("A stored item is malformed", null, null, e);
    }
  }
}
