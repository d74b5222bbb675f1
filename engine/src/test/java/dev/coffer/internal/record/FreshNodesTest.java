package dev.coffer.internal.record;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coffer.internal.record.FreshNodes.Bucket;
import dev.coffer.internal.record.FreshNodes.Inner;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * The freshness map's formats ({@link FreshDigest}, {@link FreshNodes}): the digest of a value does
 * not depend on how it was written (a put of the whole, or a put of a prefix of whole fields and
 * appends of the rest), any other value has another digest, and nodes decode to what was encoded
 * only at their own place.
 */
class FreshNodesTest {
  /** A length-delimited protobuf field (tag 1 or 2, wire type 2) holding {@code body}. */
  private static byte[] field(int number, byte[] body) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write((number << 3) | 2);
    int n = body.length;
    while (n >= 0x80) {
      out.write((n & 0x7F) | 0x80);
      n >>>= 7;
    }
    out.write(n);
    out.writeBytes(body);
    return out.toByteArray();
  }

  private static List<byte[]> fields(long seed, int count) {
    Random rnd = new Random(seed);
    List<byte[]> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      byte[] body = new byte[rnd.nextInt(i == 0 ? 400 : 200)];
      rnd.nextBytes(body);
      out.add(field(i == 0 ? 1 : 2, body));
    }
    return out;
  }

  private static byte[] concat(List<byte[]> parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    parts.forEach(out::writeBytes);
    return out.toByteArray();
  }

  @Property(tries = 200)
  void theDigestOfAValueDoesNotDependOnHowItWasWritten(
      @ForAll long seed,
      @ForAll @IntRange(min = 1, max = 12) int count,
      @ForAll @IntRange(min = 1, max = 12) int cut) {
    List<byte[]> f = fields(seed, count);
    int k = Math.min(cut, count);
    byte[] digest = FreshDigest.of(concat(f.subList(0, k)));
    for (int i = k; i < count; i++) {
      digest = FreshDigest.extend(digest, f.get(i)); // one append per delta record
    }
    assertThat(digest).isEqualTo(FreshDigest.of(concat(f)));
    if (k < count) { // several records appended at once
      assertThat(
              FreshDigest.extend(
                  FreshDigest.of(concat(f.subList(0, k))), concat(f.subList(k, count))))
          .isEqualTo(digest);
    }
  }

  @Property(tries = 200)
  void aValueWithRecordsRemovedReplacedOrReorderedHasAnotherDigest(
      @ForAll long seed, @ForAll @IntRange(min = 2, max = 8) int count) {
    List<byte[]> f = fields(seed, count);
    byte[] whole = FreshDigest.of(concat(f));
    assertThat(FreshDigest.of(concat(f.subList(0, count - 1)))).isNotEqualTo(whole);
    List<byte[]> swapped = new ArrayList<>(f);
    swapped.set(0, f.get(1));
    swapped.set(1, f.get(0));
    if (!Arrays.equals(f.get(0), f.get(1))) {
      assertThat(FreshDigest.of(concat(swapped))).isNotEqualTo(whole);
    }
    byte[] flipped = concat(f);
    flipped[flipped.length - 1] ^= 1;
    assertThat(FreshDigest.of(flipped)).isNotEqualTo(whole);
  }

  @Property(tries = 100)
  void nodesDecodeToWhatWasEncodedOnlyAtTheirOwnPlace(
      @ForAll @Size(16) byte[] tableId,
      @ForAll @IntRange(min = 0, max = 65535) int bucketIndex,
      @ForAll long seed) {
    Random rnd = new Random(seed);
    TreeSet<byte[]> sorted = new TreeSet<>(Arrays::compareUnsigned);
    int n = 1 + rnd.nextInt(20);
    while (sorted.size() < n) {
      byte[] k = new byte[24];
      rnd.nextBytes(k);
      sorted.add(k);
    }
    byte[][] keys = sorted.toArray(new byte[0][]);
    byte[][] digests = new byte[n][];
    for (int i = 0; i < n; i++) {
      digests[i] = new byte[32];
      rnd.nextBytes(digests[i]);
    }
    byte[][] stored = new byte[1][];
    Bucket b = FreshNodes.bucket(tableId, bucketIndex, keys, digests, stored);
    assertThat(b.digest()).isEqualTo(FreshDigest.sha256(stored[0]));
    Bucket decoded =
        (Bucket)
            FreshNodes.decode(tableId, FreshNodes.BUCKET_LEVEL, bucketIndex, stored[0], b.digest());
    for (int i = 0; i < n; i++) {
      assertThat(decoded.get(keys[i])).isEqualTo(digests[i]);
    }
    assertThat(
            FreshNodes.decode(
                tableId, FreshNodes.BUCKET_LEVEL, bucketIndex ^ 1, stored[0], b.digest()))
        .as("another bucket's place")
        .isNull();
    assertThat(FreshNodes.decode(tableId, 3, bucketIndex >>> 4, stored[0], b.digest()))
        .as("an inner node's place")
        .isNull();

    byte[][] children = new byte[FreshNodes.FANOUT][];
    for (int i = 0; i < FreshNodes.FANOUT; i++) {
      if (rnd.nextBoolean()) {
        children[i] = digests[i % n];
      }
    }
    children[rnd.nextInt(FreshNodes.FANOUT)] = digests[0];
    int level = rnd.nextInt(4);
    int index = bucketIndex >>> (4 * (4 - level));
    Inner inner = FreshNodes.inner(tableId, level, index, children, stored);
    Inner back = (Inner) FreshNodes.decode(tableId, level, index, stored[0], inner.digest());
    for (int i = 0; i < FreshNodes.FANOUT; i++) {
      assertThat(back.children()[i]).isEqualTo(children[i]);
    }
    byte[] otherTable = tableId.clone();
    otherTable[0] ^= 1;
    assertThat(FreshNodes.decode(otherTable, level, index, stored[0], inner.digest())).isNull();
    assertThat(FreshNodes.inner(tableId, level, index, new byte[FreshNodes.FANOUT][], stored))
        .as("an empty node is not stored")
        .isNull();
  }

  @Property(tries = 100)
  void slotsAndIndexesFollowTheBucketDownTheTree(@ForAll @IntRange(min = 0, max = 65535) int b) {
    assertThat(FreshNodes.indexAt(0, b)).isZero();
    assertThat(FreshNodes.indexAt(FreshNodes.BUCKET_LEVEL, b)).isEqualTo(b);
    for (int level = 0; level < FreshNodes.BUCKET_LEVEL; level++) {
      assertThat(FreshNodes.indexAt(level + 1, b))
          .isEqualTo(
              FreshNodes.indexAt(level, b) * FreshNodes.FANOUT + FreshNodes.slotAt(level, b));
    }
  }

  /**
   * The nodes of one partition spread over the 256 buckets of its token's first byte, rather than
   * sharing one bucket (a large partition would make one large bucket, rewritten on every write).
   */
  @Property(tries = 20)
  void aPartitionsNodesSpreadOverBuckets(@ForAll @Size(16) byte[] token) {
    TreeSet<Integer> buckets = new TreeSet<>();
    for (long id = 0; id < 2000; id++) {
      int b = FreshNodes.bucketOf(RecordKeys.node(token, id));
      assertThat(b >>> 8).isEqualTo(token[0] & 0xFF);
      buckets.add(b);
    }
    assertThat(buckets.size()).isGreaterThan(200);
    // deterministic
    assertThat(FreshNodes.bucketOf(RecordKeys.node(token, 7)))
        .isEqualTo(FreshNodes.bucketOf(RecordKeys.node(token.clone(), 7)));
  }

  /**
   * Records met in key order come out grouped by bucket, buckets ascending, each bucket's keys
   * ascending and all of that bucket, every record once.
   */
  @Property(tries = 50)
  void theGrouperHandsOutEveryBucketOnceInOrder(
      @ForAll @Size(max = 300) List<@Size(16) byte[]> ks) {
    TreeSet<byte[]> sorted = new TreeSet<>(Arrays::compareUnsigned);
    sorted.addAll(ks);
    List<Integer> seen = new ArrayList<>();
    int[] count = {0};
    FreshNodes.Grouper g =
        new FreshNodes.Grouper(
            (index, keys, digests) -> {
              seen.add(index);
              for (int i = 0; i < keys.length; i++) {
                assertThat(FreshNodes.bucketOf(keys[i])).isEqualTo(index);
                assertThat(digests[i]).isEqualTo(keys[i]);
                if (i > 0) {
                  assertThat(Arrays.compareUnsigned(keys[i - 1], keys[i])).isNegative();
                }
              }
              count[0] += keys.length;
            });
    for (byte[] k : sorted) {
      g.add(k, k);
    }
    g.flush();
    assertThat(seen).isSorted().doesNotHaveDuplicates();
    assertThat(count[0]).isEqualTo(sorted.size());
  }
}
