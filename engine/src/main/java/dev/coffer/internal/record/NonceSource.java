package dev.coffer.internal.record;

import dev.coffer.internal.keys.AeadKey;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.Iterator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * <b>The one place that decides a sealed record's nonce</b> ({@link PageCipher} draws one per seal;
 * no caller can pass one): the 192-bit XAES-256-GCM nonce of envelope format 2 ({@link
 * Xaes256Gcm}). Its first 12 bytes, the <em>salt</em>, select the key derived for the record; this
 * source keeps one salt per thread and data key and draws a new one every {@value #SEALS_PER_SALT}
 * seals. Its last 12 bytes, the GCM nonce under the derived key, are read from the operating
 * system's kernel for every record, with nothing kept in this process.
 *
 * <p><b>Why the per-record half comes from the kernel.</b> A process cloned by a VM snapshot
 * restore, a CRaC checkpoint or a serverless snapshot start carries on with a copy of every byte of
 * its memory: user-space generators (the per-thread CTR_DRBG this class was, the JDK's {@code
 * SHA1PRNG}, the buffer of {@code NativePRNG}) and the salts kept here. Two clones then seal under
 * the same derived keys; they still never repeat a (derived key, nonce) pair as long as the kernel
 * gives them different bytes, because the GCM nonce of every record is read afresh. On {@code
 * NativePRNGNonBlocking}, {@code generateSeed} is one {@code read} of {@code /dev/urandom} per call
 * (JDK 17 {@code sun.security.provider.NativePRNG.RandomIO.implGenerateSeed}: no buffer, no mixing
 * with a user-space state). {@code NonceSourceTest#clonedSourcesNeverRepeatAKeyAndNonce} shows the
 * property with two sources started from one state.
 *
 * <p><b>What that protects, and what not.</b> Clones get distinct nonces exactly when the kernel
 * gives them distinct bytes: Linux 5.18 and later reseed the kernel's generator when the hypervisor
 * signals a VM fork through a VM Generation ID (Hyper-V, QEMU/KVM with {@code -device vmgenid},
 * Firecracker, which AWS Lambda SnapStart restores run on), which covers VM snapshot restores of a
 * running JVM, CRaC restores and snapshot starts there. Under a hypervisor without one, the kernel
 * itself repeats its output after a restore until it reseeds, and nothing in user space can tell
 * ({@code NonceSourceTest#clonesWhoseKernelRepeatsRepeatNonces} shows that limit). Where {@code
 * NativePRNGNonBlocking} does not exist (Windows), the platform's {@link SecureRandom} is used and
 * clone safety is not claimed (a warning is logged once).
 *
 * <p><b>Cost.</b> One system call per record (470-510 ns of CPU on the test machine), against 26 ns
 * for the per-thread DRBG it replaces; see docs/performance.md.
 *
 * <p>Not thread-safe: one instance per thread ({@link #current()}).
 */
final class NonceSource {
  /** The nonce length: 24 bytes. */
  static final int NONCE_BYTES = 24;

  /** The salt: the first half of the nonce, which selects the derived key. */
  static final int SALT_BYTES = 12;

  /**
   * Seals under one derived key before a thread draws a new salt (2^20; see
   * docs/on-disk-format.md): 2^20 random 96-bit GCM nonces under one key collide with probability
   * below 2^-57, and fewer salts mean fewer derived keys for a reader to derive (with 2^16, a
   * 5M-item store written by one thread had ~80 salts per key, more than a thread's cache holds).
   */
  static final int SEALS_PER_SALT = 1 << 20;

  /** Where fresh bytes come from: the operating system's kernel, read on every call. */
  interface Kernel {
    /** Writes {@code length} fresh bytes into {@code out} at {@code offset}. */
    void read(byte[] out, int offset, int length);
  }

  private static final Logger LOG = LoggerFactory.getLogger(NonceSource.class);

  /** The operating system's generator, read on every call. */
  static final Kernel OS = osKernel();

  private static final ThreadLocal<NonceSource> PER_THREAD =
      ThreadLocal.withInitial(() -> new NonceSource(OS));

  private final Kernel kernel;

  /** The current salt per data key (by identity) on this thread: what a cloned process copies. */
  private final IdentityHashMap<AeadKey, Salt> salts = new IdentityHashMap<>();

  /** The current salt of one key and how many seals it has made. */
  private static final class Salt {
    final byte[] bytes = new byte[SALT_BYTES];
    int seals = SEALS_PER_SALT; // drawn at the first seal
  }

  /** A source reading its fresh bytes from {@code kernel}. */
  NonceSource(Kernel kernel) {
    this.kernel = kernel;
  }

  /** The calling thread's source. */
  static NonceSource current() {
    return PER_THREAD.get();
  }

  /**
   * Writes a fresh 24-byte nonce for a record sealed under {@code key} into {@code out} at {@code
   * offset}: this thread's salt for the key, then 12 bytes read from the kernel now.
   */
  void next(AeadKey key, byte[] out, int offset) {
    Salt s = salts.get(key);
    if (s == null) {
      forgetDestroyed();
      s = new Salt();
      salts.put(key, s);
    }
    if (s.seals >= SEALS_PER_SALT) {
      kernel.read(s.bytes, 0, SALT_BYTES);
      s.seals = 0;
    }
    s.seals++;
    System.arraycopy(s.bytes, 0, out, offset, SALT_BYTES);
    kernel.read(out, offset + SALT_BYTES, NONCE_BYTES - SALT_BYTES);
  }

  /** Drops the salts of keys destroyed since (closed stores, retired data keys). */
  private void forgetDestroyed() {
    for (Iterator<AeadKey> it = salts.keySet().iterator(); it.hasNext(); ) {
      if (it.next().isDestroyed()) {
        it.remove();
      }
    }
  }

  private static Kernel osKernel() {
    SecureRandom os;
    try {
      os = SecureRandom.getInstance("NativePRNGNonBlocking");
    } catch (NoSuchAlgorithmException e) {
      SecureRandom fallback = new SecureRandom();
      LOG.warn(
          "NativePRNGNonBlocking is not available: nonces come from {} ({}), which keeps state in this process;"
              + " a process cloned by a VM snapshot or checkpoint could repeat nonces",
          fallback.getAlgorithm(),
          fallback.getProvider().getName());
      return (out, offset, length) -> {
        byte[] fresh = new byte[length];
        fallback.nextBytes(fresh);
        System.arraycopy(fresh, 0, out, offset, length);
      };
    }
    return (out, offset, length) -> {
      byte[] fresh = os.generateSeed(length); // one read(2) of /dev/urandom, no buffer, no mixing
      System.arraycopy(fresh, 0, out, offset, length);
      Arrays.fill(fresh, (byte) 0);
    };
  }
}
