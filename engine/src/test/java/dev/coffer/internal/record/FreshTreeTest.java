package dev.coffer.internal.record;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coffer.internal.record.FreshTree.Key;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * A scan page's search of one bucket for the partitions it did not meet ({@link
 * FreshTree#missedIn}) finds what reading every key of the bucket finds (the algorithm it
 * replaced): on random sorted buckets of node keys and of keys planted from outside (shorter than a
 * token, or longer than a node key), with partitions of one key and of many, over random token
 * ranges (open-ended, empty, reversed) and random sets of met partitions.
 */
class FreshTreeTest {
  private static final int N = RecordKeys.TOKEN_BYTES;

  /** A token from a small alphabet, so that keys share tokens and ranges hit them exactly. */
  private static byte[] token(Random rnd) {
    byte[] t = new byte[N];
    int[] firsts = {0x00, 0x01, 0x7F, 0x80, 0xFF};
    t[0] = (byte) firsts[rnd.nextInt(firsts.length)];
    for (int i = 1; i < N; i++) {
      t[i] = rnd.nextInt(4) == 0 ? (byte) 0 : (byte) rnd.nextInt(3);
      if (i > 3 && rnd.nextInt(3) == 0) {
        break; // trailing zeros: a short key padded with zeros has this token
      }
    }
    return t;
  }

  private static byte[] key(Random rnd, List<byte[]> tokens) {
    byte[] t = tokens.get(rnd.nextInt(tokens.size()));
    return switch (rnd.nextInt(10)) {
      case 0 -> Arrays.copyOf(t, rnd.nextInt(N)); // planted: shorter than a token
      case 1 -> Arrays.copyOf(t, RecordKeys.NODE_KEY_BYTES + 1 + rnd.nextInt(8)); // planted: longer
      default -> RecordKeys.node(t, rnd.nextInt(1 + rnd.nextInt(40)));
    };
  }

  /** The algorithm {@link FreshTree#missedIn} replaced: every key read and tested. */
  private static void linear(
      byte[][] keys, byte[] from, byte[] to, List<byte[]> met, Map<Key, byte[]> out) {
    for (byte[] key : keys) {
      byte[] k = key.length >= N ? key : RecordKeys.token(key);
      if (Arrays.compareUnsigned(k, 0, N, from, 0, N) >= 0
          && (to == null || Arrays.compareUnsigned(k, 0, N, to, 0, N) < 0)
          && met.stream().noneMatch(m -> Arrays.equals(m, 0, N, k, 0, N))) {
        out.putIfAbsent(new Key(RecordKeys.token(k)), k);
      }
    }
  }

  @Property(tries = 2000)
  void searchingABucketFindsWhatReadingEveryKeyFinds(
      @ForAll long seed,
      @ForAll @IntRange(min = 0, max = 300) int size,
      @ForAll @IntRange(min = 1, max = 30) int partitions) {
    Random rnd = new Random(seed);
    List<byte[]> tokens = new ArrayList<>();
    for (int i = 0; i < partitions; i++) {
      tokens.add(token(rnd));
    }
    TreeSet<Key> sorted = new TreeSet<>();
    for (int i = 0; i < size; i++) {
      sorted.add(new Key(key(rnd, tokens)));
    }
    byte[][] keys = sorted.stream().map(Key::bytes).toArray(byte[][]::new);
    byte[] from = rnd.nextInt(3) == 0 ? new byte[N] : token(rnd);
    byte[] to = rnd.nextInt(4) == 0 ? null : rnd.nextBoolean() ? token(rnd) : tokens.get(0);
    TreeSet<Key> metSet = new TreeSet<>();
    for (byte[] t : tokens) {
      if (rnd.nextBoolean()) {
        metSet.add(new Key(t));
      }
    }
    for (int i = rnd.nextInt(4); i > 0; i--) {
      metSet.add(new Key(token(rnd))); // met, but not in this bucket
    }
    List<byte[]> met = metSet.stream().map(Key::bytes).toList();

    Map<Key, byte[]> want = new TreeMap<>();
    linear(keys, from, to, met, want);
    Map<Key, byte[]> have = new TreeMap<>();
    FreshTree.missedIn(keys, from, to, met, have);

    assertThat(have.keySet()).containsExactlyElementsOf(want.keySet());
    for (Map.Entry<Key, byte[]> e : want.entrySet()) {
      assertThat(have.get(e.getKey())).isEqualTo(e.getValue());
    }
  }

  @Property(tries = 200)
  void aRangeInsideOneLargePartitionFindsItOnce(
      @ForAll long seed, @ForAll @IntRange(min = 1, max = 2000) int records) {
    Random rnd = new Random(seed);
    byte[] big = token(rnd);
    TreeSet<Key> sorted = new TreeSet<>();
    for (int i = 0; i < records; i++) {
      sorted.add(new Key(RecordKeys.node(big, rnd.nextInt(1 << 20))));
    }
    byte[][] keys = sorted.stream().map(Key::bytes).toArray(byte[][]::new);
    Map<Key, byte[]> have = new TreeMap<>();
    FreshTree.missedIn(keys, big, null, List.of(), have);
    assertThat(have).hasSize(1).containsOnlyKeys(new Key(big));
    have.clear();
    FreshTree.missedIn(keys, big, null, List.of(big), have);
    assertThat(have).isEmpty();
  }
}
