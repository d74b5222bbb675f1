package dev.coffer.torture;

import dev.coffer.AttributeType;
import dev.coffer.AttributeValue;
import dev.coffer.Item;
import dev.coffer.Key;
import dev.coffer.KeySchema;
import dev.coffer.TableSpec;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A torture table: its name, key schema, key space and page size. The key space is finite and
 * numbered (key index 0 .. {@link #keyCount()} - 1), so the journal names a key by its index and
 * the checker can map every item it reads back to an index, or see that it is outside the space (a
 * phantom). Tables with a sort key have few partitions and small pages, so their partitions split
 * into multi-level trees and shrink again. Immutable.
 */
public final class TableShape {
  /** The key schemas a torture table can have. */
  public enum Kind {
    /** Partition key {@code id} (S) only: one item per partition. */
    PK_S,
    /** Partition key {@code p} (S), sort key {@code s} (N, negative and fractional values too). */
    SK_SN,
    /** Partition key {@code p} (N), sort key {@code s} (B, 1 to 5 bytes). */
    SK_NB
  }

  private static final Pattern DDL_NAME = Pattern.compile("d(\\d+)n(\\d+)k(\\d)");

  /** The tables every torture store has from the start; never deleted. */
  public static final List<TableShape> CORE =
      List.of(
          new TableShape("t_pk", Kind.PK_S, 240, 1, 0),
          new TableShape("t_sk", Kind.SK_SN, 6, 64, 512),
          new TableShape("t_skb", Kind.SK_NB, 3, 48, 1024));

  private final String name;
  private final Kind kind;
  private final int partitions;
  private final int sortKeys;
  private final int pageTargetBytes;
  private final KeySchema schema;
  private final List<Key> keys;
  private final Map<Key, Integer> indexByKey;

  private TableShape(String name, Kind kind, int partitions, int sortKeys, int pageTargetBytes) {
    this.name = name;
    this.kind = kind;
    this.partitions = partitions;
    this.sortKeys = kind == Kind.PK_S ? 1 : sortKeys;
    this.pageTargetBytes = pageTargetBytes;
    this.schema =
        switch (kind) {
          case PK_S -> KeySchema.of("id", AttributeType.S);
          case SK_SN -> KeySchema.of("p", AttributeType.S, "s", AttributeType.N);
          case SK_NB -> KeySchema.of("p", AttributeType.N, "s", AttributeType.B);
        };
    List<Key> all = new ArrayList<>();
    Map<Key, Integer> index = new HashMap<>();
    for (int i = 0; i < partitions * this.sortKeys; i++) {
      Key k =
          kind == Kind.PK_S
              ? Key.of(partitionValue(i))
              : Key.of(partitionValue(i / this.sortKeys), sortValue(i % this.sortKeys));
      all.add(k);
      index.put(k, i);
    }
    this.keys = Collections.unmodifiableList(all);
    this.indexByKey = Map.copyOf(index);
  }

  /**
   * A table created by the DDL thread of cycle {@code cycle}: its {@code n}th, of {@code kind}. The
   * name encodes all three ({@code d<cycle>n<n>k<kind>}), so the checker knows its shape from its
   * name alone.
   */
  public static TableShape ddl(int cycle, int n, Kind kind) {
    String name = "d" + cycle + "n" + n + "k" + kind.ordinal();
    return switch (kind) {
      case PK_S -> new TableShape(name, kind, 32, 1, 0);
      case SK_SN -> new TableShape(name, kind, 2, 32, 512);
      case SK_NB -> new TableShape(name, kind, 2, 24, 1024);
    };
  }

  /** The shape of the table named {@code name}, or null when no torture table has that name. */
  public static TableShape forName(String name) {
    for (TableShape s : CORE) {
      if (s.name.equals(name)) {
        return s;
      }
    }
    Matcher m = DDL_NAME.matcher(name);
    if (!m.matches() || Integer.parseInt(m.group(3)) >= Kind.values().length) {
      return null;
    }
    TableShape s =
        ddl(
            Integer.parseInt(m.group(1)),
            Integer.parseInt(m.group(2)),
            Kind.values()[Integer.parseInt(m.group(3))]);
    return s.name.equals(name) ? s : null;
  }

  /** Whether this is one of the {@link #CORE} tables. */
  public boolean isCore() {
    return !DDL_NAME.matcher(name).matches();
  }

  public String name() {
    return name;
  }

  public Kind kind() {
    return kind;
  }

  public KeySchema schema() {
    return schema;
  }

  /** The number of partitions (for {@link Kind#PK_S}: of keys). */
  public int partitions() {
    return partitions;
  }

  /** Sort keys per partition (1 without a sort key). */
  public int sortKeys() {
    return sortKeys;
  }

  /** The size of the key space. */
  public int keyCount() {
    return keys.size();
  }

  /** The key with index {@code index}. */
  public Key key(int index) {
    return keys.get(index);
  }

  /** The index of {@code item}'s key, or -1 when the item's key is outside the key space. */
  public int indexOf(Item item) {
    Key k;
    try {
      k = schema.keyOf(item);
    } catch (RuntimeException e) {
      return -1;
    }
    Integer i = indexByKey.get(k);
    return i == null ? -1 : i;
  }

  /** The partition (0 ..) of key index {@code index}. */
  public int partitionOf(int index) {
    return index / sortKeys;
  }

  /** The partition key value of partition {@code p}. */
  public AttributeValue partitionValue(int p) {
    return switch (kind) {
      case PK_S -> AttributeValue.s("k" + p);
      case SK_SN -> AttributeValue.s("p" + p);
      case SK_NB -> AttributeValue.n(p * 1000L + 7);
    };
  }

  private AttributeValue sortValue(int s) {
    if (kind == Kind.SK_SN) {
      return AttributeValue.n(s % 4 == 1 ? (s * 3 - 50) + ".25" : Integer.toString(s * 3 - 50));
    }
    byte[] b = new byte[1 + s % 5];
    b[0] = (byte) (s * 5); // unique per s below 52; the tail varies the length
    for (int i = 1; i < b.length; i++) {
      b[i] = (byte) (i % 2 == 0 ? 0x00 : 0xff);
    }
    return AttributeValue.b(b);
  }

  /** The CreateTable request for this table. */
  public TableSpec spec() {
    TableSpec.Builder b =
        TableSpec.builder()
            .name(name)
            .partitionKey(schema.partitionKeyName(), schema.partitionKeyType());
    if (schema.hasSortKey()) {
      b.sortKey(schema.sortKeyName(), schema.sortKeyType());
    }
    if (pageTargetBytes > 0) {
      b.pageTargetBytes(pageTargetBytes);
    }
    return b.build();
  }

  @Override
  public String toString() {
    return name + "(" + kind + ", " + keyCount() + " keys)";
  }
}
