package dev.coffer.internal.page;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coffer.CorruptionException;
import dev.coffer.internal.keys.AeadKey;
import dev.coffer.proto.SealedPage;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PageCipherTest {
  private static final SecureRandom RANDOM = new SecureRandom();
  private final byte[] store = random(16);
  private final byte[] table = random(16);
  private final byte[] token = random(16);
  private final AeadKey key = AeadKey.wrap(random(32));
  private final byte[] plaintext = "a page body, in plaintext".getBytes(StandardCharsets.UTF_8);

  private static byte[] random(int n) {
    byte[] b = new byte[n];
    RANDOM.nextBytes(b);
    return b;
  }

  private byte[] ad(int version) {
    return AssociatedData.of(RecordKind.PAGE, version, store, table, token, 7, 0);
  }

  private byte[] open(byte[] sealed, IntFunction<byte[]> ad) {
    return PageCipher.open(sealed, v -> v == 3 ? key : null, ad, "users", "partition x node 7");
  }

  @Test
  void roundTripAndEnvelopeIsAProtobufSealedPage() throws Exception {
    byte[] sealed = PageCipher.seal(key, 3, ad(3), plaintext);
    assertThat(open(sealed, this::ad)).isEqualTo(plaintext);
    SealedPage parsed = SealedPage.parseFrom(sealed);
    assertThat(parsed.getFormatVersion()).isEqualTo(1);
    assertThat(parsed.getKeyVersion()).isEqualTo(3);
    assertThat(parsed.getNonce().size()).isEqualTo(12);
    assertThat(parsed.getCiphertext().size()).isEqualTo(plaintext.length + 16);
  }

  @Test
  void emptyAndLargePlaintexts() {
    for (int size : new int[] {0, 1, 4096, 400 * 1024}) {
      byte[] p = random(size);
      assertThat(open(PageCipher.seal(key, 3, ad(3), p), this::ad)).isEqualTo(p);
    }
  }

  @Test
  void noncesAreFreshForEverySeal() {
    Set<String> nonces = new HashSet<>();
    for (int i = 0; i < 1000; i++) {
      byte[] sealed = PageCipher.seal(key, 3, ad(3), plaintext);
      SealedEnvelope env = SealedEnvelope.parse(sealed);
      nonces.add(Arrays.toString(Arrays.copyOfRange(sealed, env.nonceOffset(), env.nonceOffset() + 12)));
    }
    assertThat(nonces).hasSize(1000);
  }

  @ParameterizedTest
  @ValueSource(strings = {"kind", "version", "store", "table", "token", "node", "delta"})
  void everyPartOfTheAssociatedDataIsBound(String part) {
    byte[] sealed = PageCipher.seal(key, 3, ad(3), plaintext);
    IntFunction<byte[]> wrong = v -> {
      switch (part) {
        case "kind":
          return AssociatedData.of(RecordKind.DELTA, v, store, table, token, 7, 0);
        case "version":
          return AssociatedData.of(RecordKind.PAGE, v + 1, store, table, token, 7, 0);
        case "store":
          return AssociatedData.of(RecordKind.PAGE, v, random(16), table, token, 7, 0);
        case "table":
          return AssociatedData.of(RecordKind.PAGE, v, store, random(16), token, 7, 0);
        case "token":
          return AssociatedData.of(RecordKind.PAGE, v, store, table, random(16), 7, 0);
        case "node":
          return AssociatedData.of(RecordKind.PAGE, v, store, table, token, 8, 0);
        default:
          return AssociatedData.of(RecordKind.PAGE, v, store, table, token, 7, 1);
      }
    };
    assertThatThrownBy(() -> open(sealed, wrong))
        .isInstanceOf(CorruptionException.class)
        .hasMessageContaining("failed authentication")
        .hasMessageContaining("users");
  }

  @Test
  void wrongKeyFails() {
    byte[] sealed = PageCipher.seal(AeadKey.wrap(random(32)), 3, ad(3), plaintext);
    assertThatThrownBy(() -> open(sealed, this::ad)).isInstanceOf(CorruptionException.class);
  }

  @Test
  void unknownKeyVersionFails() {
    byte[] sealed = PageCipher.seal(key, 4, ad(4), plaintext);
    assertThatThrownBy(() -> open(sealed, this::ad)).isInstanceOf(CorruptionException.class)
        .hasMessageContaining("data-key version 4");
  }

  @Test
  void everyFlippedBitFails() {
    byte[] sealed = PageCipher.seal(key, 3, ad(3), plaintext);
    for (int i = 0; i < sealed.length * 8; i++) {
      byte[] changed = sealed.clone();
      changed[i / 8] ^= (byte) (1 << (i % 8));
      assertThatThrownBy(() -> open(changed, this::ad)).as("bit %d", i).isInstanceOf(CorruptionException.class);
    }
  }

  @Test
  void everyTruncationFails() {
    byte[] sealed = PageCipher.seal(key, 3, ad(3), plaintext);
    for (int n = 0; n < sealed.length; n++) {
      byte[] cut = Arrays.copyOf(sealed, n);
      assertThatThrownBy(() -> open(cut, this::ad)).as("length %d", n).isInstanceOf(CorruptionException.class);
    }
  }

  @Test
  void destroyedKeyCannotBeUsed() {
    AeadKey k = AeadKey.wrap(random(32));
    k.destroy();
    assertThat(k.isDestroyed()).isTrue();
    assertThatThrownBy(() -> PageCipher.seal(k, 1, ad(1), plaintext)).isInstanceOf(IllegalStateException.class);
    assertThat(k.toString()).doesNotContain("0");
  }
}
