package dev.coffer.internal.record;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * What an instance expects of a blind write ({@link SharedBlindWrites}): a root for partitions it
 * wrote or read and did not delete since, and for the others when most recent blind writes found
 * one; partitions are told apart by table key and token.
 */
class SharedBlindWritesTest {
  private static byte[] token(int i) {
    byte[] t = new byte[16];
    Arrays.fill(t, (byte) i);
    return t;
  }

  @Test
  void expectsARootWhereItWroteOneAndWhereMostWritesFoundOne() {
    var known = SharedBlindWrites.knownRoots();
    SharedBlindWrites a = new SharedBlindWrites(known, new byte[16]);
    byte[] tableB = new byte[16];
    tableB[0] = 1;
    SharedBlindWrites b = new SharedBlindWrites(known, tableB);

    assertThat(a.expectsRoot(token(1))).as("a new table's writes are inserts").isFalse();
    a.record(token(1), false);
    assertThat(a.expectsRoot(token(1))).as("written by this instance").isTrue();
    assertThat(b.expectsRoot(token(1))).as("the same token in another table").isFalse();
    a.forget(token(1));
    assertThat(a.expectsRoot(token(1))).as("deleted by this instance").isFalse();
    b.seen(token(2));
    assertThat(b.expectsRoot(token(2))).as("a root read").isTrue();

    // writes finding a root: the 11th moves the share past 1/2 (1 - (15/16)^11 > 1/2)
    for (int i = 0; i < 10; i++) {
      a.record(token(100 + i), true);
    }
    assertThat(a.expectsRoot(token(99))).isFalse();
    a.record(token(110), true);
    assertThat(a.expectsRoot(token(99))).isTrue();
    assertThat(b.expectsRoot(token(99))).as("the share is per table").isFalse();
    // and inserts move it back
    a.record(token(120), false);
    assertThat(a.expectsRoot(token(99))).isFalse();
  }
}
