package dev.coffer.internal.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coffer.CorruptionException;
import dev.coffer.internal.keys.AeadKey;
import dev.coffer.internal.record.AssociatedData.Kind;
import dev.coffer.proto.SealedPage;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The cipher and the associated data on their own: round trips, fresh nonces, every bound part. */
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
    return AssociatedData.of(Kind.PAGE, version, store, table, token, 7, 0);
  }

  private byte[] open(byte[] sealed, byte[] ad) {
    return PageCipher.open(sealed, 3, key, ad, "partition x node 7");
  }

  @Test
  void roundTripAndEnvelopeIsAProtobufSealedPage() throws Exception {
    byte[] sealed = PageCipher.seal(key, 3, ad(3), plaintext);
    assertThat(open(sealed, ad(3))).isEqualTo(plaintext);
    SealedPage parsed = SealedPage.parseFrom(sealed);
    assertThat(parsed.getFormatVersion()).isEqualTo(1);
    assertThat(parsed.getKeyVersion()).isEqualTo(3);
    assertThat(parsed.getNonce().size()).isEqualTo(12);
    assertThat(parsed.getCiphertext().size()).isEqualTo(plaintext.length + 16);
    assertThat(sealed).hasSize(PageCipher.sealedLength(3, plaintext.length));
  }

  @Test
  void emptyAndLargePlaintexts() {
    for (int size : new int[] {0, 1, 4096, 400 * 1024}) {
      byte[] p = random(size);
      assertThat(open(PageCipher.seal(key, 3, ad(3), p), ad(3))).isEqualTo(p);
    }
  }

  @Test
  void noncesAreFreshForEverySeal() throws Exception {
    Set<String> nonces = new HashSet<>();
    for (int i = 0; i < 1000; i++) {
      nonces.add(
          SealedPage.parseFrom(PageCipher.seal(key, 3, ad(3), plaintext))
              .getNonce()
              .toStringUtf8());
    }
    assertThat(nonces).hasSize(1000);
  }

  @ParameterizedTest
  @ValueSource(strings = {"kind", "version", "store", "table", "token", "node", "delta"})
  void everyPartOfTheAssociatedDataIsBound(String part) {
    byte[] sealed = PageCipher.seal(key, 3, ad(3), plaintext);
    byte[] wrong =
        switch (part) {
          case "kind" -> AssociatedData.of(Kind.DELTA, 3, store, table, token, 7, 0);
          case "version" -> AssociatedData.of(Kind.PAGE, 4, store, table, token, 7, 0);
          case "store" -> AssociatedData.of(Kind.PAGE, 3, random(16), table, token, 7, 0);
          case "table" -> AssociatedData.of(Kind.PAGE, 3, store, random(16), token, 7, 0);
          case "token" -> AssociatedData.of(Kind.PAGE, 3, store, table, random(16), 7, 0);
          case "node" -> AssociatedData.of(Kind.PAGE, 3, store, table, token, 8, 0);
          default -> AssociatedData.of(Kind.PAGE, 3, store, table, token, 7, 1);
        };
    assertThatThrownBy(() -> open(sealed, wrong))
        .isInstanceOf(CorruptionException.class)
        .hasMessageContaining("failed authentication")
        .hasMessageContaining("partition x node 7");
  }

  @Test
  void catalogRecordsAreBoundToTheirTableAndTellEntryFromMarker() {
    byte[] entry = PageCipher.seal(key, 1, AssociatedData.catalogEntry(1, store, table), plaintext);
    assertThat(PageCipher.open(entry, 1, key, AssociatedData.catalogEntry(1, store, table), "e"))
        .isEqualTo(plaintext);
    assertThatThrownBy(
            () ->
                PageCipher.open(entry, 1, key, AssociatedData.creatingMarker(1, store, table), "m"))
        .isInstanceOf(CorruptionException.class);
    assertThatThrownBy(
            () ->
                PageCipher.open(
                    entry, 1, key, AssociatedData.catalogEntry(1, store, random(16)), "e"))
        .isInstanceOf(CorruptionException.class);
  }

  @Test
  void wrongKeyFails() {
    byte[] sealed = PageCipher.seal(AeadKey.wrap(random(32)), 3, ad(3), plaintext);
    assertThatThrownBy(() -> open(sealed, ad(3))).isInstanceOf(CorruptionException.class);
  }

  @Test
  void anotherKeyVersionThanExpectedFails() {
    byte[] sealed = PageCipher.seal(key, 4, ad(4), plaintext);
    assertThatThrownBy(() -> open(sealed, ad(3)))
        .isInstanceOf(CorruptionException.class)
        .hasMessageContaining("data-key version 4");
  }

  @Test
  void everyFlippedBitFails() {
    byte[] sealed = PageCipher.seal(key, 3, ad(3), plaintext);
    for (int i = 0; i < sealed.length * 8; i++) {
      byte[] changed = sealed.clone();
      changed[i / 8] ^= (byte) (1 << (i % 8));
      assertThatThrownBy(() -> open(changed, ad(3)))
          .as("bit %d", i)
          .isInstanceOf(CorruptionException.class);
    }
  }

  @Test
  void everyTruncationFails() {
    byte[] sealed = PageCipher.seal(key, 3, ad(3), plaintext);
    for (int n = 0; n < sealed.length; n++) {
      byte[] cut = Arrays.copyOf(sealed, n);
      assertThatThrownBy(() -> open(cut, ad(3)))
          .as("length %d", n)
          .isInstanceOf(CorruptionException.class);
    }
  }

  @Test
  void destroyedKeyCannotBeUsed() {
    AeadKey k = AeadKey.wrap(random(32));
    k.destroy();
    assertThat(k.isDestroyed()).isTrue();
    assertThatThrownBy(() -> PageCipher.seal(k, 1, ad(1), plaintext))
        .isInstanceOf(IllegalStateException.class);
    assertThat(k.toString()).doesNotContain("0");
  }
}
