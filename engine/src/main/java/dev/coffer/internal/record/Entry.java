package dev.coffer.internal.record;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import dev.coffer.CorruptionException;
import dev.coffer.proto.Item;
import dev.coffer.proto.LeafEntry;
import java.io.IOException;

/**
 * One leaf entry kept in its encoded form: the bytes of a {@code coffer.v1.LeafEntry} (as read from
 * a decrypted page, aliased, or as encoded once when the item was written) and its sort key.
 * Rewriting a leaf concatenates these bytes instead of re-encoding every item, and reading a leaf
 * decodes only the items a caller asks for ({@link #item()}). Immutable.
 */
public final class Entry {
  private final ByteString sortKey;
  private final ByteString encoded;

  Entry(ByteString sortKey, ByteString encoded) {
    this.sortKey = sortKey;
    this.encoded = encoded;
  }

  /** The entry of an item to write (encodes it once). */
  public static Entry of(LeafEntry entry) {
    return new Entry(entry.getSortKey(), entry.toByteString());
  }

  /**
   * The entry of an item already encoded: {@code encoded} must be the {@code LeafEntry} encoding of
   * an entry whose sort key is {@code sortKey} (the caller's promise; nothing is parsed here).
   */
  public static Entry ofEncoded(ByteString sortKey, ByteString encoded) {
    return new Entry(sortKey, encoded);
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

  /** Decodes the item (aliasing the entry's bytes). */
  public Item item() {
    return toProto().getItem();
  }

  /**
   * Decodes the whole entry.
   *
   * @throws CorruptionException when the item is malformed
   */
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
