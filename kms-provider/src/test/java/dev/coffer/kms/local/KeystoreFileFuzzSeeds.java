package dev.coffer.kms.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnknownFieldSet;
import dev.coffer.kms.KeyManagement.CreateKeyRequest;
import dev.coffer.kms.SecretBytes;
import dev.coffer.kms.audit.AuditSink;
import dev.coffer.proto.KeystoreContents;
import dev.coffer.proto.KeystoreHeader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * Writes the committed seed corpus of {@link KeystoreFileFuzzTest}: real keystores made by the
 * provider under the target's fixed key (one with keys, aliases, tags, a policy, rotation, a
 * disabled key and one pending deletion; an empty one; a passphrase one; a format-1 one), their
 * contents, and mutations of them (truncated, a flipped tag byte, a flipped header byte, an unknown
 * format version, an unknown header field, a second header, empty, text). Each file starts with the
 * target's mode byte. Run only on request: {@code ./mvnw -B -ntp test -pl kms-provider -am
 * -Dfuzz.regression.skip=true -Dfuzz.burst.skip=true -Dsurefire.failIfNoSpecifiedTests=false
 * -Dtest=KeystoreFileFuzzSeeds
 * -Dfuzz.keystore.seeds=$PWD/kms-provider/src/test/resources/dev/coffer/kms/local/KeystoreFileFuzzTestInputs/fuzz}.
 */
class KeystoreFileFuzzSeeds {
  private static final byte FILE = 0;
  private static final byte CONTENTS = 1;
  private static final byte PROVIDER = 2;

  @TempDir Path dir;

  @Test
  @EnabledIfSystemProperty(named = "fuzz.keystore.seeds", matches = ".+")
  void writeSeeds() throws Exception {
    Path out = Files.createDirectories(Path.of(System.getProperty("fuzz.keystore.seeds")));
    Map<String, byte[]> seeds = new LinkedHashMap<>();

    byte[] full = keystore("full", true);
    byte[] empty = keystore("empty", false);
    byte[] passphrase;
    try (LocalKeyProvider p =
        LocalKeyProvider.builder()
            .keystore(dir.resolve("passphrase"))
            .passphrase("fuzz passphrase".toCharArray())
            .argon2id(19456, 2, 1)
            .auditSink(AuditSink.none())
            .build()) {
      p.createKey(CreateKeyRequest.withDescription("under a passphrase"));
    }
    passphrase = Files.readAllBytes(dir.resolve("passphrase"));
    KeystoreCodec.Parsed parsed = KeystoreCodec.decode(dir.resolve("full"), full);
    KeystoreContents contents;
    try (SecretBytes key = SecretBytes.wrap(KeystoreFileFuzzTest.KEY.clone())) {
      contents = KeystoreCodec.open(dir.resolve("full"), parsed, key);
      KeystoreHeader v1 =
          parsed.header().toBuilder()
              .setFormatVersion(KeystoreCodec.FORMAT_VERSION_1)
              .clearWriteSalt()
              .build();
      seeds.put("file-format-1", with(FILE, KeystoreCodec.encode(v1, key, contents)));
      KeystoreHeader v3 = parsed.header().toBuilder().setFormatVersion(3).build();
      seeds.put("file-format-3", with(FILE, KeystoreCodec.encode(v3, key, contents)));
      KeystoreHeader unknown =
          parsed.header().toBuilder()
              .setUnknownFields(
                  UnknownFieldSet.newBuilder()
                      .addField(99, UnknownFieldSet.Field.newBuilder().addVarint(1).build())
                      .build())
              .build();
      seeds.put(
          "file-unknown-header-field", with(FILE, KeystoreCodec.encode(unknown, key, contents)));
      KeystoreHeader shortNonce =
          parsed.header().toBuilder().setNonce(ByteString.copyFrom(new byte[8])).build();
      seeds.put("file-short-nonce", with(FILE, KeystoreCodec.seal(shortNonce, key, new byte[0])));
    }
    seeds.put("file-full", with(FILE, full));
    seeds.put("file-empty-ring", with(FILE, empty));
    seeds.put("file-passphrase", with(FILE, passphrase));
    seeds.put("file-truncated", with(FILE, Arrays.copyOf(full, full.length / 2)));
    seeds.put("file-flipped-tag", with(FILE, flip(full, full.length - 1)));
    seeds.put("file-flipped-header", with(FILE, flip(full, 8)));
    seeds.put(
        "file-two-headers", with(FILE, concat(Arrays.copyOf(full, 2 + (full[1] & 0x7f)), full)));
    seeds.put("file-empty", new byte[] {FILE});
    seeds.put("file-text", with(FILE, "this is not a keystore\n".getBytes(StandardCharsets.UTF_8)));
    seeds.put("contents-full", with(CONTENTS, contents.toByteArray()));
    seeds.put(
        "contents-format-2",
        with(CONTENTS, contents.toBuilder().setFormatVersion(2).build().toByteArray()));
    seeds.put("contents-empty", new byte[] {CONTENTS});
    seeds.put(
        "contents-garbage",
        with(CONTENTS, new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, 0x0a, 0x7f}));
    seeds.put("provider-full", with(PROVIDER, full));
    seeds.put("provider-empty-ring", with(PROVIDER, empty));
    seeds.put("provider-passphrase", with(PROVIDER, passphrase));
    seeds.put("provider-truncated", with(PROVIDER, Arrays.copyOf(full, full.length - 17)));
    seeds.put("provider-flipped-tag", with(PROVIDER, flip(full, full.length - 1)));
    seeds.put("provider-empty", new byte[] {PROVIDER});
    for (Map.Entry<String, byte[]> s : seeds.entrySet()) {
      KeystoreFileFuzzTest.check(s.getValue());
      Files.write(out.resolve(s.getKey()), s.getValue());
    }
    assertThat(out.toFile().list()).hasSizeGreaterThanOrEqualTo(seeds.size());
  }

  /**
   * A keystore made by the provider under the target's key, with keys of every kind when {@code
   * full}.
   */
  private byte[] keystore(String name, boolean full) throws Exception {
    Path file = dir.resolve(name);
    try (LocalKeyProvider p =
        LocalKeyProvider.builder()
            .keystore(file)
            .rawKey(SecretBytes.wrap(KeystoreFileFuzzTest.KEY.clone()))
            .auditSink(AuditSink.none())
            .build()) {
      if (full) {
        String a =
            p.createKey(new CreateKeyRequest("app key", null, Map.of("team", "fuzz"))).keyId();
        String b = p.createKey(CreateKeyRequest.withDescription("disabled")).keyId();
        String c = p.createKey(CreateKeyRequest.withDescription("doomed")).keyId();
        p.createAlias("alias/app", a);
        p.enableKeyRotation(a, 90);
        p.rotateKeyOnDemand(a);
        p.disableKey(b);
        p.scheduleKeyDeletion(c, 7);
      }
    }
    return Files.readAllBytes(file);
  }

  private static byte[] with(byte mode, byte[] body) {
    byte[] out = new byte[body.length + 1];
    out[0] = mode;
    System.arraycopy(body, 0, out, 1, body.length);
    return out;
  }

  private static byte[] flip(byte[] bytes, int at) {
    byte[] out = bytes.clone();
    out[at] ^= 0x01;
    return out;
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
