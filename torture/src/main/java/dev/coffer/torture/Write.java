package dev.coffer.torture;

import java.util.Objects;

/**
 * One item write of an operation: a put of the item {@link ItemFactory} makes for (table, key,
 * value id, size), or a delete. Its journal form is {@code P,<table>,<key index>,<size>} or {@code
 * D,<table>,<key index>}. Immutable.
 *
 * @param table the table name
 * @param keyIndex the key's index in the table's {@link TableShape}
 * @param size the payload size of a put; -1 for a delete
 */
public record Write(String table, int keyIndex, int size) {
  public Write {
    Objects.requireNonNull(table, "table");
    if (table.isEmpty() || table.contains(",") || table.contains(" ")) {
      throw new IllegalArgumentException(
          "table names in the journal have no commas or spaces: " + table);
    }
    if (keyIndex < 0 || size < -1) {
      throw new IllegalArgumentException("bad write " + table + " " + keyIndex + " " + size);
    }
  }

  /** A put of a generated item with {@code size} payload bytes. */
  public static Write put(String table, int keyIndex, int size) {
    return new Write(table, keyIndex, size);
  }

  /** A delete. */
  public static Write delete(String table, int keyIndex) {
    return new Write(table, keyIndex, -1);
  }

  public boolean isDelete() {
    return size < 0;
  }

  /** The journal form. */
  public String encode() {
    return isDelete() ? "D," + table + "," + keyIndex : "P," + table + "," + keyIndex + "," + size;
  }

  /** Parses the journal form. @throws IllegalArgumentException when it is malformed */
  public static Write decode(String s) {
    String[] f = s.split(",", -1);
    try {
      if (f.length == 3 && f[0].equals("D")) {
        return delete(f[1], Integer.parseInt(f[2]));
      }
      if (f.length == 4 && f[0].equals("P")) {
        return put(f[1], Integer.parseInt(f[2]), Integer.parseInt(f[3]));
      }
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("malformed write in the journal: " + s, e);
    }
    throw new IllegalArgumentException("malformed write in the journal: " + s);
  }

  /** The value id of this write as the {@code index}th write of operation {@code opId}. */
  public static String valueId(String opId, int index) {
    return opId + "/" + index;
  }
}
