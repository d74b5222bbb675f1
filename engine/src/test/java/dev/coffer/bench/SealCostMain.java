package dev.coffer.bench;

import dev.coffer.internal.keys.AeadKey;
import dev.coffer.internal.page.AssociatedData;
import dev.coffer.internal.page.PageCipher;
import dev.coffer.internal.page.RecordKind;
import java.security.SecureRandom;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * A throwaway timed loop (not a test, not JMH): {@link PageCipher} seal and open against the bare
 * JDK {@code AES/GCM/NoPadding} (one reused {@link Cipher}, a {@link SecretKeySpec}, a counter as
 * nonce, the same 73-byte associated data) at 256 B, 4 KiB and 16 KiB, interleaved, in one JVM;
 * and the cost of 12-byte nonces from several generators.
 */
public final class SealCostMain {
  private SealCostMain() {}

  private static double median(double[] xs) {
    double[] s = xs.clone();
    java.util.Arrays.sort(s);
    return s[s.length / 2];
  }

  public static void main(String[] args) throws Exception {
    byte[] keyBytes = new byte[32];
    new SecureRandom().nextBytes(keyBytes);
    AeadKey key = AeadKey.wrap(keyBytes.clone());
    SecretKeySpec spec = new SecretKeySpec(keyBytes, "AES");
    byte[] ad = AssociatedData.of(RecordKind.PAGE, 1, new byte[16], new byte[16], new byte[16], 0, 0);
    Cipher bare = Cipher.getInstance("AES/GCM/NoPadding");
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
    for (int round = 0; round < rounds; round++) {
      System.out.println("round " + round + (round == 0 ? " (warm-up)" : ""));
      for (int size : new int[] {256, 4096, 16384}) {
        byte[] plain = new byte[size];
        int m = (int) Math.max(200, (4L << 20) / size); // ~4 MiB per batch
        int reps = 30;
        double[] sealRatio = new double[reps];
        double[] openRatio = new double[reps];
        double[] bareSeal = new double[reps];
        double[] cofferSeal = new double[reps];
        double[] bareOpen = new double[reps];
        double[] cofferOpen = new double[reps];
        long nonce = 0;
        byte[] iv = new byte[12];
        for (int r = 0; r < reps; r++) {
          // bare JDK: seal m, open m; then Coffer: seal m, open m (batches interleaved)
          byte[] out = null;
          long t0 = System.nanoTime();
          for (int i = 0; i < m; i++) {
            nonce++;
            for (int b = 0; b < 8; b++) {
              iv[4 + b] = (byte) (nonce >>> (56 - 8 * b));
            }
            bare.init(Cipher.ENCRYPT_MODE, spec, new GCMParameterSpec(128, iv));
            bare.updateAAD(ad);
            out = bare.doFinal(plain);
          }
          long t1 = System.nanoTime();
          for (int i = 0; i < m; i++) {
            bare.init(Cipher.DECRYPT_MODE, spec, new GCMParameterSpec(128, iv));
            bare.updateAAD(ad);
            bare.doFinal(out);
          }
          long t2 = System.nanoTime();
          byte[] sealed = null;
          for (int i = 0; i < m; i++) {
            sealed = PageCipher.seal(key, 1, ad, plain);
          }
          long t3 = System.nanoTime();
          for (int i = 0; i < m; i++) {
            PageCipher.open(sealed, v -> key, v -> ad, "t", "here");
          }
          long t4 = System.nanoTime();
          bareSeal[r] = (t1 - t0) / (double) m;
          bareOpen[r] = (t2 - t1) / (double) m;
          cofferSeal[r] = (t3 - t2) / (double) m;
          cofferOpen[r] = (t4 - t3) / (double) m;
          sealRatio[r] = bareSeal[r] / cofferSeal[r];
          openRatio[r] = bareOpen[r] / cofferOpen[r];
        }
        System.out.printf("  %5d B  seal: bare %7.0f ns (%4.2f GB/s)  coffer %7.0f ns (%4.2f GB/s)  coffer/bare"
            + " throughput %5.1f%%  | open: bare %7.0f ns  coffer %7.0f ns  %5.1f%%   (medians of %d interleaved"
            + " batches)%n", size, median(bareSeal), size / median(bareSeal), median(cofferSeal),
            size / median(cofferSeal), 100 * median(sealRatio), median(bareOpen), median(cofferOpen),
            100 * median(openRatio), reps);
      }
      byte[] nonce = new byte[12];
      try {
        int n = 300_000;
        byte[] nb = new byte[12];
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
          dev.coffer.internal.page.PageCipherNonces.next(nb);
        }
        long t1 = System.nanoTime();
        System.out.printf("  nonce %-22s %6.0f ns%n", "coffer CTR_DRBG", (t1 - t0) / (double) n);
      } catch (NoClassDefFoundError e) {
        System.out.println("  (no CTR_DRBG nonce source in these classes)");
      }
      for (String alg : new String[] {"default", "NativePRNGNonBlocking", "DRBG", "SHA1PRNG"}) {
        SecureRandom r = alg.equals("default") ? new SecureRandom() : SecureRandom.getInstance(alg);
        int n = 300_000;
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
          r.nextBytes(nonce);
        }
        long t1 = System.nanoTime();
        System.out.printf("  nonce %-22s %6.0f ns (%s)%n", alg, (t1 - t0) / (double) n, r.getAlgorithm());
      }
    }
  }
}
