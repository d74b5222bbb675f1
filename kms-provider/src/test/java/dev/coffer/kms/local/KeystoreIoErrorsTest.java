package dev.coffer.kms.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.coffer.kms.InvalidKeystoreException;
import dev.coffer.kms.KeyManagement.CreateKeyRequest;
import dev.coffer.kms.KeyProviderContext;
import dev.coffer.kms.KeyProviderException;
import dev.coffer.kms.KeyProviderUnavailableException;
import dev.coffer.kms.KeyProviders;
import dev.coffer.kms.SecretBytes;
import dev.coffer.kms.audit.AuditSink;
import dev.coffer.kms.internal.AesGcm;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every way a {@code local:} keystore path or file can be unusable gives one sentence that names
 * the path and the problem, never a Java exception's name (a finding of the bad-input matrix,
 * docs/fuzzing.md: "Cannot open keystore /tmp: java.io.IOException: Is a directory"), and nothing
 * is created or written beside a path that cannot be a keystore.
 */
class KeystoreIoErrorsTest {
  @TempDir Path dir;

  private final byte[] raw = AesGcm.randomBytes(32);

  private LocalKeyProvider open(Path keystore, boolean create) {
    return LocalKeyProvider.builder()
        .keystore(keystore)
        .rawKey(SecretBytes.wrap(raw.clone()))
        .createIfMissing(create)
        .auditSink(AuditSink.none())
        .build();
  }

  private <T extends KeyProviderException> T openFails(
      Class<T> type, Path keystore, boolean create) {
    T e = catchThrowableOfType(type, () -> open(keystore, create).close());
    assertThat(e).as("opening " + keystore).isNotNull();
    assertNoJavaNames(e.getMessage());
    return e;
  }

  private Path realKeystore() {
    Path file = dir.resolve("real.keystore");
    try (LocalKeyProvider p = open(file, true)) {
      p.createKey(CreateKeyRequest.withDescription("k"));
    }
    return file;
  }

  @Test
  void aDirectoryIsNotAKeystoreAndNothingIsCreatedBesideIt() throws Exception {
    Path sub = Files.createDirectory(dir.resolve("sub"));
    for (boolean create : new boolean[] {false, true}) {
      assertThat(openFails(InvalidKeystoreException.class, sub, create))
          .hasMessage("Cannot open keystore " + sub + ": it is a directory, not a keystore file.");
    }
    assertThat(dir.resolve("sub.lock")).doesNotExist();
  }

  @Test
  void aPathUnderARegularFileSaysWhichPartIsNotADirectory() throws Exception {
    Path file = Files.writeString(dir.resolve("plain"), "x");
    Path keystore = file.resolve("sub").resolve("keystore");
    assertThat(openFails(KeyProviderUnavailableException.class, keystore, true).getMessage())
        .startsWith("Cannot open keystore " + keystore + ": ")
        .contains(file.toString())
        .contains("not a directory");
    assertThat(Files.readString(file)).isEqualTo("x");
  }

  @Test
  void aMissingParentWithoutCreateIsNoKeystoreAndCreatesNothing() {
    Path keystore = dir.resolve("missing").resolve("keystore");
    assertThat(openFails(InvalidKeystoreException.class, keystore, false).getMessage())
        .startsWith("There is no keystore at " + keystore + ": check the path");
    assertThat(dir.resolve("missing")).doesNotExist();
  }

  @Test
  void anEmptyFileIsSaidToBeEmpty() throws Exception {
    Path file = Files.write(dir.resolve("empty.keystore"), new byte[0]);
    assertThat(openFails(InvalidKeystoreException.class, file, false))
        .hasMessage(
            "Keystore "
                + file
                + " is empty (0 bytes): it is damaged, truncated or not a Coffer keystore.");
    assertThat(file).isEmptyFile();
  }

  @Test
  void aTruncatedKeystoreIsDamaged() throws Exception {
    Path file = realKeystore();
    byte[] bytes = Files.readAllBytes(file);
    for (int length : new int[] {1, 2, 10, bytes.length / 2, bytes.length - 1}) {
      Files.write(file, Arrays.copyOf(bytes, length));
      assertThat(openFails(InvalidKeystoreException.class, file, false))
          .hasMessage("Keystore " + file + " is damaged, truncated or not a Coffer keystore.");
      assertThat(Files.size(file)).isEqualTo(length);
    }
  }

  @Test
  void aGarbledKeystoreFailsItsTagOrItsFraming() throws Exception {
    Path file = realKeystore();
    byte[] bytes = Files.readAllBytes(file);
    byte[] flippedAtTheEnd = bytes.clone();
    flippedAtTheEnd[bytes.length - 1] ^= 1;
    Files.write(file, flippedAtTheEnd);
    assertThat(openFails(InvalidKeystoreException.class, file, false))
        .hasMessage(
            "Cannot open keystore "
                + file
                + ": the passphrase or key is wrong, or the file was modified.");

    Files.writeString(file, "this is not a keystore at all\n");
    assertThat(openFails(InvalidKeystoreException.class, file, false))
        .hasMessage("Keystore " + file + " is damaged, truncated or not a Coffer keystore.");
    assertThat(Files.readString(file)).isEqualTo("this is not a keystore at all\n");
  }

  @Test
  void anUnreadableKeystoreSaysPermissionDenied() throws Exception {
    Path file = realKeystore();
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("---------"));
    try {
      assumeTrue(
          !Files.isReadable(file),
          "running as a user who reads any file (root): no permission to take away");
      assertThat(openFails(KeyProviderUnavailableException.class, file, false))
          .hasMessage("Cannot open keystore " + file + ": permission denied on " + file + ".");
    } finally {
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    }
  }

  @Test
  void everyIoFailureIsDescribedInWordsThatNameThePath() {
    Path p = Path.of("/data/keystore");
    assertThat(KeystoreFiles.describe(new NoSuchFileException("/data/x"), p))
        .isEqualTo("/data/x does not exist");
    assertThat(KeystoreFiles.describe(new AccessDeniedException("/data/x"), p))
        .isEqualTo("permission denied on /data/x");
    assertThat(KeystoreFiles.describe(new NotDirectoryException("/data"), p))
        .isEqualTo("/data is not a directory");
    assertThat(KeystoreFiles.describe(new FileAlreadyExistsException("/data"), p))
        .isEqualTo("/data is in the way (it exists and is not a directory)");
    assertThat(
            KeystoreFiles.describe(
                new FileSystemException("/etc/hostname/sub", null, "Not a directory"), p))
        .isEqualTo("a part of the path /etc/hostname/sub is not a directory");
    assertThat(KeystoreFiles.describe(new IOException("Is a directory"), p))
        .isEqualTo("/data/keystore is a directory, not a file");
    assertThat(
            KeystoreFiles.describe(
                new FileSystemException("/data/keystore", null, "Permission denied"), p))
        .isEqualTo("permission denied on /data/keystore");
    assertThat(
            KeystoreFiles.describe(
                new FileSystemException("/data/keystore.tmp-1", null, "No space left on device"),
                p))
        .isEqualTo("no space is left on the device of /data/keystore.tmp-1");
    assertThat(
            KeystoreFiles.describe(new FileSystemException(null, null, "Read-only file system"), p))
        .isEqualTo("the file system of /data/keystore is read-only");
    assertThat(KeystoreFiles.describe(new IOException("Input/output error"), p))
        .isEqualTo("an input/output error on /data/keystore");
    assertThat(KeystoreFiles.describe(new IOException(), p))
        .isEqualTo("an input/output error on /data/keystore");
    assertThat(KeystoreFiles.describe(new IOException("Stale file handle"), p))
        .isEqualTo("the operating system reports \"Stale file handle\" for /data/keystore");
    assertThat(KeystoreFiles.describe(new IOException(new IllegalStateException("x")), p))
        .isEqualTo("an input/output error on /data/keystore");
    assertThat(KeystoreFiles.describe(new IOException("java.io.EOFException: end\nof file"), p))
        .isEqualTo("an input/output error on /data/keystore");
  }

  @Test
  void aKeyFileThatIsADirectorySaysSo() throws Exception {
    Path keyDir = Files.createDirectory(dir.resolve("key-dir"));
    KeyProviderContext context =
        KeyProviderContext.builder()
            .environment(Map.of(LocalKeyProviderFactory.KEY_FILE, keyDir.toString())::get)
            .auditSink(AuditSink.none())
            .build();
    KeyProviderException e =
        catchThrowableOfType(
            KeyProviderException.class,
            () -> KeyProviders.open("local:" + dir.resolve("ks") + "?create", context).close());
    assertThat(e).isNotNull();
    assertNoJavaNames(e.getMessage());
    assertThat(e.getMessage()).contains(keyDir + " is a directory, not a file");
  }

  /** The same rule the command line's tests apply to a printed line (cli ErrorLines). */
  static void assertNoJavaNames(String message) {
    assertThat(message)
        .as("a Java exception name in " + message)
        .doesNotContainPattern(
            "\\b(java|javax|com|org|dev|sun)\\.[a-z]+(\\.[A-Za-z]+)*(Exception|Error)\\b")
        .doesNotContainPattern("\\b[A-Z][A-Za-z]*(Exception|Error)\\b")
        .doesNotContain("\n");
  }
}
