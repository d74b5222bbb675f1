package dev.coffer.internal.record;

import dev.coffer.internal.record.FreshNodes.Node;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The freshness-map nodes held in memory ({@link FreshStore}), least recently used first out,
 * within a strict byte bound: the sum of the stored lengths of the nodes held (plus {@value
 * #OVERHEAD} bytes each for the objects) never exceeds the capacity, at any instant. A node is only
 * ever a copy of what is on disk: every use checks it against its parent's digest ({@link
 * FreshTree}), so a node evicted, or stale, is read again. Thread-safe (one monitor; its work is a
 * hash-map step).
 */
final class FreshCache {
  /** Bytes counted per node besides its stored length: the objects and the map's entry. */
  static final int OVERHEAD = 160;

  private record Slot(FreshTree tree, int level, int index) {}

  private final long capacity;
  private final LinkedHashMap<Slot, Node> nodes = new LinkedHashMap<>(256, 0.75f, true);
  private long bytes;
  private long hits;
  private long misses;

  FreshCache(long capacity) {
    this.capacity = capacity;
  }

  private static long weight(Node n) {
    return n.storedBytes() + OVERHEAD;
  }

  synchronized Node get(FreshTree tree, int level, int index) {
    Node n = nodes.get(new Slot(tree, level, index));
    if (n == null) {
      misses++;
    } else {
      hits++;
    }
    return n;
  }

  synchronized void put(FreshTree tree, int level, int index, Node node) {
    long w = weight(node);
    Node old = nodes.remove(new Slot(tree, level, index));
    if (old != null) {
      bytes -= weight(old);
    }
    if (w > capacity) {
      return;
    }
    Iterator<Map.Entry<Slot, Node>> it = nodes.entrySet().iterator();
    while (bytes + w > capacity && it.hasNext()) {
      bytes -= weight(it.next().getValue());
      it.remove();
    }
    nodes.put(new Slot(tree, level, index), node);
    bytes += w;
  }

  synchronized void remove(FreshTree tree, int level, int index) {
    Node old = nodes.remove(new Slot(tree, level, index));
    if (old != null) {
      bytes -= weight(old);
    }
  }

  synchronized void removeTable(FreshTree tree) {
    Iterator<Map.Entry<Slot, Node>> it = nodes.entrySet().iterator();
    while (it.hasNext()) {
      Map.Entry<Slot, Node> e = it.next();
      if (e.getKey().tree() == tree) {
        bytes -= weight(e.getValue());
        it.remove();
      }
    }
  }

  /** {bytes held, capacity, hits, misses}. */
  synchronized long[] counts() {
    return new long[] {bytes, capacity, hits, misses};
  }
}
