package dev.coffer;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * Random sequences of PutItem, GetItem, DeleteItem, Query and Scan against an in-memory reference
 * (a TreeMap per partition ordered as DynamoDB orders sort keys), with a small page target so
 * partitions split into many pages and shrink again. Runs over the embedded RocksDB here; the same
 * properties run over shared record backends in subclasses that override {@link #fixture()} ({@code
 * SharedModelBasedPropertiesTest}, {@code DynamoDbModelBasedPropertiesTest}).
 */
class ModelBasedPropertiesTest {
  /** Where the stores live. */
  BackendFixture fixture() {
    return BackendFixture.rocksDb();
  }

  /** The options every open starts from (a subclass turns features on: {@code FreshModel...}). */
  CofferOptions.Builder options(TestStores stores) {
    return stores.options();
  }

  /** The share of each property's operations to run (a slow backend runs fewer). */
  double opsScale() {
    return 1;
  }

  private static final String[] STRING_PARTS = {
    "a", "b", "ab", "é", "z", "\u00ff", "\ud834\udd1e", "0", "A"
  };
  private static final byte[] BYTE_PARTS = {0x00, 0x01, 0x7f, (byte) 0x80, (byte) 0xff};

  @Property(tries = 5)
  void stringSortKeys(@ForAll long seed, @ForAll @IntRange(min = 300, max = 1500) int ops)
      throws IOException {
    run(AttributeType.S, seed, ops);
  }

  @Property(tries = 5)
  void numberSortKeys(@ForAll long seed, @ForAll @IntRange(min = 300, max = 1500) int ops)
      throws IOException {
    run(AttributeType.N, seed, ops);
  }

  @Property(tries = 5)
  void binarySortKeys(@ForAll long seed, @ForAll @IntRange(min = 300, max = 1500) int ops)
      throws IOException {
    run(AttributeType.B, seed, ops);
  }

  @Property(tries = 3)
  void partitionKeyOnly(@ForAll long seed, @ForAll @IntRange(min = 100, max = 600) int ops)
      throws IOException {
    run(null, seed, ops);
  }

  private void run(AttributeType sortType, long seed, int allOps) throws IOException {
    int ops = Math.max(40, (int) (allOps * opsScale()));
    BackendFixture fixture = fixture();
    Random rnd = new Random(seed);
    Path dir = Files.createTempDirectory("coffer-model");
    TestStores stores = new TestStores();
    long cache = rnd.nextBoolean() ? 0 : 1 << 20;
    Reference ref = new Reference(sortType);
    try (Coffer coffer = fixture.open(dir, options(stores).pageCacheBytes(cache))) {
      TableSpec.Builder spec =
          TableSpec.builder()
              .name("model")
              .partitionKey("pk", AttributeType.S)
              .pageTargetBytes(128 + rnd.nextInt(400));
      if (sortType != null) {
        spec.sortKey("sk", sortType);
      }
      Table table = coffer.createTable(spec.build());
      int partitions = sortType == null ? 200 : 1 + rnd.nextInt(4);
      for (int i = 0; i < ops; i++) {
        step(table, ref, rnd, sortType, partitions, i < ops * 2 / 3);
      }
      verifyAll(table, ref, rnd);
      // shrink: delete most items so pages merge and trees lose height
      for (Key k : ref.allKeys()) {
        if (rnd.nextInt(10) < 9) {
          table.deleteItem(k);
          ref.delete(k);
        }
      }
      verifyAll(table, ref, rnd);
    }
    try (Coffer coffer = fixture.open(dir, options(stores).pageCacheBytes(0))) {
      // reopened without a cache: every page is read from disk, and everything is still there
      verifyAll(coffer.table("model"), ref, rnd);
    } finally {
      deleteTree(dir);
    }
  }

  private void step(
      Table table,
      Reference ref,
      Random rnd,
      AttributeType sortType,
      int partitions,
      boolean growing) {
    int op = rnd.nextInt(100);
    String pk = "P" + rnd.nextInt(partitions);
    if (op < (growing ? 65 : 35)) {
      Item item = item(rnd, pk, sortType);
      Item old = ref.put(item);
      if (rnd.nextBoolean()) {
        assertThat(table.putItemReturningOld(item).orElse(null)).isEqualTo(old);
      } else {
        table.putItem(item);
      }
    } else if (op < 85) {
      Key key =
          rnd.nextInt(4) == 0 || ref.size() == 0 ? key(rnd, pk, sortType) : ref.randomKey(rnd);
      Item old = ref.delete(key);
      if (rnd.nextBoolean()) {
        assertThat(table.deleteItemReturningOld(key).orElse(null)).isEqualTo(old);
      } else {
        table.deleteItem(key);
      }
    } else if (op < 95) {
      Key key = rnd.nextBoolean() || ref.size() == 0 ? key(rnd, pk, sortType) : ref.randomKey(rnd);
      assertThat(table.getItem(key).orElse(null)).isEqualTo(ref.get(key));
    } else if (sortType != null) {
      checkQuery(table, ref, rnd, pk);
    }
  }

  private void verifyAll(Table table, Reference ref, Random rnd) {
    for (AttributeValue pk : ref.partitions()) {
      if (ref.sortType != null) {
        checkQuery(table, ref, rnd, pk.s());
        for (int i = 0; i < 5; i++) {
          checkQuery(table, ref, rnd, pk.s());
        }
        assertThat(collect(table, Query.partition(pk), 1 + rnd.nextInt(7)))
            .containsExactlyElementsOf(ref.partition(pk).values());
        assertThat(collect(table, Query.partition(pk).descending(), 1 + rnd.nextInt(7)))
            .containsExactlyElementsOf(ref.partition(pk).descendingMap().values());
      }
    }
    int total = 1 + rnd.nextInt(5);
    List<Item> scanned = new ArrayList<>();
    for (int segment = 0; segment < total; segment++) {
      Scan scan = Scan.all().segment(segment, total).limit(1 + rnd.nextInt(40));
      while (true) {
        Page page = table.scan(scan);
        scanned.addAll(page.items());
        if (page.lastEvaluatedKey().isEmpty()) {
          break;
        }
        scan = scan.exclusiveStartKey(page.lastEvaluatedKey().get());
      }
    }
    assertThat(scanned).hasSize(ref.size());
    assertThat(new HashSet<>(scanned)).isEqualTo(new HashSet<>(ref.allItems()));
  }

  private void checkQuery(Table table, Reference ref, Random rnd, String pk) {
    AttributeValue p = AttributeValue.s(pk);
    NavigableMap<AttributeValue, Item> all = ref.partition(p);
    Query q = Query.partition(p);
    NavigableMap<AttributeValue, Item> expected;
    AttributeValue a = sortValue(rnd, ref.sortType);
    AttributeValue b = sortValue(rnd, ref.sortType);
    switch (rnd.nextInt(8)) {
      case 0:
        q = q.sortEquals(a);
        expected = all.subMap(a, true, a, true);
        break;
      case 1:
        q = q.sortLessThan(a);
        expected = all.headMap(a, false);
        break;
      case 2:
        q = q.sortLessThanOrEqual(a);
        expected = all.headMap(a, true);
        break;
      case 3:
        q = q.sortGreaterThan(a);
        expected = all.tailMap(a, false);
        break;
      case 4:
        q = q.sortGreaterThanOrEqual(a);
        expected = all.tailMap(a, true);
        break;
      case 5:
        if (ref.order.compare(a, b) > 0) {
          AttributeValue t = a;
          a = b;
          b = t;
        }
        q = q.sortBetween(a, b);
        expected = all.subMap(a, true, b, true);
        break;
      case 6:
        if (ref.sortType != AttributeType.N) {
          AttributeValue prefix = prefixOf(a, rnd);
          q = q.sortBeginsWith(prefix);
          expected = new TreeMap<>(ref.order);
          for (Map.Entry<AttributeValue, Item> e : all.entrySet()) {
            if (startsWith(e.getKey(), prefix)) {
              expected.put(e.getKey(), e.getValue());
            }
          }
          break;
        }
        expected = all;
        break;
      default:
        expected = all;
    }
    boolean descending = rnd.nextBoolean();
    if (descending) {
      q = q.descending();
    }
    List<Item> want =
        new ArrayList<>(descending ? expected.descendingMap().values() : expected.values());
    assertThat(collect(table, q, 1 + rnd.nextInt(10)))
        .as(q.toString())
        .containsExactlyElementsOf(want);
  }

  /**
   * Reads every page of {@code q} with {@code limit}, checking that LastEvaluatedKey appears iff
   * the page read {@code limit} items (DynamoDB's rule: also when none follow).
   */
  private static List<Item> collect(Table table, Query q, int limit) {
    List<Item> out = new ArrayList<>();
    Query page = q.limit(limit);
    while (true) {
      Page p = table.query(page);
      out.addAll(p.items());
      assertThat(p.count()).isLessThanOrEqualTo(limit);
      if (p.lastEvaluatedKey().isEmpty()) {
        return out;
      }
      assertThat(p.count()).isEqualTo(limit);
      page = page.exclusiveStartKey(p.lastEvaluatedKey().get());
    }
  }

  private static boolean startsWith(AttributeValue v, AttributeValue prefix) {
    byte[] a = v.type() == AttributeType.S ? v.s().getBytes(StandardCharsets.UTF_8) : v.b();
    byte[] p =
        prefix.type() == AttributeType.S ? prefix.s().getBytes(StandardCharsets.UTF_8) : prefix.b();
    return a.length >= p.length && java.util.Arrays.equals(a, 0, p.length, p, 0, p.length);
  }

  private static AttributeValue prefixOf(AttributeValue v, Random rnd) {
    if (v.type() == AttributeType.S) {
      int[] cps = v.s().codePoints().toArray();
      int n = 1 + rnd.nextInt(Math.min(2, cps.length));
      return AttributeValue.s(new String(cps, 0, n));
    }
    byte[] b = v.b();
    return AttributeValue.b(java.util.Arrays.copyOf(b, 1 + rnd.nextInt(Math.min(2, b.length))));
  }

  private static Item item(Random rnd, String pk, AttributeType sortType) {
    Item.Builder b = Item.builder().string("pk", pk);
    if (sortType != null) {
      b.put("sk", sortValue(rnd, sortType));
    }
    int size = rnd.nextInt(10) == 0 ? 200 + rnd.nextInt(600) : rnd.nextInt(60);
    b.string("v", "x".repeat(size) + rnd.nextInt());
    switch (rnd.nextInt(6)) {
      case 0:
        b.put(
            "list",
            AttributeValue.l(
                List.of(
                    AttributeValue.n(rnd.nextInt()),
                    AttributeValue.nul(),
                    AttributeValue.bool(rnd.nextBoolean()))));
        break;
      case 1:
        b.put(
            "map",
            AttributeValue.m(Map.of("k", AttributeValue.ss(List.of("x", "y" + rnd.nextInt(3))))));
        break;
      case 2:
        b.put("ns", AttributeValue.ns(List.of("1", "-2.5", String.valueOf(rnd.nextInt(100) + 3))));
        break;
      case 3:
        b.put(
            "bs",
            AttributeValue.bs(List.of(new byte[] {1}, new byte[] {(byte) rnd.nextInt(200), 9})));
        break;
      default:
        break;
    }
    return b.build();
  }

  private static Key key(Random rnd, String pk, AttributeType sortType) {
    AttributeValue p = AttributeValue.s(pk);
    return sortType == null ? Key.of(p) : Key.of(p, sortValue(rnd, sortType));
  }

  static AttributeValue sortValue(Random rnd, AttributeType type) {
    switch (type) {
      case S:
        {
          StringBuilder sb = new StringBuilder();
          int n = 1 + rnd.nextInt(4);
          for (int i = 0; i < n; i++) {
            sb.append(STRING_PARTS[rnd.nextInt(STRING_PARTS.length)]);
          }
          return AttributeValue.s(sb.toString());
        }
      case N:
        return AttributeValue.n(BigDecimal.valueOf(rnd.nextInt(2001) - 1000, rnd.nextInt(7) - 3));
      case B:
        {
          byte[] b = new byte[1 + rnd.nextInt(4)];
          for (int i = 0; i < b.length; i++) {
            b[i] = BYTE_PARTS[rnd.nextInt(BYTE_PARTS.length)];
          }
          return AttributeValue.b(b);
        }
      default:
        throw new AssertionError(type);
    }
  }

  /** DynamoDB's order of sort key values, written independently of the engine's encoding. */
  static Comparator<AttributeValue> dynamoOrder(AttributeType type) {
    switch (type) {
      case S:
        return (x, y) -> AttributeValue.UTF8_ORDER.compare(x.s(), y.s());
      case N:
        return (x, y) -> x.numberValue().compareTo(y.numberValue());
      case B:
        return (x, y) -> AttributeValue.UNSIGNED.compare(x.b(), y.b());
      default:
        throw new AssertionError(type);
    }
  }

  /** The reference: partition key to (sort key to item). */
  static final class Reference {
    final AttributeType sortType;
    final Comparator<AttributeValue> order;
    private final Map<AttributeValue, TreeMap<AttributeValue, Item>> data = new LinkedHashMap<>();

    Reference(AttributeType sortType) {
      this.sortType = sortType;
      this.order = sortType == null ? (x, y) -> 0 : dynamoOrder(sortType);
    }

    Item put(Item item) {
      return data.computeIfAbsent(item.get("pk"), k -> new TreeMap<>(order))
          .put(sortOf(item), item);
    }

    Item get(Key key) {
      TreeMap<AttributeValue, Item> m = data.get(key.partition());
      return m == null ? null : m.get(sortOf(key));
    }

    Item delete(Key key) {
      TreeMap<AttributeValue, Item> m = data.get(key.partition());
      if (m == null) {
        return null;
      }
      Item old = m.remove(sortOf(key));
      if (m.isEmpty()) {
        data.remove(key.partition());
      }
      return old;
    }

    private AttributeValue sortOf(Item item) {
      return sortType == null ? AttributeValue.nul() : item.get("sk");
    }

    private AttributeValue sortOf(Key key) {
      return sortType == null ? AttributeValue.nul() : key.sort();
    }

    NavigableMap<AttributeValue, Item> partition(AttributeValue pk) {
      return data.getOrDefault(pk, new TreeMap<>(order));
    }

    Set<AttributeValue> partitions() {
      return new HashSet<>(data.keySet());
    }

    int size() {
      return data.values().stream().mapToInt(Map::size).sum();
    }

    List<Item> allItems() {
      return data.values().stream().flatMap(m -> m.values().stream()).toList();
    }

    List<Key> allKeys() {
      return allItems().stream()
          .map(i -> sortType == null ? Key.of(i.get("pk")) : Key.of(i.get("pk"), i.get("sk")))
          .toList();
    }

    Key randomKey(Random rnd) {
      List<Key> keys = allKeys();
      return keys.get(rnd.nextInt(keys.size()));
    }
  }

  static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
