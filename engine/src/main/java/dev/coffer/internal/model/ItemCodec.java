package dev.coffer.internal.model;

import com.google.protobuf.ByteString;
import dev.coffer.AttributeValue;
import dev.coffer.CorruptionException;
import dev.coffer.Item;
import dev.coffer.proto.BinarySet;
import dev.coffer.proto.ListValue;
import dev.coffer.proto.MapValue;
import dev.coffer.proto.StringSet;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Converts items and attribute values to and from their protobuf form (attribute.proto). */
public final class ItemCodec {
  private ItemCodec() {}

  public static dev.coffer.proto.Item toProto(Item item) {
    dev.coffer.proto.Item.Builder b = dev.coffer.proto.Item.newBuilder();
    item.attributes().forEach((k, v) -> b.putAttributes(k, toProto(v)));
    return b.build();
  }

  public static Item fromProto(dev.coffer.proto.Item item) {
    Item.Builder b = Item.builder();
    item.getAttributesMap().forEach((k, v) -> b.put(k, fromProto(v)));
    return b.build();
  }

  public static dev.coffer.proto.AttributeValue toProto(AttributeValue v) {
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
      case L:
        {
          ListValue.Builder l = ListValue.newBuilder();
          v.l().forEach(e -> l.addValues(toProto(e)));
          return b.setL(l).build();
        }
      case M:
        {
          MapValue.Builder m = MapValue.newBuilder();
          v.m().forEach((k, e) -> m.putFields(k, toProto(e)));
          return b.setM(m).build();
        }
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

  public static AttributeValue fromProto(dev.coffer.proto.AttributeValue v) {
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
      case L:
        {
          List<AttributeValue> out = new ArrayList<>(v.getL().getValuesCount());
          v.getL().getValuesList().forEach(e -> out.add(fromProto(e)));
          return AttributeValue.l(out);
        }
      case M:
        {
          Map<String, AttributeValue> out = new LinkedHashMap<>();
          v.getM().getFieldsMap().forEach((k, e) -> out.put(k, fromProto(e)));
          return AttributeValue.m(out);
        }
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
        throw new CorruptionException("A stored attribute value has no type", null, null);
    }
  }
}
