package dev.coffer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coffer.fixture.FormatFixture;
import dev.coffer.kms.local.LocalKeyProvider;
import dev.coffer.proto.StoreHeader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15, leftover: the store-key renewal (the master-key rotation that adds the sealed-state
 * pair to the store key's context: a new store key, every record the old catalog key sealed
 * resealed in one batch, the rollback anchor rewritten beside and then over the old one) killed
 * with SIGKILL at random moments. Each cycle takes a fresh copy of the format-2 fixture (a store
 * whose store key predates the pair, so its next rotation renews), starts a {@link CrashChild} in
 * {@code renew} mode (token transactions, then writes beside the renewal) and kills it at a random
 * moment from the line that announces the renewal to about its end (the window: how long the first
 * cycle's renewal took, as the child measured it; that cycle is killed after it). Then the store
 * must open (with its anchor), hold every acknowledged write, the fixture's items and the token
 * records (a token replayed is answered, not applied again), have no renewal anchor left, and, once
 * the renewal committed (finished by the parent when the kill came first), a header from before it
 * must open nothing, even with the state record deleted.
 *
 * <p>{@value #DEFAULT_CYCLES} cycles by default; {@code -Dcoffer.renewal.cycles=N} runs N, and the
 * long crash profile ({@code -Ptorture-long}, docs/testing.md) runs {@value #LONG_CYCLES}.
 */
class RenewalCrashTest {
  private static final Path FIXTURE = Path.of("src/test/resources/fixtures/format2");
  private static final byte[] HEADER = "coffer/header".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] STATE = "coffer/state".getBytes(StandardCharsets.US_ASCII);

  static final int DEFAULT_CYCLES = 5;
  static final int LONG_CYCLES = 100;

  @TempDir Path tmp;

  @Test
  void aProcessKilledDuringTheStoreKeyRenewalLeavesAStoreThatOpensWithEveryAcknowledgedWrite()
      throws Exception {
    int cycles = Integer.getInteger("coffer.renewal.cycles", DEFAULT_CYCLES);
    long seed = Long.getLong("coffer.renewal.seed", System.nanoTime());
    Random rnd = new Random(seed);
    long windowNanos = 0;
    int committedAtKill = 0;
    int finishedByParent = 0;
    int renewalAnchorsLeft = 0;
    for (int cycle = 0; cycle < cycles; cycle++) {
      String what = "seed " + seed + ", cycle " + cycle;
      Path here = tmp.resolve("c" + cycle);
      FormatFixture.copy(FIXTURE, here);
      Path store = here.resolve("store");
      Path keystore = here.resolve("keystore");
      byte[] rawKey = FormatFixture.rawKey(here);
      byte[] oldHeader = header(store);
      assertThat(renewed(oldHeader)).as("the fixture predates the pair").isFalse();
      ChildJvm jvm =
          new ChildJvm(store, keystore, rawKey, FormatFixture.MASTER_KEY, here.resolve("err"));
      String round = "r" + cycle;
      ChildJvm.Running child = jvm.start("renew", round);
      child.awaitLine("RENEWING");
      long seen = System.nanoTime();
      if (cycle == 0) {
        child.awaitLine("RENEWED"); // learn how long a renewal takes (the child's own measure)
        long micros =
            child.lines().stream()
                .filter(l -> l.startsWith("RENEWED "))
                .mapToLong(l -> Long.parseLong(l.substring("RENEWED ".length())))
                .findFirst()
                .orElseThrow();
        windowNanos = Math.max(TimeUnit.MILLISECONDS.toNanos(2), micros * 1000);
      } else {
        LockSupport.parkNanos((long) (rnd.nextDouble() * windowNanos));
      }
      long killedAfter = System.nanoTime() - seen;
      List<String> lines = child.kill();
      boolean reported = lines.stream().anyMatch(l -> l.startsWith("RENEWED"));
      Map<String, Set<Integer>> acked = new HashMap<>();
      for (String l : lines) {
        if (l.startsWith("ACK ")) {
          String[] f = l.split(" ");
          acked.computeIfAbsent(f[2], k -> new HashSet<>()).add(Integer.parseInt(f[3]));
        }
      }
      boolean committed = renewed(header(store));
      System.out.printf(
          "RenewalCrashTest %s: killed %d us after RENEWING was seen, renewal %s%n",
          what, killedAfter / 1000, committed ? "committed" : "not committed");
      assertThat(committed || !reported).as(what + ": a renewal reported is committed").isTrue();
      committedAtKill += committed ? 1 : 0;
      Path anchors = keystore.resolveSibling(keystore.getFileName() + ".anchors");
      Path anchor = StoreDirs.anchorFile(anchors);
      Path renewalAnchor = anchor.resolveSibling(anchor.getFileName() + ".renewal");
      renewalAnchorsLeft += Files.exists(renewalAnchor) ? 1 : 0; // killed around the commit
      try (LocalKeyProvider keys = jvm.provider();
          Coffer c = Coffer.open(store, jvm.options(keys).createIfMissing(false).build())) {
        check(c, acked, round, what);
        if (!committed) {
          c.rotateMasterKey(); // the renewal again, to completion
          finishedByParent++;
          check(c, acked, round, what + " (renewed by the parent)");
        }
      }
      assertThat(renewalAnchor).as(what + ": no renewal anchor left").doesNotExist();
      assertThat(renewed(header(store))).isTrue();
      try (LocalKeyProvider keys = jvm.provider();
          Coffer c = Coffer.open(store, jvm.options(keys).createIfMissing(false).build())) {
        check(c, acked, round, what + " (reopened)");
      }
      // a header from before the renewal opens nothing: not the state, not an entry
      putRaw(store, HEADER, oldHeader);
      try (LocalKeyProvider keys = jvm.provider()) {
        assertThatThrownBy(
                () -> Coffer.open(store, jvm.options(keys).createIfMissing(false).build()))
            .as(what + ": the old header")
            .isInstanceOf(CorruptionException.class);
        deleteRaw(store, STATE);
        assertThatThrownBy(
                () ->
                    Coffer.open(
                        store,
                        jvm.options(keys).createIfMissing(false).acceptRollback(true).build()))
            .as(what + ": the old header without a state record, even accepted")
            .isInstanceOf(CorruptionException.class);
      }
    }
    System.out.printf(
        "RenewalCrashTest: %d cycles (seed %d, kill window %d us): renewal committed at the kill"
            + " in %d, finished by the parent in %d; a renewal anchor left by the kill in %d%n",
        cycles, seed, windowNanos / 1000, committedAtKill, finishedByParent, renewalAnchorsLeft);
  }

  /** Every acknowledged write, the fixture's items and the token records are there. */
  private static void check(Coffer c, Map<String, Set<Integer>> acked, String round, String what) {
    Table t = c.table("renew");
    for (Map.Entry<String, Set<Integer>> e : acked.entrySet()) {
      List<Item> items = new ArrayList<>(t.query(Query.partition(e.getKey())).items());
      for (int sk : e.getValue()) {
        assertThat(items)
            .as(what + ": acknowledged write " + e.getKey() + " " + sk)
            .contains(CrashChild.item(e.getKey(), sk));
      }
    }
    assertThat(c.table("users").getItem(Key.of("user#1"))).as(what + ": fixture item").isPresent();
    Table tok = c.table("tok");
    Key counter = Key.of("c" + round);
    assertThat(tok.getItem(counter).orElseThrow().get("n").n())
        .isEqualTo(Integer.toString(CrashChild.RENEW_TOKENS));
    c.transactWriteItems(CrashChild.tokenRequest(round, 0)); // answered from its token record
    assertThat(tok.getItem(counter).orElseThrow().get("n").n())
        .as(what + ": a token replayed after the renewal is not applied again")
        .isEqualTo(Integer.toString(CrashChild.RENEW_TOKENS));
  }

  private static boolean renewed(byte[] header) throws Exception {
    return StoreHeader.parseFrom(header)
        .getStoreKey()
        .getEncryptionContextMap()
        .containsKey("state");
  }

  private static byte[] header(Path store) throws Exception {
    try (RawStore raw = new RawStore(store)) {
      return raw.get(raw.families().get("default"), HEADER);
    }
  }

  private static void putRaw(Path store, byte[] key, byte[] value) throws Exception {
    try (RawStore raw = new RawStore(store)) {
      raw.put(raw.families().get("default"), key, value);
    }
  }

  private static void deleteRaw(Path store, byte[] key) throws Exception {
    try (RawStore raw = new RawStore(store)) {
      raw.delete(raw.families().get("default"), key);
    }
  }
}
