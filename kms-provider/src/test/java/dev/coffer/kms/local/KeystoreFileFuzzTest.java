package dev.coffer.kms.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.coffer.kms.InvalidKeystoreException;
import dev.coffer.kms.SecretBytes;
import dev.coffer.kms.audit.AuditSink;
import dev.coffer.proto.KeystoreContents;
import dev.coffer.proto.KeystoreHeader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Fuzz target: the local keystore file ({@link KeystoreCodec}, {@link KeystoreFileStore}) read from
 * bytes anyone who can write the file could have put there. Never the Argon2id passphrase path (64
 * MiB and ~0.3 s per input): the sealed part is opened with a fixed raw 256-bit key, {@link #KEY},
 * and the committed seeds are keystores made under that key, so they open.
 *
 * <p><b>Input:</b> the first byte picks the mode ({@code mod 3}), the rest is:
 *
 * <ol start="0">
 *   <li><b>file</b>: a keystore file's bytes, through {@link KeystoreCodec#decode} (framing and the
 *       unauthenticated header) and then {@link KeystoreCodec#open} with {@link #KEY} (tag,
 *       contents decoding, contents version);
 *   <li><b>contents</b>: the plaintext of a keystore, sealed under {@link #KEY} with a fixed header
 *       ({@link KeystoreCodec#seal}) so that the fuzzer reaches the contents decoder behind the tag
 *       it cannot forge, then decoded and opened as a file;
 *   <li><b>provider</b>: a keystore file's bytes written to a file and opened by {@link
 *       LocalKeyProvider} with {@link #KEY} ({@code createIfMissing(false)}), as {@code local:}
 *       opens it.
 * </ol>
 *
 * <p><b>Documented exceptions:</b> {@link InvalidKeystoreException} (and its subclass {@link
 * dev.coffer.kms.KeystoreRollbackException}) only, with one of the keystore's documented messages,
 * one printable line that names the file and no Java exception name. Never an exception from
 * protobuf or the cipher, never an {@code Error}, never a hang.
 *
 * <p><b>Also checked:</b> a file that opens holds contents of format version 1, which sealed again
 * under its own header decode and open to equal contents; in the provider mode the file is never
 * written (its bytes are the same afterwards, its lock file stays empty, no temporary file is
 * left).
 */
public class KeystoreFileFuzzTest {
  /** The fixed raw keystore key of the target and of its seeds (bytes 0..31). */
  static final byte[] KEY = new byte[32];

  /** The file name the codec reports in its messages (modes file and contents). */
  static final Path FILE = Path.of("/fuzz/keystore");

  /** The header the contents mode seals under: format 2, raw key, fixed nonce and write salt. */
  static final KeystoreHeader HEADER =
      KeystoreHeader.newBuilder()
          .setFormatVersion(KeystoreCodec.FORMAT_VERSION)
          .setRawKeyLabel(ByteString.copyFrom(new byte[16]))
          .setNonce(ByteString.copyFrom(new byte[12]))
          .setWriteSalt(ByteString.copyFrom(new byte[KeystoreKeys.WRITE_SALT_BYTES]))
          .build();

  /** The keystore's documented messages; {@code {file}} is the file. */
  private static final List<String> MESSAGES =
      List.of(
          "Keystore {file} is empty \\(0 bytes\\): it is damaged, truncated or not a Coffer keystore\\.",
          "Keystore {file} is damaged, truncated or not a Coffer keystore\\.",
          "Keystore {file} has format version \\d+, which this version of Coffer cannot read\\.",
          "Cannot open keystore {file}: the passphrase or key is wrong, or the file was modified\\.",
          "Keystore {file} holds contents of format version \\d+, which this version of Coffer cannot read\\.",
          "Keystore {file} is protected by a passphrase, but a raw key was given\\.",
          "Keystore {file} was rolled back: it holds generation \\d+, but generation \\d+ was seen before\\. .*");

  private static final Pattern JAVA_NAME =
      Pattern.compile(
          "\\b(java|javax|com|org|dev|sun)\\.[a-z]+(\\.[A-Za-z]+)*(Exception|Error)\\b|[A-Za-z](Exception|Error)\\b");

  /**
   * The provider mode's clock: fixed, and late enough that every rotation and deletion the seeds
   * schedule has fallen due (opening applies none of them; only a call would, and may write).
   */
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2100-01-01T00:00:00Z"), ZoneOffset.UTC);

  private static Path providerDir;

  static {
    for (int i = 0; i < KEY.length; i++) {
      KEY[i] = (byte) i;
    }
  }

  @FuzzTest(maxDuration = "30s")
  void fuzz(byte[] input) {
    check(input);
  }

  /** The check of one input (see the class comment). */
  public static void check(byte[] input) {
    if (input.length == 0) {
      return;
    }
    byte[] rest = Arrays.copyOfRange(input, 1, input.length);
    switch ((input[0] & 0xFF) % 3) {
      case 0 -> checkFile(rest);
      case 1 -> checkFile(KeystoreCodec.seal(HEADER, key(), rest));
      default -> checkProvider(rest);
    }
  }

  private static SecretBytes key() {
    return SecretBytes.wrap(KEY.clone());
  }

  private static void checkFile(byte[] bytes) {
    KeystoreCodec.Parsed parsed;
    KeystoreContents contents;
    try (SecretBytes key = key()) {
      try {
        parsed = KeystoreCodec.decode(FILE, bytes);
        contents = KeystoreCodec.open(FILE, parsed, key);
      } catch (InvalidKeystoreException e) {
        assertDocumented(e, FILE);
        return;
      }
      assertThat(contents.getFormatVersion()).isEqualTo(KeystoreCodec.CONTENTS_VERSION);
      int version = parsed.header().getFormatVersion();
      assertThat(
              version == KeystoreCodec.FORMAT_VERSION || version == KeystoreCodec.FORMAT_VERSION_1)
          .isTrue();
      byte[] again = KeystoreCodec.encode(parsed.header(), key, contents);
      assertThat(KeystoreCodec.open(FILE, KeystoreCodec.decode(FILE, again), key))
          .isEqualTo(contents);
      try {
        assertThat(KeystoreContents.parseFrom(contents.toByteArray())).isEqualTo(contents);
      } catch (InvalidProtocolBufferException e) {
        throw new AssertionError("decoded contents do not re-encode", e);
      }
    }
  }

  private static synchronized void checkProvider(byte[] bytes) {
    try {
      if (providerDir == null) {
        Files.createDirectories(Path.of("target"));
        providerDir =
            Files.createTempDirectory(Path.of("target").toAbsolutePath(), "keystore-fuzz-");
      }
      Path file = providerDir.resolve("keystore");
      Path lock = providerDir.resolve("keystore.lock");
      Files.write(file, bytes);
      Files.deleteIfExists(lock);
      try (LocalKeyProvider p =
          LocalKeyProvider.builder()
              .keystore(file)
              .rawKey(key())
              .createIfMissing(false)
              .clock(CLOCK)
              .auditSink(AuditSink.none())
              .build()) {
        assertThat(p.keystore()).isEqualTo(file);
      } catch (InvalidKeystoreException e) {
        assertDocumented(e, file);
      }
      assertThat(Files.readAllBytes(file))
          .as("the keystore file is never written")
          .isEqualTo(bytes);
      assertThat(Files.size(lock)).as("nothing is recorded in the lock file").isZero();
      try (Stream<Path> files = Files.list(providerDir)) {
        assertThat(files.map(f -> f.getFileName().toString()).sorted().collect(Collectors.toList()))
            .as("no temporary file is left")
            .containsExactly("keystore", "keystore.lock");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void assertDocumented(InvalidKeystoreException e, Path file) {
    String message = e.getMessage();
    assertThat(message).as("message of " + e).isNotNull().doesNotContain("\n").doesNotContain("\r");
    assertThat(message.length()).as(message).isLessThanOrEqualTo(1000);
    assertThat(JAVA_NAME.matcher(message).find())
        .as("a Java exception name in " + message)
        .isFalse();
    String f = Pattern.quote(file.toString());
    assertThat(MESSAGES.stream().anyMatch(m -> message.matches(m.replace("{file}", f))))
        .as("a documented keystore message: " + message)
        .isTrue();
  }
}
