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
   * One attribute as stored: its name and value encoded, and its whole map entry (tag included).
   */
  private interface Visitor {
    /** Returns false to stop. */
    boolean visit(ByteString name, ByteString value, int entryStart, int entryEnd)
        throws IOException;
  }

  /**
   * Visits the top-level attributes of {@code encoded} in stored order (a name stored twice is
   * visited twice: protobuf keeps the last value).
   *
   * @throws CorruptionException when the encoding is malformed (without a table or location)
   */
  private static void forEach(ByteString encoded, Visitor v) {
    try {
      CodedInputStream in = encoded.newCodedInput();
      in.enableAliasing(true);
      int tag;
      while ((tag = in.readTag()) != 0) {
        if (tag != ITEM_TAG) {
          in.skipField(tag);
          continue;
        }
        int itemLimit = in.pushLimit(in.readRawVarint32());
        while (true) {
          int start = in.getTotalBytesRead();
          int t = in.readTag();
          if (t == 0) {
            break;
          }
          if (t != ATTRIBUTE_TAG) {
            in.skipField(t);
            continue;
          }
          int entryLimit = in.pushLimit(in.readRawVarint32());
          ByteString name = ByteString.EMPTY;
          ByteString value = ByteString.EMPTY;
          int et;
          while ((et = in.readTag()) != 0) {
            if (et == KEY_TAG) {
              name = in.readBytes();
            } else if (et == VALUE_TAG) {
              value = in.readBytes();
            } else {
              in.skipField(et);
            }
          }
          in.popLimit(entryLimit);
          if (!name.isValidUtf8()) {
            throw new IOException("an attribute name is not valid UTF-8");
          }
          if (!v.visit(name, value, start, in.getTotalBytesRead())) {
            return;
          }
        }
        in.popLimit(itemLimit);
      }
    } catch (IOException e) {
      throw new CorruptionException("A stored item is malformed", null, null, e);
    }
  }

  /**
   * Which of {@code names} the item of {@code entry} has at its top level; no value is decoded.
   *
   * @throws CorruptionException when the entry is malformed (without a table or location)
   */
  static Set<String> present(Entry entry, Collection<String> names) {
    Map<ByteString, String> wanted = new HashMap<>();
    for (String n : names) {
      wanted.put(ByteString.copyFromUtf8(n), n);
    }
    Set<String> present = new HashSet<>();
    forEach(
        entry.encoded(),
        (name, value, start, end) -> {
          String n = wanted.get(name);
          if (n != null) {
            present.add(n);
          }
          return present.size() < wanted.size();
        });
    return present;
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
        (name, value, start, end) -> {
          CodedInputStream in = value.newCodedInput();
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
