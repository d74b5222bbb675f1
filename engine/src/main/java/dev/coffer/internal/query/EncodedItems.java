package dev.coffer.internal.query;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.UnsafeByteOperations;
import com.google.protobuf.WireFormat;
import dev.coffer.AttributeValue;
import dev.coffer.CorruptionException;
import dev.coffer.Item;
import dev.coffer.ValidationException;
import dev.coffer.internal.model.ItemCodec;
import dev.coffer.internal.record.Entry;
import dev.coffer.proto.LeafEntry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads and writes a stored item in its encoded form ({@code coffer.v1.LeafEntry}, whose item is a
 * protobuf {@code map<string, AttributeValue>}) without building the protobuf messages of the whole
 * entry: which top-level attributes an item has, its attributes each with the bytes of its map
 * entry, and a new entry that reuses the bytes of the attributes an update left unchanged. The
 * encodings read and written are exactly the protobuf wire format the messages would read and write
 * (a map is a repeated message of a key, field 1, and a value, field 2), so the stored format does
 * not change. Stateless.
 */
final class EncodedItems {
  private static final int ITEM_TAG = lengthDelimited(LeafEntry.ITEM_FIELD_NUMBER);
  private static final int ATTRIBUTE_TAG =
      lengthDelimited(dev.coffer.proto.Item.ATTRIBUTES_FIELD_NUMBER);
  private static final int KEY_TAG = lengthDelimited(1); // a map entry's key
  private static final int VALUE_TAG = lengthDelimited(2); // and its value

  private EncodedItems() {}

  /** The tag of a length-delimited field (protobuf's {@code WireFormat.makeTag}). */
  private static int lengthDelimited(int field) {
    return (field << 3) | WireFormat.WIRETYPE_LENGTH_DELIMITED;
  }

  /**
   * One attribute as stored, as positions in the encoding: its name's bytes, its value's, and its
   * whole map entry (tag included).
   */
  private interface Visitor {
    /** Returns false to stop. */
    boolean visit(int nameStart, int nameEnd, int valueStart, int valueEnd, int start, int end)
        throws IOException;
  }

  /**
   * Visits the top-level attributes of {@code encoded} in stored order (a name stored twice is
   * visited twice: protobuf keeps the last value), reading only tags, lengths and names: values are
   * skipped by their length. A map entry without a name or a value has an empty one, as protobuf
   * reads it.
   *
   * @throws CorruptionException when the encoding is malformed (without a table or location)
   */
  private static void forEach(ByteString encoded, Visitor v) {
    try {
      Cursor in = new Cursor(encoded);
      int size = encoded.size();
      while (in.pos < size) {
        int tag = in.varint32(size);
        if (tag != ITEM_TAG) {
          in.skip(tag, size);
          continue;
        }
        int itemEnd = in.lengthEnd(size);
        while (in.pos < itemEnd) {
          int start = in.pos;
          int t = in.varint32(itemEnd);
          if (t != ATTRIBUTE_TAG) {
            in.skip(t, itemEnd);
            continue;
          }
          int entryEnd = in.lengthEnd(itemEnd);
          int nameStart = 0;
          int nameEnd = 0;
          int valueStart = 0;
          int valueEnd = 0;
          while (in.pos < entryEnd) {
            int et = in.varint32(entryEnd);
            if (et == KEY_TAG) {
              nameEnd = in.lengthEnd(entryEnd);
              nameStart = in.pos;
              in.pos = nameEnd;
            } else if (et == VALUE_TAG) {
              valueEnd = in.lengthEnd(entryEnd);
              valueStart = in.pos;
              in.pos = valueEnd;
            } else {
              in.skip(et, entryEnd);
            }
          }
          if (!v.visit(nameStart, nameEnd, valueStart, valueEnd, start, entryEnd)) {
            return;
          }
        }
      }
    } catch (IOException e) {
      throw new CorruptionException("A stored item is malformed", null, null, e);
    }
  }

  /** Reads protobuf's varints and skips fields in an encoding, checking every bound. */
  private static final class Cursor {
    final ByteString bytes;
    int pos;

    Cursor(ByteString bytes) {
      this.bytes = bytes;
    }

    /** A varint of at most 32 bits (a tag or a length) ending before {@code limit}. */
    int varint32(int limit) throws IOException {
      int result = 0;
      for (int shift = 0; shift < 35; shift += 7) {
        if (pos >= limit) {
          throw new IOException("truncated");
        }
        byte b = bytes.byteAt(pos++);
        result |= (b & 0x7f) << shift;
        if (b >= 0) {
          return result;
        }
      }
      throw new IOException("a malformed varint");
    }

    /** Reads a length and returns where the bytes it announces end (at most {@code limit}). */
    int lengthEnd(int limit) throws IOException {
      int length = varint32(limit);
      if (length < 0 || length > limit - pos) {
        throw new IOException("truncated");
      }
      return pos + length;
    }

    /** Skips the field of {@code tag} (a field this reader does not need). */
    void skip(int tag, int limit) throws IOException {
      if (tag >>> 3 == 0) {
        throw new IOException("an invalid tag");
      }
      switch (tag & 7) {
        case WireFormat.WIRETYPE_VARINT:
          for (int i = 0; ; i++) {
            if (i == 10 || pos >= limit) {
              throw new IOException("a malformed varint");
            }
            if (bytes.byteAt(pos++) >= 0) {
              return;
            }
          }
        case WireFormat.WIRETYPE_FIXED64:
          advance(8, limit);
          return;
        case WireFormat.WIRETYPE_LENGTH_DELIMITED:
          pos = lengthEnd(limit);
          return;
        case WireFormat.WIRETYPE_FIXED32:
          advance(4, limit);
          return;
        default:
          throw new IOException("an unexpected wire type " + (tag & 7)); // (no groups here)
      }
    }

    private void advance(int n, int limit) throws IOException {
      if (n > limit - pos) {
        throw new IOException("truncated");
      }
      pos += n;
    }
  }

  /**
   * Which of {@code names} the item of {@code entry} has at its top level; no value is decoded.
   *
   * @throws CorruptionException when the entry is malformed (without a table or location)
   */
  static Set<String> present(Entry entry, Collection<String> names) {
    List<String> wanted = new ArrayList<>(names);
    byte[][] utf8 = new byte[wanted.size()][];
    for (int i = 0; i < utf8.length; i++) {
      utf8[i] = wanted.get(i).getBytes(StandardCharsets.UTF_8);
    }
    ByteString encoded = entry.encoded();
    Set<String> present = new HashSet<>();
    forEach(
        encoded,
        (nameStart, nameEnd, valueStart, valueEnd, start, end) -> {
          for (int i = 0; i < utf8.length; i++) {
            if (utf8[i] != null && sameBytes(encoded, nameStart, nameEnd, utf8[i])) {
              present.add(wanted.get(i));
              utf8[i] = null;
            }
          }
          return present.size() < utf8.length;
        });
    return present;
  }

  private static boolean sameBytes(ByteString encoded, int from, int to, byte[] name) {
    if (to - from != name.length) {
      return false;
    }
    for (int i = 0; i < name.length; i++) {
      if (encoded.byteAt(from + i) != name[i]) {
        return false;
      }
    }
    return true;
  }

  /**
   * A decoded stored item with, for each attribute, the bytes of its map entry: {@link #reencode}
   * reuses them for the attributes a change left as they were.
   */
  record Decoded(Item item, Map<String, ByteString> stored) {}

  /**
   * Decodes the item of {@code entry} as {@link ItemCodec#fromProto(dev.coffer.proto.Item)} does
   * (the same checks, the same order of attributes), keeping each attribute's stored bytes.
   *
   * @throws CorruptionException when it is malformed (without a table or location)
   */
  static Decoded decode(Entry entry) {
    ByteString encoded = entry.encoded();
    Map<String, AttributeValue> values = new LinkedHashMap<>();
    Map<String, ByteString> stored = new HashMap<>();
    forEach(
        encoded,
        (nameStart, nameEnd, valueStart, valueEnd, start, end) -> {
          ByteString name = encoded.substring(nameStart, nameEnd);
          if (!name.isValidUtf8()) {
            throw new IOException("an attribute name is not valid UTF-8");
          }
          CodedInputStream in = encoded.substring(valueStart, valueEnd).newCodedInput();
          in.enableAliasing(true);
          String n = name.toStringUtf8();
          values.put(n, ItemCodec.fromProto(dev.coffer.proto.AttributeValue.parseFrom(in)));
          stored.put(n, encoded.substring(start, end));
          return true;
        });
    Item item;
    try {
      item = Item.builder().putAll(values).build();
    } catch (ValidationException e) {
      throw new CorruptionException("A stored item is malformed: " + e.getMessage(), null, null);
    }
    return new Decoded(item, stored);
  }

  /**
   * The leaf entry of {@code item}, with the sort key {@code sortKey}: the stored bytes of every
   * attribute whose value is the very object {@code old} decoded (unchanged), a fresh encoding of
   * the others. Equal, as a protobuf message, to {@code ItemOperations.entry} of {@code item}.
   */
  static Entry reencode(ByteString sortKey, Item item, Decoded old) {
    Map<String, AttributeValue> before = old.item().attributes();
    List<ByteString> parts = new ArrayList<>(item.size());
    int itemBytes = 0;
    for (Map.Entry<String, AttributeValue> e : item.attributes().entrySet()) {
      ByteString part =
          before.get(e.getKey()) == e.getValue() ? old.stored().get(e.getKey()) : null;
      if (part == null) {
        // an Item of one attribute is encoded as exactly that attribute's map entry
        part =
            dev.coffer.proto.Item.newBuilder()
                .putAttributes(e.getKey(), ItemCodec.toProto(e.getValue()))
                .build()
                .toByteString();
      }
      parts.add(part);
      itemBytes += part.size();
    }
    int size =
        (sortKey.isEmpty()
                ? 0
                : CodedOutputStream.computeBytesSize(LeafEntry.SORT_KEY_FIELD_NUMBER, sortKey))
            + CodedOutputStream.computeTagSize(LeafEntry.ITEM_FIELD_NUMBER)
            + CodedOutputStream.computeUInt32SizeNoTag(itemBytes)
            + itemBytes;
    byte[] out = new byte[size];
    try {
      CodedOutputStream o = CodedOutputStream.newInstance(out);
      if (!sortKey.isEmpty()) {
        o.writeBytes(LeafEntry.SORT_KEY_FIELD_NUMBER, sortKey);
      }
      o.writeTag(LeafEntry.ITEM_FIELD_NUMBER, WireFormat.WIRETYPE_LENGTH_DELIMITED);
      o.writeUInt32NoTag(itemBytes);
      for (ByteString part : parts) {
        o.writeRawBytes(part);
      }
      o.checkNoSpaceLeft();
    } catch (IOException e) {
      throw new UncheckedIOException(e); // cannot happen: the array has exactly the size needed
    }
    // the array is new and never changed after this: wrapping it is safe
    return Entry.ofEncoded(sortKey, UnsafeByteOperations.unsafeWrap(out));
  }
}
