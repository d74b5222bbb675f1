package dev.coffer.torture;

import dev.coffer.Coffer;
import dev.coffer.Item;
import dev.coffer.Table;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the child's workers share: the open store, the live tables and their handles, and the random
 * choices of tables, keys and sizes. Thread-safe.
 *
 * <p>Keys: a quarter of the choices fall on a small hot set (the first 8 keys of a table) that
 * every writer thread uses, so the same key is written by several threads at once. In tables with a
 * sort key, each partition alternates (every 2.5 s, staggered) between growing (most puts go there)
 * and shrinking (most deletes go there), so its tree splits into more levels and merges back.
 * Sizes: mostly under 200 bytes, some up to 3 KB and 20 KB, and one in a hundred 40-120 KB (bigger
 * than any page, so it gets a page of its own).
 */
public final class WorkloadContext {
  private static final int HOT_KEYS = 8;
  private static final long PHASE_MILLIS = 2500;

  private final Coffer coffer;
  private final Map<String, TableShape> live = new ConcurrentHashMap<>();
  private final Map<String, Table> handles = new ConcurrentHashMap<>();

  public WorkloadContext(Coffer coffer) {
    this.coffer = coffer;
  }

  public Coffer coffer() {
    return coffer;
  }

  /** Makes {@code shape} available to the writers. */
  public void addTable(TableShape shape) {
    live.put(shape.name(), shape);
  }

  /** Stops new operations on {@code name} (before it is deleted). */
  public void removeTable(String name) {
    live.remove(name);
    handles.remove(name);
  }

  /** The live tables, at this moment. */
  public List<TableShape> liveTables() {
    return new ArrayList<>(live.values());
  }

  /** The shape of {@code name} (live or not). */
  public TableShape shape(String name) {
    TableShape s = live.get(name);
    return s != null ? s : TableShape.forName(name);
  }

  /**
   * A handle of table {@code name}; throws {@code ResourceNotFoundException} once it is deleted.
   */
  public Table table(String name) {
    Table t = handles.get(name);
    if (t == null) {
      t = coffer.table(name);
      handles.put(name, t);
    }
    return t;
  }

  /** A live table: each core table weighs 4, each table of the DDL thread 1. Null when none. */
  public TableShape pickTable(SplittableRandom rnd) {
    List<TableShape> tables = liveTables();
    if (tables.isEmpty()) {
      return null;
    }
    int total = 0;
    for (TableShape t : tables) {
      total += t.isCore() ? 4 : 1;
    }
    int r = rnd.nextInt(total);
    for (TableShape t : tables) {
      r -= t.isCore() ? 4 : 1;
      if (r < 0) {
        return t;
      }
    }
    return tables.get(tables.size() - 1);
  }

  /** A key index of {@code t}, for a put ({@code growing}) or a delete. */
  public int pickKey(TableShape t, boolean growing, SplittableRandom rnd) {
    if (rnd.nextInt(4) == 0) {
      return rnd.nextInt(Math.min(HOT_KEYS, t.keyCount()));
    }
    if (t.sortKeys() == 1) {
      return rnd.nextInt(t.keyCount());
    }
    int p = rnd.nextInt(t.partitions());
    if (rnd.nextInt(5) != 0) {
      long phase = System.currentTimeMillis() / PHASE_MILLIS + (t.name().hashCode() & 7);
      for (int i = 0; i < t.partitions(); i++) {
        int q = (p + i) % t.partitions();
        if (((phase + q) % 2 == 0) == growing) {
          p = q;
          break;
        }
      }
    }
    return p * t.sortKeys() + rnd.nextInt(t.sortKeys());
  }

  /** A payload size. */
  public int pickSize(SplittableRandom rnd) {
    int r = rnd.nextInt(100);
    if (r < 70) {
      return rnd.nextInt(200);
    } else if (r < 92) {
      return rnd.nextInt(200, 3000);
    } else if (r < 99) {
      return rnd.nextInt(3000, 20_000);
    }
    return rnd.nextInt(40_000, 120_000);
  }

  /** The item of the {@code index}th write {@code w} of operation {@code opId}. */
  public Item item(Write w, String opId, int index) {
    return ItemFactory.item(shape(w.table()), w.keyIndex(), Write.valueId(opId, index), w.size());
  }
}
