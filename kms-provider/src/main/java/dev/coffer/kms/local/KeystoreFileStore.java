package dev.coffer.kms.local;

import com.google.protobuf.ByteString;
import dev.coffer.kms.InvalidKeystoreException;
import dev.coffer.kms.KeyProviderClosedException;
import dev.coffer.kms.KeyProviderException;
import dev.coffer.kms.KeyProviderUnavailableException;
import dev.coffer.kms.KeystoreRollbackException;
import dev.coffer.kms.KmsValidationException;
import dev.coffer.kms.SecretBytes;
import dev.coffer.kms.internal.AesGcm;
import dev.coffer.kms.internal.RingStore;
import dev.coffer.proto.Argon2idParams;
import dev.coffer.proto.KeystoreContents;
import dev.coffer.proto.KeystoreHeader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.UnaryOperator;

/**
 * A {@link RingStore} over one keystore file, shared safely by threads, provider instances and
 * processes.
 *
 * <ul>
 *   <li>Every change is reload-modify-save under an exclusive lock: a JVM-wide lock per file (so
 *       instances in one process queue up) and a {@link FileChannel#lock() file lock} on the
 *       sibling {@code <name>.lock} (so processes do). No update is lost.
 *   <li>A save writes {@code <name>.tmp-<random>} in the same directory, fsyncs it, renames it over
 *       the keystore with {@code ATOMIC_MOVE} and fsyncs the directory: after a crash the file is
 *       either the old or the new state. Leftover temporary files are ignored, and deleted under
 *       the lock when a store opens.
 *   <li>{@link #reloadIfChanged()} compares the file's identity (inode), size and modification time
 *       with what was last handed to the ring, and reads the file again only when they differ; a
 *       keystore file that has disappeared fails every call with {@code
 *       KeyProviderUnavailableException} (retryable) until it is back, instead of serving its keys
 *       from memory.
 * </ul>
 *
 * Holds the keystore key in memory until {@link #close()}, which wipes it. Thread-safe.
 */
final class KeystoreFileStore implements RingStore, AutoCloseable {
  /**
   * The highest generation seen, per keystore file (its real path: a symbolic link or another
   * spelling of the path shares the entry) and id, by every store of this process.
   */
  private static final ConcurrentHashMap<String, AtomicLong> HIGHEST = new ConcurrentHashMap<>();

  /** The shortest passphrase a new keystore accepts (NIST SP 800-63B: at least 8 characters). */
  static final int MIN_PASSPHRASE_CHARS = 8;

  private final Path file;
  private final Path lockFile;
  private final ReentrantLock processLock;

  /** The header's key source (params and salt, or raw label); the nonce is fresh per write. */
  private final KeystoreHeader headerTemplate;

  private final SecretBytes key;
  private final KeystoreContents initial;
  private final AtomicLong highest;
  private KeystoreFiles.Stamp delivered;
  private volatile boolean closed;

  private KeystoreFileStore(
      Path file,
      Path lockFile,
      ReentrantLock processLock,
      KeystoreHeader headerTemplate,
      SecretBytes key,
      KeystoreContents initial,
      KeystoreFiles.Stamp delivered,
      AtomicLong highest) {
    this.file = file;
    this.highest = highest;
    this.lockFile = lockFile;
    this.processLock = processLock;
    this.headerTemplate = headerTemplate;
    this.key = key;
    this.initial = initial;
    this.delivered = delivered;
  }

  /** How the keystore key is obtained. Wiped by {@link #open}. */
  static final class Secret {
    final char[] passphrase;
    final SecretBytes rawKey;
    final int memoryKib;
    final int iterations;
    final int parallelism;

    Secret(char[] passphrase, SecretBytes rawKey, int memoryKib, int iterations, int parallelism) {
      this.passphrase = passphrase;
      this.rawKey = rawKey;
      this.memoryKib = memoryKib;
      this.iterations = iterations;
      this.parallelism = parallelism;
    }

    void wipe() {
      if (passphrase != null) {
        Arrays.fill(passphrase, '\0');
      }
      if (rawKey != null) {
        rawKey.destroy();
      }
    }
  }

  /**
   * Opens {@code file}, creating an empty keystore (with {@code account} and {@code region}) when
   * it does not exist and {@code create} allows. Wipes {@code secret}.
   *
   * @throws InvalidKeystoreException wrong secret, a damaged or empty file, a directory at {@code
   *     file}, or no file and no {@code create}
   * @throws KeyProviderUnavailableException the file cannot be read or written (in words, {@link
   *     KeystoreFiles#describe})
   */
  static KeystoreFileStore open(
      Path file, Secret secret, boolean create, String account, String region, String owner) {
    Path abs = file.toAbsolutePath().normalize();
    Path lockFile = abs.resolveSibling(abs.getFileName() + ".lock");
    try {
      if (Files.isDirectory(abs)) {
        throw new InvalidKeystoreException(
            "Cannot open keystore " + abs + ": it is a directory, not a keystore file.");
      }
      if (!create && !Files.exists(abs)) {
        throw new InvalidKeystoreException(
            "There is no keystore at "
                + abs
                + ": check the path, or create a keystore there (local:<path>?create, or createIfMissing(true)).");
      }
      Files.createDirectories(abs.getParent());
      Path real = realPath(abs);
      ReentrantLock processLock = KeystoreFiles.processLock(lockFile);
      return KeystoreFiles.locked(
          processLock,
          lockFile,
          abs,
          lockChannel -> {
            KeystoreFiles.deleteLeftoverTemporaryFiles(abs);
            if (Files.exists(abs)) {
              KeystoreFiles.Stamp stamp = KeystoreFiles.Stamp.of(abs);
              KeystoreCodec.Parsed parsed = KeystoreCodec.decode(abs, read(abs));
              KeystoreHeader template =
                  parsed.header().toBuilder()
                      .clearNonce()
                      .clearWriteSalt()
                      .setFormatVersion(KeystoreCodec.FORMAT_VERSION)
                      .build();
              SecretBytes key = keyFor(abs, parsed.header(), secret);
              try {
                KeystoreContents contents = KeystoreCodec.open(abs, parsed, key);
                long recorded =
                    KeystoreKeys.readGenerationRecord(
                        key, contents.getKeystoreId(), KeystoreFiles.readRecord(lockChannel));
                AtomicLong seen = highest(real, contents.getKeystoreId());
                checkFresh(abs, contents, Math.max(recorded, seen.get()));
                seen.accumulateAndGet(contents.getGeneration(), Math::max);
                return new KeystoreFileStore(
                    abs, lockFile, processLock, template, key, contents, stamp, seen);
              } catch (RuntimeException e) {
                key.destroy();
                throw e;
              }
            }
            KeystoreHeader.Builder template =
                KeystoreHeader.newBuilder().setFormatVersion(KeystoreCodec.FORMAT_VERSION);
            SecretBytes key;
            if (secret.passphrase != null && secret.passphrase.length < MIN_PASSPHRASE_CHARS) {
              throw new KmsValidationException(
                  "A new keystore's passphrase must have at least "
                      + MIN_PASSPHRASE_CHARS
                      + " characters (NIST SP 800-63B's minimum); this one has "
                      + secret.passphrase.length
                      + ".",
                  null,
                  null);
            }
            if (secret.rawKey != null) {
              template.setRawKeyLabel(ByteString.copyFrom(AesGcm.randomBytes(16)));
              key = secret.rawKey.duplicate();
            } else {
              Argon2idParams params =
                  Argon2id.newParams(secret.memoryKib, secret.iterations, secret.parallelism);
              template.setArgon2Id(params);
              key = Argon2id.derive(secret.passphrase, params);
            }
            KeystoreContents contents = RingStore.emptyContents(account, region, owner);
            KeystoreFileStore store =
                new KeystoreFileStore(
                    abs,
                    lockFile,
                    processLock,
                    template.build(),
                    key,
                    contents,
                    null,
                    highest(real, contents.getKeystoreId()));
            store.write(contents, lockChannel);
            return store;
          });
    } catch (IOException e) {
      throw unavailable("Cannot open keystore " + abs, abs, e);
    } finally {
      secret.wipe();
    }
  }

  /**
   * The highest generation this process has seen of keystore {@code keystoreId} at {@code
   * realPath}.
   */
  private static AtomicLong highest(Path realPath, String keystoreId) {
    return HIGHEST.computeIfAbsent(realPath + "#" + keystoreId, f -> new AtomicLong());
  }

  private AtomicLong highest() {
    return highest;
  }

  /** {@code abs} with its directory's links resolved, and its own when it is one. */
  private static Path realPath(Path abs) throws IOException {
    Path p = abs.getParent().toRealPath().resolve(abs.getFileName());
    return Files.exists(p) ? p.toRealPath() : p;
  }

  /** Refuses contents older than generation {@code floor}: a rolled-back keystore. */
  private static void checkFresh(Path file, KeystoreContents contents, long floor) {
    if (contents.getGeneration() < floor) {
      throw new KeystoreRollbackException(
          "Keystore "
              + file
              + " was rolled back: it holds generation "
              + contents.getGeneration()
              + ", but generation "
              + floor
              + " was seen before. Refusing the older state (a"
              + " copied-back keystore can re-enable keys and grants); see docs/key-providers.md to accept it on purpose.");
    }
  }

  /**
   * Raises the floor of generations accepted from this keystore to {@code generation} (a generation
   * recorded elsewhere, e.g. in a store's header): later reloads below it fail.
   */
  void requireGeneration(long generation) {
    highest().accumulateAndGet(generation, Math::max);
  }

  private static SecretBytes keyFor(Path file, KeystoreHeader header, Secret secret) {
    switch (header.getKeySourceCase()) {
      case ARGON2ID:
        if (secret.passphrase == null) {
          throw new InvalidKeystoreException(
              "Keystore " + file + " is protected by a passphrase, but a raw key was given.");
        }
        return Argon2id.derive(secret.passphrase, header.getArgon2Id());
      case RAW_KEY_LABEL:
        if (secret.rawKey == null) {
          throw new InvalidKeystoreException(
              "Keystore " + file + " is protected by a raw key, but a passphrase was given.");
        }
        return secret.rawKey.duplicate();
      default:
        throw KeystoreCodec.damaged(file);
    }
  }

  /** The keystore file. */
  Path file() {
    return file;
  }

  @Override
  public synchronized KeystoreContents load() {
    checkOpen();
    return initial;
  }

  @Override
  public synchronized void save(KeystoreContents contents) {
    update(null, c -> contents);
  }

  @Override
  public synchronized KeystoreContents reloadIfChanged() {
    checkOpen();
    KeystoreFiles.Stamp now = stampOrNull();
    if (now == null) {
      // Gone (deleted by its owner, or lost): the keys it held are not served from memory any more,
      // or a deleted keystore would keep every running process working forever.
      throw disappeared();
    }
    if (now.equals(delivered)) {
      return null;
    }
    KeystoreContents contents = readContents();
    delivered = now;
    return contents;
  }

  @Override
  public synchronized KeystoreContents update(
      KeystoreContents current, UnaryOperator<KeystoreContents> change) {
    checkOpen();
    try {
      return KeystoreFiles.locked(
          processLock,
          lockFile,
          file,
          lockChannel -> {
            KeystoreFiles.Stamp before = stampOrNull();
            if (before == null) {
              // Never re-create a vanished keystore from this process's copy: the copy may predate
              // a change another process made (a revoked grant) before the file was deleted.
              throw disappeared();
            }
            // Another process's write recorded its generation here: never write at or below it.
            highest()
                .accumulateAndGet(
                    KeystoreKeys.readGenerationRecord(
                        key, initial.getKeystoreId(), KeystoreFiles.readRecord(lockChannel)),
                    Math::max);
            KeystoreContents latest = current;
            if (latest == null || !before.equals(delivered)) {
              latest = readContents();
            }
            KeystoreContents next = change.apply(latest);
            if (next != latest) {
              write(next, lockChannel);
            } else {
              delivered = before;
            }
            return next;
          });
    } catch (IOException e) {
      throw unavailable("Cannot update keystore " + file, file, e);
    }
  }

  /** Wipes the keystore key. Idempotent. */
  @Override
  public synchronized void close() {
    if (!closed) {
      closed = true;
      key.destroy();
    }
  }

  boolean isClosed() {
    return closed;
  }

  // ---------------------------------------------------------------- file handling

  /**
   * Writes {@code contents} crash-safely and records the new file as delivered. Under the locks.
   */
  private void write(KeystoreContents contents, FileChannel lockChannel) throws IOException {
    if (contents.getGeneration() <= highest().get()) {
      throw new KeystoreRollbackException(
          "Keystore "
              + file
              + ": refusing to write generation "
              + contents.getGeneration()
              + " over generation "
              + highest().get()
              + ".");
    }
    KeystoreHeader header =
        headerTemplate.toBuilder()
            .setNonce(ByteString.copyFrom(AesGcm.newNonce()))
            .setWriteSalt(ByteString.copyFrom(AesGcm.randomBytes(KeystoreKeys.WRITE_SALT_BYTES)))
            .build();
    byte[] bytes = KeystoreCodec.encode(header, key, contents);
    Path tmp =
        file.resolveSibling(
            file.getFileName() + ".tmp-" + HexFormat.of().formatHex(AesGcm.randomBytes(8)));
    try {
      // Write and fsync the new state beside the old one.
      try (FileChannel ch =
          FileChannel.open(
              tmp,
              Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
              KeystoreFiles.PRIVATE_FILE)) {
        ByteBuffer buf = ByteBuffer.wrap(bytes);
        while (buf.hasRemaining()) {
          ch.write(buf);
        }
        ch.force(true);
      }
      // Publish it atomically, then make the rename durable.
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
      KeystoreFiles.fsyncDirectory(file.getParent());
    } finally {
      Files.deleteIfExists(tmp);
    }
    delivered = KeystoreFiles.Stamp.of(file);
    highest().accumulateAndGet(contents.getGeneration(), Math::max);
    writeRecord(contents, lockChannel);
  }

  /**
   * Records the generation just written in the lock file (under the lock): an authenticated hint,
   * not a root of trust (docs/key-providers.md). A failure to write it fails nothing.
   */
  private void writeRecord(KeystoreContents contents, FileChannel lockChannel) {
    byte[] record =
        KeystoreKeys.generationRecord(key, contents.getKeystoreId(), contents.getGeneration());
    try {
      // Through the locked channel: closing another descriptor of the file would drop the lock.
      lockChannel.truncate(0);
      ByteBuffer buf = ByteBuffer.wrap(record);
      long at = 0;
      while (buf.hasRemaining()) {
        at += lockChannel.write(buf, at);
      }
      lockChannel.force(true);
    } catch (IOException e) {
      // The keystore itself is written; the record only helps notice a copied-back keystore.
    }
  }

  private KeystoreContents readContents() {
    try {
      KeystoreCodec.Parsed parsed = KeystoreCodec.decode(file, read(file));
      KeystoreHeader source = parsed.header();
      if (source.hasArgon2Id() && !source.getArgon2Id().equals(headerTemplate.getArgon2Id())) {
        throw new InvalidKeystoreException(
            "Keystore "
                + file
                + " was re-created with another passphrase salt since it was opened; open it again.");
      }
      if (source.getKeySourceCase() != headerTemplate.getKeySourceCase()) {
        throw new InvalidKeystoreException(
            "Keystore " + file + " changed its kind of key since it was opened; open it again.");
      }
      KeystoreContents contents = KeystoreCodec.open(file, parsed, key);
      if (!contents.getKeystoreId().equals(initial.getKeystoreId())) {
        throw new InvalidKeystoreException(
            "Keystore "
                + file
                + " was replaced by another keystore since it was"
                + " opened; open it again.");
      }
      checkFresh(file, contents, highest().get());
      highest().accumulateAndGet(contents.getGeneration(), Math::max);
      return contents;
    } catch (NoSuchFileException e) {
      throw new KeyProviderUnavailableException(
          "Keystore " + file + " has disappeared: it was deleted or moved since it was opened.",
          null,
          null,
          e);
    } catch (IOException e) {
      throw unavailable("Cannot read keystore " + file, file, e);
    }
  }

  private static byte[] read(Path file) throws IOException {
    long size = Files.size(file);
    if (size > KeystoreCodec.MAX_FILE_BYTES) {
      throw KeystoreCodec.damaged(file);
    }
    return Files.readAllBytes(file);
  }

  private KeystoreFiles.Stamp stampOrNull() {
    try {
      return KeystoreFiles.Stamp.of(file);
    } catch (NoSuchFileException e) {
      return null;
    } catch (IOException e) {
      throw unavailable("Cannot read keystore " + file, file, e);
    }
  }

  private KeyProviderUnavailableException disappeared() {
    return new KeyProviderUnavailableException(
        "Keystore "
            + file
            + " has disappeared; the keys it held are not served from memory, and it is not"
            + " written again from memory. Restore the file to use them again.",
        null,
        null);
  }

  private void checkOpen() {
    if (closed) {
      throw new KeyProviderClosedException(
          "The local key provider for " + file + " is closed.", null, null);
    }
  }

  /**
   * {@code message}, then what went wrong in words ({@link KeystoreFiles#describe}); never a Java
   * class name.
   */
  private static KeyProviderException unavailable(String message, Path file, IOException e) {
    return new KeyProviderUnavailableException(
        message + ": " + KeystoreFiles.describe(e, file) + ".", null, null, e);
  }
}
