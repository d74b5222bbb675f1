package dev.coffer.internal.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coffer.internal.keys.AeadKey;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import javax.crypto.AEADBadTagException;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.digests.SHAKEDigest;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.generators.KDFCounterBytesGenerator;
import org.bouncycastle.crypto.macs.CMac;
import org.bouncycastle.crypto.params.KDFCounterParameters;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * XAES-256-GCM against the C2SP specification (https://c2sp.org/XAES-256-GCM): its two vectors (the
 * derived key and the ciphertext of each), its accumulated randomized vectors, and the key
 * derivation against Bouncy Castle's NIST SP 800-108 counter-mode KDF with AES-CMAC (an independent
 * implementation of the standard the specification instantiates).
 */
class Xaes256GcmTest {
  private static final HexFormat HEX = HexFormat.of();
  private static final byte[] N = "ABCDEFGHIJKLMNOPQRSTUVWX".getBytes(StandardCharsets.US_ASCII);

  private static byte[] fill(int n, int b) {
    byte[] out = new byte[n];
    Arrays.fill(out, (byte) b);
    return out;
  }

  /** XAES-256-GCM through the engine's path: nonce at 0, ciphertext after it. */
  private static byte[] seal(byte[] key, byte[] nonce, byte[] plaintext, byte[] aad) {
    byte[] out = new byte[Xaes256Gcm.NONCE_BYTES + plaintext.length + RecordFormat.TAG_BYTES];
    System.arraycopy(nonce, 0, out, 0, Xaes256Gcm.NONCE_BYTES);
    int n =
        Xaes256Gcm.sealInto(
            AeadKey.wrap(key.clone()), out, 0, Xaes256Gcm.NONCE_BYTES, aad, plaintext);
    assertThat(n).isEqualTo(plaintext.length + RecordFormat.TAG_BYTES);
    return Arrays.copyOfRange(out, Xaes256Gcm.NONCE_BYTES, out.length);
  }

  private static byte[] open(byte[] key, byte[] nonce, byte[] ciphertext, byte[] aad)
      throws Exception {
    byte[] in = new byte[Xaes256Gcm.NONCE_BYTES + ciphertext.length];
    System.arraycopy(nonce, 0, in, 0, Xaes256Gcm.NONCE_BYTES);
    System.arraycopy(ciphertext, 0, in, Xaes256Gcm.NONCE_BYTES, ciphertext.length);
    return Xaes256Gcm.open(
        AeadKey.wrap(key.clone()), in, 0, Xaes256Gcm.NONCE_BYTES, ciphertext.length, aad);
  }

  @Test
  void firstVectorOfTheSpecification() throws Exception {
    byte[] k = fill(32, 0x01);
    assertThat(HEX.formatHex(Xaes256Gcm.deriveKey(new SecretKeySpec(k, "AES"), N, 0)))
        .isEqualTo("c8612c9ed53fe43e8e005b828a1631a0bbcb6ab2f46514ec4f439fcfd0fa969b");
    byte[] pt = "XAES-256-GCM".getBytes(StandardCharsets.US_ASCII);
    byte[] ct = seal(k, N, pt, new byte[0]);
    assertThat(HEX.formatHex(ct))
        .isEqualTo("ce546ef63c9cc60765923609b33a9a1974e96e52daf2fcf7075e2271");
    assertThat(open(k, N, ct, new byte[0])).isEqualTo(pt);
  }

  @Test
  void secondVectorOfTheSpecificationWhereTheMsbOfLIsSet() throws Exception {
    byte[] k = fill(32, 0x03);
    assertThat(HEX.formatHex(Xaes256Gcm.deriveKey(new SecretKeySpec(k, "AES"), N, 0)))
        .isEqualTo("e9c621d4cdd9b11b00a6427ad7e559aeedd66b3857646677748f8ca796cb3fd8");
    byte[] pt = "XAES-256-GCM".getBytes(StandardCharsets.US_ASCII);
    byte[] aad = "c2sp.org/XAES-256-GCM".getBytes(StandardCharsets.US_ASCII);
    byte[] ct = seal(k, N, pt, aad);
    assertThat(HEX.formatHex(ct))
        .isEqualTo("986ec1832593df5443a179437fd083bf3fdb41abd740a21f71eb769d");
    assertThat(open(k, N, ct, aad)).isEqualTo(pt);
    assertThatThrownBy(() -> open(k, N, ct, new byte[0])).isInstanceOf(AEADBadTagException.class);
  }

  @Test
  void accumulatedVectorOf10000Iterations() throws Exception {
    assertThat(accumulated(10_000))
        .isEqualTo("e6b9edf2df6cec60c8cbd864e2211b597fb69a529160cd040d56c0c210081939");
  }

  @Test
  @EnabledIfSystemProperty(named = "coffer.xaes.million", matches = "true")
  void accumulatedVectorOf1000000Iterations() throws Exception {
    assertThat(accumulated(1_000_000))
        .isEqualTo("2163ae1445985a30b60585ee67daa55674df06901b890593e824b8a7c885ab15");
  }

  /**
   * The specification's accumulated test: key[32], nonce[24], plaintext&lt;0..255&gt;,
   * aad&lt;0..255&gt; read from one SHAKE-128 stream of the empty input; every ciphertext into a
   * second SHAKE-128, whose first 32 bytes are the result.
   */
  private static String accumulated(int iterations) throws Exception {
    SHAKEDigest source = new SHAKEDigest(128);
    SHAKEDigest hash = new SHAKEDigest(128);
    byte[] start = new byte[16];
    new SHAKEDigest(128).doFinal(start, 0, 16);
    assertThat(HEX.formatHex(start)).isEqualTo("7f9c2ba4e88f827d616045507605853e");
    for (int i = 0; i < iterations; i++) {
      byte[] key = read(source, 32);
      byte[] nonce = read(source, 24);
      byte[] plaintext = read(source, read(source, 1)[0] & 0xFF);
      byte[] aad = read(source, read(source, 1)[0] & 0xFF);
      byte[] ct = seal(key, nonce, plaintext, aad);
      assertThat(open(key, nonce, ct, aad)).isEqualTo(plaintext);
      hash.update(ct, 0, ct.length);
    }
    byte[] out = new byte[32];
    hash.doFinal(out, 0, 32);
    return HEX.formatHex(out);
  }

  private static byte[] read(SHAKEDigest xof, int n) {
    byte[] out = new byte[n];
    if (n > 0) {
      xof.doOutput(out, 0, n);
    }
    return out;
  }

  @Test
  void keyDerivationIsTheSp800108CounterKdfWithAesCmac() {
    SHAKEDigest source = new SHAKEDigest(128);
    for (int i = 0; i < 200; i++) {
      byte[] key = read(source, 32);
      byte[] nonce = read(source, 24);
      // Counter mode, CMAC-AES-256 PRF, 16-bit counter first, then Label 'X' || 0x00 || Context.
      byte[] fixedInput = new byte[2 + 12];
      fixedInput[0] = 'X';
      System.arraycopy(nonce, 0, fixedInput, 2, 12);
      KDFCounterBytesGenerator kdf =
          new KDFCounterBytesGenerator(new CMac(AESEngine.newInstance()));
      kdf.init(new KDFCounterParameters(key, null, fixedInput, 16));
      byte[] expected = new byte[32];
      kdf.generateBytes(expected, 0, 32);
      assertThat(Xaes256Gcm.deriveKey(new SecretKeySpec(key, "AES"), nonce, 0)).isEqualTo(expected);
    }
  }

  @Test
  void derivedKeysGoWithTheKeyTheyCameFrom() throws Exception {
    AeadKey key = AeadKey.wrap(fill(32, 0x07));
    byte[] buf = new byte[Xaes256Gcm.NONCE_BYTES + 5 + RecordFormat.TAG_BYTES];
    System.arraycopy(N, 0, buf, 0, 24);
    Xaes256Gcm.sealInto(key, buf, 0, 24, new byte[0], "hello".getBytes(StandardCharsets.US_ASCII));
    assertThat(Xaes256Gcm.open(key, buf, 0, 24, buf.length - 24, new byte[0]))
        .isEqualTo("hello".getBytes(StandardCharsets.US_ASCII));
    key.destroy(); // the derived key cached for N's salt goes too: nothing opens after the close
    assertThatThrownBy(() -> Xaes256Gcm.open(key, buf, 0, 24, buf.length - 24, new byte[0]))
        .isInstanceOf(IllegalStateException.class);
  }
}
