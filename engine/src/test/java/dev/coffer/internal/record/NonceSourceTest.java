package dev.coffer.internal.record;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coffer.internal.keys.AeadKey;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Set;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.digests.SHAKEDigest;
import org.junit.jupiter.api.Test;

/**
 * The nonce source: fresh per-record halves from the kernel, salts renewed, and what a cloned
 * process (a VM snapshot restored twice, a CRaC checkpoint restored twice) does and does not get.
 */
class NonceSourceTest {
  private static final HexFormat HEX = HexFormat.of();
  private static final int RECORDS = 5_000;

  /**
   * A stand-in for the kernel's generator: a deterministic stream (SHAKE-128 of a seed) that a test
   * can fork, as a restored VM's kernel either reseeds (VM Generation ID) or does not.
   */
  private static final class FakeKernel implements NonceSource.Kernel {
    private SHAKEDigest stream;

    FakeKernel(String seed) {
      reseed(seed);
    }

    void reseed(String seed) {
      stream = new SHAKEDigest(128);
      byte[] s = seed.getBytes(StandardCharsets.UTF_8);
      stream.update(s, 0, s.length);
    }

    @Override
    public void read(byte[] out, int offset, int length) {
      stream.doOutput(out, offset, length);
    }
  }

  private static AeadKey key() {
    byte[] k = new byte[32];
    new SecureRandom().nextBytes(k);
    return AeadKey.wrap(k);
  }

  /** The (derived key, GCM nonce) pair a record with this nonce is sealed under. */
  private static String pair(byte[] rawKey, byte[] nonce) {
    return HEX.formatHex(Xaes256Gcm.deriveKey(new SecretKeySpec(rawKey, "AES"), nonce, 0))
        + "/"
        + HEX.formatHex(Arrays.copyOfRange(nonce, Xaes256Gcm.SALT_BYTES, Xaes256Gcm.NONCE_BYTES));
  }

  /**
   * Two processes started from one snapshot: both sources hold the same state (the same salt for
   * the data key, drawn before the snapshot), then each one's kernel is reseeded differently, as
   * Linux does on a VM Generation ID change. They seal under the same data key; no (derived key,
   * nonce) pair repeats, and every record opens.
   */
  @Test
  void clonedSourcesNeverRepeatAKeyAndNonce() throws Exception {
    byte[] raw = new byte[32];
    new SecureRandom().nextBytes(raw);
    AeadKey dataKey = AeadKey.wrap(raw.clone());
    FakeKernel kernelA = new FakeKernel("before the snapshot");
    FakeKernel kernelB = new FakeKernel("before the snapshot");
    NonceSource a = new NonceSource(kernelA);
    NonceSource b = new NonceSource(kernelB);
    byte[] na = new byte[24];
    byte[] nb = new byte[24];
    a.next(
        dataKey, na, 0); // the state both clones start from: the same salt, the same kernel so far
    b.next(dataKey, nb, 0);
    assertThat(na).isEqualTo(nb);
    kernelA.reseed("clone A after restore");
    kernelB.reseed("clone B after restore");

    Set<String> pairs = new HashSet<>();
    Set<String> derivedKeys = new HashSet<>();
    byte[] plaintext = "a record".getBytes(StandardCharsets.UTF_8);
    for (NonceSource clone : new NonceSource[] {a, b}) {
      for (int i = 0; i < RECORDS; i++) {
        byte[] out = new byte[24 + plaintext.length + 16];
        clone.next(dataKey, out, 0);
        Xaes256Gcm.sealInto(dataKey, out, 0, 24, new byte[0], plaintext);
        String p = pair(raw, Arrays.copyOf(out, 24));
        assertThat(pairs.add(p)).as("record %d of a clone repeats a (key, nonce) pair", i).isTrue();
        derivedKeys.add(p.substring(0, p.indexOf('/')));
        assertThat(Xaes256Gcm.open(dataKey, out, 0, 24, out.length - 24, new byte[0]))
            .isEqualTo(plaintext);
      }
    }
    assertThat(pairs).hasSize(2 * RECORDS);
    // Both clones sealed under the one derived key of their shared salt: their nonces alone kept
    // them apart.
    assertThat(derivedKeys).hasSize(1);
  }

  /**
   * The limit, shown: clones whose kernels were not reseeded (a hypervisor without a VM Generation
   * ID) draw the same bytes and so repeat nonces; nothing in the process can tell.
   */
  @Test
  void clonesWhoseKernelRepeatsRepeatNonces() {
    AeadKey dataKey = key();
    NonceSource a = new NonceSource(new FakeKernel("one kernel state"));
    NonceSource b = new NonceSource(new FakeKernel("one kernel state"));
    byte[] na = new byte[24];
    byte[] nb = new byte[24];
    for (int i = 0; i < 100; i++) {
      a.next(dataKey, na, 0);
      b.next(dataKey, nb, 0);
      assertThat(na).isEqualTo(nb);
    }
  }

  @Test
  void theSaltIsKeptForSealsPerSaltSealsThenRenewed() {
    AeadKey dataKey = key();
    NonceSource s = new NonceSource(new FakeKernel("salts"));
    byte[] n = new byte[24];
    s.next(dataKey, n, 0);
    byte[] first = Arrays.copyOf(n, 12);
    int kept = 1;
    for (int i = 1; i < NonceSource.SEALS_PER_SALT; i++) {
      s.next(dataKey, n, 0);
      kept += Arrays.equals(n, 0, 12, first, 0, 12) ? 1 : 0;
    }
    assertThat(kept).isEqualTo(NonceSource.SEALS_PER_SALT);
    s.next(dataKey, n, 0);
    assertThat(Arrays.copyOf(n, 12)).isNotEqualTo(first);
  }

  @Test
  void eachKeyHasItsOwnSaltAndDestroyedKeysAreForgotten() {
    NonceSource s = new NonceSource(new FakeKernel("keys"));
    AeadKey k1 = key();
    AeadKey k2 = key();
    byte[] n1 = new byte[24];
    byte[] n2 = new byte[24];
    s.next(k1, n1, 0);
    s.next(k2, n2, 0);
    assertThat(Arrays.copyOf(n1, 12)).isNotEqualTo(Arrays.copyOf(n2, 12));
    k1.destroy();
    AeadKey k3 = key();
    s.next(
        k3, n1, 0); // a new key: the destroyed key's salt is dropped (no growth with closed stores)
    s.next(k2, n1, 0);
    assertThat(Arrays.copyOf(n1, 12)).isEqualTo(Arrays.copyOf(n2, 12));
  }

  @Test
  void theOperatingSystemsNoncesDoNotRepeat() {
    AeadKey dataKey = key();
    Set<String> seen = new HashSet<>();
    NonceSource s = NonceSource.current();
    byte[] n = new byte[24];
    for (int i = 0; i < 100_000; i++) {
      s.next(dataKey, n, 0);
      assertThat(seen.add(HEX.formatHex(n))).isTrue();
    }
  }
}
