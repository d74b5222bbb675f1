package dev.coffer.kms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class EncryptionContextTest {
  @Test
  void canonicalBytesAreSortedAndLengthPrefixed() {
    EncryptionContext a = EncryptionContext.of("b", "2", "a", "1");
    EncryptionContext b = EncryptionContext.of("a", "1", "b", "2");
    assertThat(a).isEqualTo(b);
    assertThat(a.canonicalBytes()).isEqualTo(b.canonicalBytes());
    // "a"="bc" and "ab"="c" must not encode alike.
    assertThat(EncryptionContext.of("a", "bc").canonicalBytes())
        .isNotEqualTo(EncryptionContext.of("ab", "c").canonicalBytes());
  }

  @Test
  void loneSurrogatesAreRefusedSoNoTwoContextsEncodeAlike() {
    assertThatThrownBy(() -> EncryptionContext.of("k", "\uD800"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("well-formed Unicode");
    assertThatThrownBy(() -> EncryptionContext.of("\uDC00", "v"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(EncryptionContext.of("k", "\uD83D\uDE00").get("k")).isEqualTo("\uD83D\uDE00");
  }
}
