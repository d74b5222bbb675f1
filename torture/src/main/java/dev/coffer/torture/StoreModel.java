package dev.coffer.torture;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the parent knows for sure about the store between cycles: the master key that opens it, its
 * tables with their primary data-key version and destroyed versions, and (in {@link #items()})
 * every key's item. Each check replaces it with what the reopened store showed. Not thread-safe.
 */
final class StoreModel {
  /** One table: its shape, its primary data-key version and the versions known destroyed. */
  static final class TableState {
    final TableShape shape;
    int primary;
    final Set<Integer> destroyed = new HashSet<>();

    TableState(TableShape shape, int primary) {
      this.shape = shape;
      this.primary = primary;
    }
  }

  private final List<String> keyPool;
  private String masterKey;
  private final Map<String, TableState> tables = new LinkedHashMap<>();
  private final ItemModel items = new ItemModel();

  StoreModel(List<String> keyPool, String masterKey) {
    this.keyPool = List.copyOf(keyPool);
    this.masterKey = masterKey;
  }

  /** The master keys of the keystore the children may rewrap to. */
  List<String> keyPool() {
    return keyPool;
  }

  /** The master key that opens the store. */
  String masterKey() {
    return masterKey;
  }

  void masterKey(String key) {
    this.masterKey = key;
  }

  Map<String, TableState> tables() {
    return tables;
  }

  TableState table(String name) {
    return tables.get(name);
  }

  ItemModel items() {
    return items;
  }

  /** The tables' names. */
  List<String> tableNames() {
    return new ArrayList<>(tables.keySet());
  }
}
