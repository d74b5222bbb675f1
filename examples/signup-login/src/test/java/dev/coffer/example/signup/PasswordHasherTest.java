package dev.coffer.example.signup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/**
 * Argon2id PHC strings: the hasher's output has the reference form and verifies, and strings made
 * by the reference implementation (Debian's {@code argon2} command, the C reference code) verify
 * here.
 */
class PasswordHasherTest {
  private final PasswordHasher hasher = new PasswordHasher();

  @Test
  void hashesHaveThePhcFormAndVerify() {
    String phc = hasher.hash("correct horse battery staple");
    assertThat(phc)
        .matches("\\$argon2id\\$v=19\\$m=19456,t=2,p=1\\$[A-Za-z0-9+/]{22}\\$[A-Za-z0-9+/]{43}");
    assertThat(hasher.verify("correct horse battery staple", phc)).isTrue();
    assertThat(hasher.verify("correct horse battery stapLe", phc)).isFalse();
    assertThat(hasher.verify("", phc)).isFalse();
  }

  @Test
  void everyHashHasItsOwnSalt() {
    String a = hasher.hash("same password");
    String b = hasher.hash("same password");
    assertThat(a).isNotEqualTo(b);
    assertThat(a.split("\\$")[4]).isNotEqualTo(b.split("\\$")[4]);
    assertThat(hasher.verify("same password", a)).isTrue();
    assertThat(hasher.verify("same password", b)).isTrue();
  }

  /**
   * Made with the reference implementation: {@code echo -n password | argon2 somesalt -id -t 2 -m
   * 16 -p 4 -l 32 -e} and {@code echo -n "correct horse battery staple" | argon2 saltsaltsaltsalt
   * -id -t 2 -k 19456 -p 1 -l 32 -e} (Debian bookworm's argon2 0~20171227).
   */
  @Test
  void referenceImplementationHashesVerify() {
    String ref1 =
        "$argon2id$v=19$m=65536,t=2,p=4$c29tZXNhbHQ$GpZ3sK/oH9p7VIiV56G/64Zo/8GaUw434IimaPqxwCo";
    String ref2 =
        "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0c2FsdA$QKHrg5tayLGcN+Y0HVPNaBqykOVLUxlMkZycXE1uWRM";
    assertThat(hasher.verify("password", ref1)).isTrue();
    assertThat(hasher.verify("passwore", ref1)).isFalse();
    assertThat(hasher.verify("correct horse battery staple", ref2)).isTrue();
    // one bit of the stored hash flipped
    assertThat(hasher.verify("correct horse battery staple", ref2.replace("QKHrg5", "QKHrg4")))
        .isFalse();
  }

  @Test
  void stringsThatAreNotArgon2idOrOutOfBoundsAreRefused() {
    for (String bad :
        new String[] {
          "plaintext",
          "$argon2i$v=19$m=65536,t=2,p=4$c29tZXNhbHQ$GpZ3sK/oH9p7VIiV56G/64Zo/8GaUw434IimaPqxwCo",
          "$argon2id$v=16$m=65536,t=2,p=4$c29tZXNhbHQ$GpZ3sK/oH9p7VIiV56G/64Zo/8GaUw434IimaPqxwCo",
          "$2b$12$R9h/cIPz0gi.URNNX3kh2OPST9/PgBkqquzi.Ss7KIUgO2t0jWMUW"
        }) {
      assertThatThrownBy(() -> hasher.verify("password", bad))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("not an Argon2id PHC string");
    }
    assertThatThrownBy(
            () ->
                hasher.verify(
                    "password",
                    "$argon2id$v=19$m=4194304,t=2,p=4$c29tZXNhbHQ$GpZ3sK/oH9p7VIiV56G/64Zo/8GaUw434IimaPqxwCo"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("out of bounds: m=4194304");
  }

  @Test
  void overlongPasswordsAreRefused() {
    String longest = "x".repeat(PasswordHasher.MAX_PASSWORD_CHARS);
    assertThat(hasher.verify(longest, hasher.hash(longest))).isTrue();
    assertThatThrownBy(() -> hasher.hash(longest + "x"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
