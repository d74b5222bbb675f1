package dev.coffer.torture;

import dev.coffer.AttributeValue;
import dev.coffer.Item;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The items the torture writes, as a pure function of (table, key index, value id, size): the child
 * journals only the value id and the size, and the checker rebuilds the exact item from them. Every
 * value id is unique in a run (operation id plus the write's place in the operation), so an item
 * read back names the one write that produced it in its {@code op} attribute, and a value that no
 * write produced is recognisable as a phantom.
 *
 * <p>Besides its key and {@code op}, an item has {@code v}, {@code size} pseudo-random bytes seeded
 * by the value id, and, depending on the seed, a number, a string set and a nested map with a list,
 * so the item codec's types are all exercised. Stateless and thread-safe.
 */
public final class ItemFactory {
  /** The attribute that names the write an item came from. */
  public static final String OP = "op";

  private ItemFactory() {}

  /** The item the write {@code valueId} of {@code size} payload bytes puts at {@code keyIndex}. */
  public static Item item(TableShape table, int keyIndex, String valueId, int size) {
    SplittableRandom r = new SplittableRandom(seed(valueId) ^ size);
    byte[] payload = new byte[size];
    r.nextBytes(payload);
    dev.coffer.Key key = table.key(keyIndex);
    Item.Builder b =
        Item.builder()
            .put(table.schema().partitionKeyName(), key.partition())
            .string(OP, valueId)
            .bytes("v", payload);
    if (table.schema().hasSortKey()) {
      b.put(table.schema().sortKeyName(), key.sort());
    }
    if (r.nextInt(3) == 0) {
      int cents = r.nextInt(1, 100);
      b.number(
          "n",
          r.nextLong(-1_000_000_000L, 1_000_000_000L)
              + "."
              + (cents % 10 == 0 ? cents + 1 : cents));
    }
    if (r.nextInt(4) == 0) {
      List<String> tags = new ArrayList<>();
      int n = r.nextInt(1, 4);
      for (int i = 0; i < n; i++) {
        tags.add("tag" + i + "-" + r.nextInt(1000));
      }
      b.put("tags", AttributeValue.ss(tags));
    }
    if (r.nextInt(5) == 0) {
      Map<String, AttributeValue> doc = new LinkedHashMap<>();
      doc.put(
          "a",
          AttributeValue.l(
              AttributeValue.n(r.nextInt()),
              AttributeValue.s("\u00e9\u2713\ud834\udd1e"),
              AttributeValue.bool(r.nextBoolean())));
      doc.put("b", AttributeValue.nul());
      b.put("doc", AttributeValue.m(doc));
    }
    return b.build();
  }

  /** The value id written in {@code item}'s {@link #OP} attribute, or null when it has none. */
  public static String valueId(Item item) {
    AttributeValue v = item.get(OP);
    return v == null || v.type() != dev.coffer.AttributeType.S ? null : v.s();
  }

  /** FNV-1a, 64 bits, over the UTF-8 bytes: a stable seed for a value id. */
  private static long seed(String valueId) {
    long h = 0xcbf29ce484222325L;
    for (byte b : valueId.getBytes(StandardCharsets.UTF_8)) {
      h ^= b & 0xff;
      h *= 0x100000001b3L;
    }
    return h;
  }
}
