package dev.coffer;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Conversions between Coffer's values and the AWS SDK's (DynamoDB JSON's) for the differential
 * tests: the SDK's {@code AttributeValue} is imported here, Coffer's is named {@code
 * dev.coffer.AttributeValue}. Values come back from the SDK in Coffer's canonical form (numbers,
 * set order), so items compare with {@code equals}. Stateless.
 */
final class SdkItems {
  private SdkItems() {}

  static AttributeValue sdk(dev.coffer.AttributeValue v) {
    switch (v.type()) {
      case S:
        return AttributeValue.fromS(v.s());
      case N:
        return AttributeValue.fromN(v.n());
      case B:
        return AttributeValue.fromB(SdkBytes.fromByteArray(v.b()));
      case BOOL:
        return AttributeValue.fromBool(v.bool());
      case NULL:
        return AttributeValue.fromNul(true);
      case SS:
        return AttributeValue.fromSs(v.ss());
      case NS:
        return AttributeValue.fromNs(v.ns());
      case BS:
        return AttributeValue.fromBs(v.bs().stream().map(SdkBytes::fromByteArray).toList());
      case L:
        {
          List<AttributeValue> out = new ArrayList<>();
          v.l().forEach(e -> out.add(sdk(e)));
          return AttributeValue.fromL(out);
        }
      case M:
        return AttributeValue.fromM(sdk(v.m()));
      default:
        throw new AssertionError(v.type());
    }
  }

  static Map<String, AttributeValue> sdk(Map<String, dev.coffer.AttributeValue> attributes) {
    Map<String, AttributeValue> out = new LinkedHashMap<>();
    attributes.forEach((k, v) -> out.put(k, sdk(v)));
    return out;
  }

  static Map<String, AttributeValue> sdk(Item item) {
    return sdk(item.attributes());
  }

  static Map<String, AttributeValue> sdk(Key key, KeySchema schema) {
    Map<String, AttributeValue> out = new LinkedHashMap<>();
    out.put(schema.partitionKeyName(), sdk(key.partition()));
    if (key.sort() != null) {
      out.put(schema.sortKeyName(), sdk(key.sort()));
    }
    return out;
  }

  static dev.coffer.AttributeValue coffer(AttributeValue v) {
    switch (v.type()) {
      case S:
        return dev.coffer.AttributeValue.s(v.s());
      case N:
        return dev.coffer.AttributeValue.n(v.n());
      case B:
        return dev.coffer.AttributeValue.b(v.b().asByteArray());
      case BOOL:
        return dev.coffer.AttributeValue.bool(v.bool());
      case NUL:
        return dev.coffer.AttributeValue.nul();
      case SS:
        return dev.coffer.AttributeValue.ss(v.ss());
      case NS:
        return dev.coffer.AttributeValue.ns(v.ns());
      case BS:
        return dev.coffer.AttributeValue.bs(v.bs().stream().map(SdkBytes::asByteArray).toList());
      case L:
        {
          List<dev.coffer.AttributeValue> out = new ArrayList<>();
          v.l().forEach(e -> out.add(coffer(e)));
          return dev.coffer.AttributeValue.l(out);
        }
      case M:
        return dev.coffer.AttributeValue.m(coffer(v.m()));
      default:
        throw new AssertionError(v.type());
    }
  }

  static Map<String, dev.coffer.AttributeValue> coffer(Map<String, AttributeValue> attributes) {
    Map<String, dev.coffer.AttributeValue> out = new LinkedHashMap<>();
    attributes.forEach((k, v) -> out.put(k, coffer(v)));
    return out;
  }

  /** The item of an SDK attribute map; null for null, empty for empty. */
  static Item item(Map<String, AttributeValue> attributes) {
    return attributes == null ? null : Item.of(coffer(attributes));
  }

  /** The key of an SDK key map (a LastEvaluatedKey), or null. */
  static Key key(Map<String, AttributeValue> attributes, KeySchema schema) {
    if (attributes == null || attributes.isEmpty()) {
      return null;
    }
    dev.coffer.AttributeValue pk = coffer(attributes.get(schema.partitionKeyName()));
    return schema.hasSortKey()
        ? Key.of(pk, coffer(attributes.get(schema.sortKeyName())))
        : Key.of(pk);
  }
}
