package dev.coffer.internal.model;

import com.google.protobuf.ByteString;
import dev.coffer.AttributeValue;
import dev.coffer.CorruptionException;
import dev.coffer.Item;
import dev.coffer.ValidationException;
import dev.coffer.proto.BinarySet;
import dev.coffer.proto.ListValue;
import dev.coffer.proto.MapValue;
import dev.coffer.proto.StringSet;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Converts items and attribute values to and from their protobuf form (attribute.proto).
 *
 * <p>Both directions walk nested values with an explicit stack, never by recursion. Decoding treats
 * what it reads as untrusted: it counts the nesting level before it builds anything and refuses a
 * value deeper than {@link AttributeValue#MAX_NESTING_LEVELS}, a value without a type, an invalid
 * number, string or set, all with {@link CorruptionException} (the caller adds where the item is
 * stored). Protobuf's own parser, which produced the messages, stops at 100 levels of messages (its
 * recursion limit), so a stored item nested thousands of levels deep fails to parse with an
 * exception too, never with a {@link StackOverflowError}. Stateless.
 */
public final class ItemCodec {
  private ItemCodec() {}

  public static dev.coffer.proto.Item toProto(Item item) {
    dev.coffer.proto.Item.Builder b = dev.coffer.proto.Item.newBuilder();
    item.attributes().forEach((k, v) -> b.putAttributes(k, toProto(v)));
    return b.build();
  }

  /**
   * Decodes a stored item.
   *
   * @throws CorruptionException when it is malformed (without a table or location)
   */
  public static Item fromProto(dev.coffer.proto.Item item) {
    try {
      Item.Builder b = Item.builder();
      for (Map.Entry<String, dev.coffer.proto.AttributeValue> e :
          item.getAttributesMap().entrySet()) {
        b.put(e.getKey(), decode(e.getValue()));
      }
      return b.build();
    } catch (ValidationException e) {
      throw malformed(e.getMessage());
    }
  }

  /** The protobuf form of {@code v}. */
  public static dev.coffer.proto.AttributeValue toProto(AttributeValue v) {
    if (!isContainer(v)) {
      return scalarToProto(v);
    }
    // Post-order over an explicit stack: a list or map is built once all its elements are.
    Deque<EncodeFrame> stack = new ArrayDeque<>();
    stack.push(new EncodeFrame(v));
    while (true) {
      EncodeFrame f = stack.peek();
      if (f.elements.hasNext()) {
        AttributeValue next = f.elements.next();
        if (isContainer(next)) {
          stack.push(new EncodeFrame(next));
        } else {
          f.built.add(scalarToProto(next));
        }
        continue;
      }
      stack.pop();
      dev.coffer.proto.AttributeValue done = f.build();
      if (stack.isEmpty()) {
        return done;
      }
      stack.peek().built.add(done);
    }
  }

  /** A list or map being encoded: its elements in order and the encodings made so far. */
  private static final class EncodeFrame {
    final AttributeValue value;
    final Iterator<AttributeValue> elements;
    final List<dev.coffer.proto.AttributeValue> built = new ArrayList<>();

    EncodeFrame(AttributeValue value) {
      this.value = value;
      this.elements =
          value.type() == dev.coffer.AttributeType.L
              ? value.l().iterator()
              : value.m().values().iterator();
    }

    dev.coffer.proto.AttributeValue build() {
      dev.coffer.proto.AttributeValue.Builder b = dev.coffer.proto.AttributeValue.newBuilder();
      if (value.type() == dev.coffer.AttributeType.L) {
        return b.setL(ListValue.newBuilder().addAllValues(built)).build();
      }
      MapValue.Builder m = MapValue.newBuilder();
      int i = 0;
      for (String name : value.m().keySet()) {
        m.putFields(name, built.get(i++));
      }
      return b.setM(m).build();
    }
  }

  private static boolean isContainer(AttributeValue v) {
    return v.type() == dev.coffer.AttributeType.L || v.type() == dev.coffer.AttributeType.M;
  }

  private static dev.coffer.proto.AttributeValue scalarToProto(AttributeValue v) {
    dev.coffer.proto.AttributeValue.Builder b = dev.coffer.proto.AttributeValue.newBuilder();
    switch (v.type()) {
      case S:
        return b.setS(v.s()).build();
      case N:
        return b.setN(v.n()).build();
      case B:
        return b.setB(ByteString.copyFrom(v.b())).build();
      case BOOL:
        return b.setBool(v.bool()).build();
      case NULL:
        return b.setNull(true).build();
      case SS:
        return b.setSs(StringSet.newBuilder().addAllValues(v.ss())).build();
      case NS:
        return b.setNs(StringSet.newBuilder().addAllValues(v.ns())).build();
      case BS:
        {
          BinarySet.Builder s = BinarySet.newBuilder();
          v.bs().forEach(e -> s.addValues(ByteString.copyFrom(e)));
          return b.setBs(s).build();
        }
      default:
        throw new AssertionError(v.type());
    }
  }

  /**
   * Decodes a stored attribute value.
   *
   * @throws CorruptionException when it is malformed (without a table or location)
   */
  public static AttributeValue fromProto(dev.coffer.proto.AttributeValue v) {
    try {
      return decode(v);
    } catch (ValidationException e) {
      throw malformed(e.getMessage());
    }
  }

  /** Decodes with an explicit stack; the value itself is at level 1. */
  private static AttributeValue decode(dev.coffer.proto.AttributeValue root) {
    if (!isContainer(root)) {
      return decodeScalar(root);
    }
    Deque<DecodeFrame> stack = new ArrayDeque<>();
    stack.push(new DecodeFrame(root));
    while (true) {
      DecodeFrame f = stack.peek();
      if (f.elements.hasNext()) {
        dev.coffer.proto.AttributeValue next = f.elements.next();
        // next is at level stack.size() + 1; nothing may be below level 32
        if (stack.size() + 1 > AttributeValue.MAX_NESTING_LEVELS) {
          throw malformed(
              "it is nested deeper than " + AttributeValue.MAX_NESTING_LEVELS + " levels");
        }
        if (isContainer(next)) {
          stack.push(new DecodeFrame(next));
        } else {
          f.built.add(decodeScalar(next));
        }
        continue;
      }
      stack.pop();
      AttributeValue done = f.build();
      if (stack.isEmpty()) {
        return done;
      }
      stack.peek().built.add(done);
    }
  }

  /** A stored list or map being decoded. */
  private static final class DecodeFrame {
    final boolean list;
    final List<String> names;
    final Iterator<dev.coffer.proto.AttributeValue> elements;
    final List<AttributeValue> built = new ArrayList<>();

    DecodeFrame(dev.coffer.proto.AttributeValue v) {
      this.list = v.getValueCase() == dev.coffer.proto.AttributeValue.ValueCase.L;
      if (list) {
        this.names = List.of();
        this.elements = v.getL().getValuesList().iterator();
      } else {
        Map<String, dev.coffer.proto.AttributeValue> fields = v.getM().getFieldsMap();
        this.names = new ArrayList<>(fields.keySet());
        this.elements = fields.values().iterator();
      }
    }

    AttributeValue build() {
      if (list) {
        return AttributeValue.l(built);
      }
      Map<String, AttributeValue> m = new LinkedHashMap<>();
      for (int i = 0; i < built.size(); i++) {
        m.put(names.get(i), built.get(i));
      }
      return AttributeValue.m(m);
    }
  }

  private static boolean isContainer(dev.coffer.proto.AttributeValue v) {
    dev.coffer.proto.AttributeValue.ValueCase c = v.getValueCase();
    return c == dev.coffer.proto.AttributeValue.ValueCase.L
        || c == dev.coffer.proto.AttributeValue.ValueCase.M;
  }

  private static AttributeValue decodeScalar(dev.coffer.proto.AttributeValue v) {
    switch (v.getValueCase()) {
      case S:
        return AttributeValue.s(v.getS());
      case N:
        return AttributeValue.n(v.getN());
      case B:
        return AttributeValue.b(v.getB().toByteArray());
      case BOOL:
        return AttributeValue.bool(v.getBool());
      case NULL:
        return AttributeValue.nul();
      case SS:
        return AttributeValue.ss(v.getSs().getValuesList());
      case NS:
        return AttributeValue.ns(v.getNs().getValuesList());
      case BS:
        {
          List<byte[]> out = new ArrayList<>();
          v.getBs().getValuesList().forEach(e -> out.add(e.toByteArray()));
          return AttributeValue.bs(out);
        }
      default:
        throw malformed("an attribute value has no type");
    }
  }

  private static CorruptionException malformed(String why) {
    return new CorruptionException("A stored item is malformed: " + why, null, null);
  }
}
