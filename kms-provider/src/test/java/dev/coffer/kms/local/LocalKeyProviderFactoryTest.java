package dev.coffer.kms.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coffer.kms.InvalidKeystoreException;
import dev.coffer.kms.KeyManagement;
import dev.coffer.kms.KeyProvider;
import dev.coffer.kms.KeyProviderContext;
import dev.coffer.kms.KeyProviders;
import dev.coffer.kms.KmsValidationException;
import dev.coffer.kms.audit.AuditSink;
import dev.coffer.kms.internal.AesGcm;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Opening the local provider by URI, with secrets from the context's environment only. */
class LocalKeyProviderFactoryTest {
  @TempDir Path dir;

  private static KeyProviderContext env(Map<String, String> vars) {
    return KeyProviderContext.builder().environment(vars::get).auditSink(AuditSink.none()).build();
  }

  private Path keystore() {
    return dir.resolve("dir with spaces").resolve("key store.bin");
  }

  @Test
  void opensByUriWithAPassphraseAndAPathWithSpaces() {
    KeyProviderContext ctx = env(Map.of(LocalKeyProviderFactory.PASSPHRASE, "factory passphrase"));
    String id;
    assertThatThrownBy(() -> KeyProviders.open("local:" + keystore(), ctx))
        .isInstanceOf(InvalidKeystoreException.class)
        .hasMessageContaining("There is no keystore at " + keystore());
    assertThat(Files.exists(keystore().getParent()))
        .as("a mistyped path creates nothing")
        .isFalse();
    try (KeyProvider p = KeyProviders.open("local:" + keystore() + "?create", ctx)) {
      assertThat(p).isInstanceOf(LocalKeyProvider.class);
      assertThat(p.scheme()).isEqualTo("local");
      id =
          ((LocalKeyProvider) p)
              .createKey(KeyManagement.CreateKeyRequest.withDescription("u"))
              .keyId();
    }
    assertThat(Files.exists(keystore())).isTrue();
    try (KeyProvider p = KeyProviders.open("local:" + keystore() + "?create", ctx)) {
      assertThat(p.describeKey(id).description()).isEqualTo("u");
    }
  }

  @Test
  void rawKeyFromBase64Variable() {
    String b64 = Base64.getEncoder().encodeToString(AesGcm.randomBytes(32));
    try (KeyProvider p =
        KeyProviders.open(
            "local:" + keystore() + "?create", env(Map.of(LocalKeyProviderFactory.KEY, b64)))) {
      assertThat(p.principal()).isEqualTo("arn:aws:iam::111122223333:root");
    }
    try (KeyProvider p =
        KeyProviders.open("local:" + keystore(), env(Map.of(LocalKeyProviderFactory.KEY, b64)))) {
      assertThat(p.scheme()).isEqualTo("local");
    }
  }

  @Test
  void rawKeyFileWithRawBytesOrBase64() throws Exception {
    byte[] raw = AesGcm.randomBytes(32);
    Path binary = dir.resolve("key.bin");
    Files.write(binary, raw);
    Path text = dir.resolve("key.b64");
    Files.writeString(text, Base64.getEncoder().encodeToString(raw) + "\n");
    for (Path keyFile : new Path[] {binary, text}) {
      try (KeyProvider p =
          KeyProviders.open(
              "local:" + keystore() + "?create",
              env(Map.of(LocalKeyProviderFactory.KEY_FILE, keyFile.toString())))) {
        assertThat(p.scheme()).isEqualTo("local");
      }
    }
  }

  @Test
  void principalComesFromTheContext() {
    KeyProviderContext ctx =
        env(Map.of(LocalKeyProviderFactory.KEY, Base64.getEncoder().encodeToString(new byte[32])))
            .toBuilder()
            .principal("alice")
            .build();
    try (KeyProvider p = KeyProviders.open("local:" + keystore() + "?create", ctx)) {
      assertThat(p.principal()).isEqualTo("arn:aws:iam::111122223333:user/alice");
    }
  }

  @Test
  void noSecretNamesEveryVariable() {
    assertThatThrownBy(() -> KeyProviders.open("local:" + keystore(), env(Map.of())))
        .isInstanceOf(KmsValidationException.class)
        .hasMessageContaining("COFFER_KEYSTORE_PASSPHRASE")
        .hasMessageContaining("COFFER_KEYSTORE_KEY_FILE")
        .hasMessageContaining("COFFER_KEYSTORE_KEY");
    assertThat(Files.exists(keystore())).isFalse();
  }

  @Test
  void twoSecretsAreRefused() {
    Map<String, String> vars =
        Map.of(LocalKeyProviderFactory.PASSPHRASE, "p", LocalKeyProviderFactory.KEY, "AAAA");
    assertThatThrownBy(() -> KeyProviders.open("local:" + keystore(), env(vars)))
        .isInstanceOf(KmsValidationException.class)
        .hasMessageContaining("only one");
  }

  @Test
  void badKeysAreRefusedWithoutShowingThem() throws Exception {
    String shortKey = Base64.getEncoder().encodeToString(new byte[16]);
    assertThatThrownBy(
            () ->
                KeyProviders.open(
                    "local:" + keystore(), env(Map.of(LocalKeyProviderFactory.KEY, shortKey))))
        .isInstanceOf(KmsValidationException.class)
        .hasMessageContaining("COFFER_KEYSTORE_KEY")
        .hasMessageContaining("32 bytes")
        .hasMessageNotContaining(shortKey);
    assertThatThrownBy(
            () ->
                KeyProviders.open(
                    "local:" + keystore(), env(Map.of(LocalKeyProviderFactory.KEY, "not base64!"))))
        .isInstanceOf(KmsValidationException.class);
    Path missing = dir.resolve("missing.key");
    assertThatThrownBy(
            () ->
                KeyProviders.open(
                    "local:" + keystore(),
                    env(Map.of(LocalKeyProviderFactory.KEY_FILE, missing.toString()))))
        .isInstanceOf(KmsValidationException.class)
        .hasMessageContaining("COFFER_KEYSTORE_KEY_FILE");
    Path wrongSize = dir.resolve("wrong.key");
    Files.writeString(wrongSize, "hello", StandardCharsets.US_ASCII);
    assertThatThrownBy(
            () ->
                KeyProviders.open(
                    "local:" + keystore(),
                    env(Map.of(LocalKeyProviderFactory.KEY_FILE, wrongSize.toString()))))
        .isInstanceOf(KmsValidationException.class);
  }

  @Test
  void emptyLocationIsRefused() {
    assertThatThrownBy(
            () -> KeyProviders.open("local:", env(Map.of(LocalKeyProviderFactory.PASSPHRASE, "p"))))
        .isInstanceOf(KmsValidationException.class)
        .hasMessageContaining("local:<keystore path>");
  }

  @Test
  void schemeIsListed() {
    assertThat(KeyProviders.knownSchemes())
        .containsEntry("local", "local:<keystore path>")
        .containsKey("memory");
  }
}
