package dev.coffer.bench;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@link CipherBenchmark}'s ciphers measured interleaved, for machines too noisy for JMH's error
 * bars: in each round every cipher seals (then opens) {@code --ops} messages on this thread, the
 * ciphers taking turns in an order that rotates every round; the cost is the thread's CPU time per
 * operation, and the report gives, per size and operation, each cipher's median and the median
 * [quartiles] of its per-round ratios against {@code jdk-aes-gcm-os-nonces} (equal nonces) and
 * {@code jdk-aes-gcm} (user-space nonces). Both sides do the same work with the same memory: one
 * key, 73 bytes of associated data, a newly allocated output per seal, opens cycling through eight
 * messages sealed before the round.
 *
 * <pre>
 * ./mvnw -B -ntp package -pl bench -am -DskipTests
 * java -cp bench/target/benchmarks.jar dev.coffer.bench.CipherInterleaved --sizes=4096,16384 \
 *     --rounds=40 --warmup-rounds=10 --ops=2000
 * </pre>
 */
public final class CipherInterleaved {
  private static final List<String> CIPHERS =
      List.of("jdk-aes-gcm", "jdk-aes-gcm-os-nonces", "coffer-page");
  private static final int RING = 8;

  private CipherInterleaved() {}

  /** Runs the measurement and prints a Markdown table. */
  public static void main(String[] args) throws Exception {
    List<Integer> sizes = new ArrayList<>();
    int rounds = 40;
    int warmup = 10;
    int ops = 2000;
    for (String a : args) {
      String[] kv = a.replaceFirst("^--", "").split("=", 2);
      switch (kv[0]) {
        case "sizes" -> {
          for (String s : kv[1].split(",")) {
            sizes.add(Integer.parseInt(s));
          }
        }
        case "rounds" -> rounds = Integer.parseInt(kv[1]);
        case "warmup-rounds" -> warmup = Integer.parseInt(kv[1]);
        case "ops" -> ops = Integer.parseInt(kv[1]);
        default -> throw new IllegalArgumentException("unknown option " + a);
      }
    }
    if (sizes.isEmpty()) {
      sizes = List.of(4096, 16384);
    }
    SecureRandom random = new SecureRandom();
    byte[] key = new byte[32];
    random.nextBytes(key);
    byte[] ad = new byte[CipherBenchmark.AD_BYTES];
    random.nextBytes(ad);
    System.out.printf(
        Locale.ROOT,
        "%d rounds (after %d warm-up) x %d ops, load average %.1f at start%n%n",
        rounds,
        warmup,
        ops,
        CpuMeter.loadAverage());
    System.out.println(
        "| op | size (B) | cipher | median ns/op (thread CPU) | vs os-nonces: median [q1-q3] |"
            + " vs jdk-aes-gcm: median [q1-q3] |");
    System.out.println("| --- | ---: | --- | ---: | ---: | ---: |");
    for (int size : sizes) {
      byte[] plaintext = new byte[size];
      random.nextBytes(plaintext);
      CipherBenchmark.Sealer[] sealers = new CipherBenchmark.Sealer[CIPHERS.size()];
      byte[][][] sealed = new byte[CIPHERS.size()][RING][];
      for (int c = 0; c < sealers.length; c++) {
        sealers[c] = CipherBenchmark.Sealer.create(CIPHERS.get(c), key, ad);
      }
      double[][][] cost = new double[2][CIPHERS.size()][rounds]; // [seal/open][cipher][round]
      long sink = 0;
      for (int round = -warmup; round < rounds; round++) {
        for (int turn = 0; turn < sealers.length; turn++) {
          int c = Math.floorMod(turn + round, sealers.length);
          CipherBenchmark.Sealer s = sealers[c];
          long t0 = CpuMeter.threadCpu();
          for (int i = 0; i < ops; i++) {
            byte[] out = s.seal(plaintext);
            sink += out[out.length - 1];
            if (i < RING) {
              sealed[c][i] = out;
            }
          }
          long t1 = CpuMeter.threadCpu();
          for (int i = 0; i < ops; i++) {
            sink += s.open(sealed[c][i & (RING - 1)]).length;
          }
          long t2 = CpuMeter.threadCpu();
          if (round >= 0) {
            cost[0][c][round] = (t1 - t0) / (double) ops;
            cost[1][c][round] = (t2 - t1) / (double) ops;
          }
        }
      }
      for (int op = 0; op < 2; op++) {
        for (int c = 0; c < sealers.length; c++) {
          RoundStats.Summary vsOs =
              new RoundStats.Summary(RoundStats.ratios(cost[op][c], cost[op][1]));
          RoundStats.Summary vsDrbg =
              new RoundStats.Summary(RoundStats.ratios(cost[op][c], cost[op][0]));
          System.out.printf(
              Locale.ROOT,
              "| %s | %d | %s | %.0f | %.2fx [%.2f-%.2f] | %.2fx [%.2f-%.2f] |%n",
              op == 0 ? "seal" : "open",
              size,
              CIPHERS.get(c),
              RoundStats.median(cost[op][c]),
              vsOs.median,
              vsOs.q1,
              vsOs.q3,
              vsDrbg.median,
              vsDrbg.q1,
              vsDrbg.q3);
        }
      }
      if (sink == 42) {
        System.out.println(); // keeps the results alive
      }
    }
  }
}
