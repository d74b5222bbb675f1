package dev.coffer.kms.local;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The file handling under {@link KeystoreFileStore}: the two locks (JVM-wide and on the sibling
 * {@code .lock} file), the generation record in that lock file, leftover temporary files, directory
 * fsync, owner-only permissions, and the identity of one version of the file. Stateless apart from
 * the JVM-wide lock table; thread-safe.
 */
final class KeystoreFiles {
  private static final ConcurrentHashMap<Path, ReentrantLock> PROCESS_LOCKS = new ConcurrentHashMap<>();
  /** Owner read and write only, where the file system has POSIX permissions. */
  static final FileAttribute<?>[] PRIVATE_FILE = privateFile();

  private KeystoreFiles() {}

  static void deleteLeftoverTemporaryFiles(Path file) throws IOException {
    try (DirectoryStream<Path> leftovers =
        Files.newDirectoryStream(file.getParent(), globQuote(file.getFileName().toString()) + ".tmp-*")) {
      for (Path p : leftovers) {
        Files.deleteIfExists(p);
      }
    }
  }

  static String globQuote(String name) {
    StringBuilder sb = new StringBuilder();
    for (char c : name.toCharArray()) {
      if ("*?[]{}\\".indexOf(c) >= 0) {
        sb.append('\\');
      }
      sb.append(c);
    }
    return sb.toString();
  }

  static void fsyncDirectory(Path dir) {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException e) {
      // Some platforms cannot open a directory; the rename itself is still atomic there.
    }
  }

  static ReentrantLock processLock(Path lockFile) throws IOException {
    try {
      Files.createFile(lockFile, PRIVATE_FILE);
    } catch (FileAlreadyExistsException e) {
      // Already there: fine.
    }
    return PROCESS_LOCKS.computeIfAbsent(lockFile.toRealPath(), p -> new ReentrantLock());
  }

  @FunctionalInterface
  interface IoBody<T> {
    T run(FileChannel lockChannel) throws IOException;
  }

  /** Runs {@code body} holding the JVM-wide lock and the file lock of {@code lockFile}. */
  static <T> T locked(ReentrantLock processLock, Path lockFile, Path file, IoBody<T> body) throws IOException {
    processLock.lock();
    try (FileChannel ch = FileChannel.open(
            lockFile, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        FileLock lock = ch.lock()) {
      Objects.requireNonNull(lock);
      return body.run(ch);
    } finally {
      processLock.unlock();
    }
  }

  /** The generation record kept in the (locked) lock file, or null when there is none. */
  static byte[] readRecord(FileChannel lockChannel) throws IOException {
    long size = lockChannel.size();
    if (size != KeystoreKeys.GENERATION_RECORD_BYTES) {
      return null;
    }
    ByteBuffer buf = ByteBuffer.allocate((int) size);
    long at = 0;
    while (buf.hasRemaining() && lockChannel.read(buf, at) > 0) {
      at = buf.position();
    }
    return buf.array();
  }

  static FileAttribute<?>[] privateFile() {
    try {
      if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
        return new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))};
      }
    } catch (RuntimeException e) {
      // Fall through: default permissions.
    }
    return new FileAttribute<?>[0];
  }

  /** What identifies one version of the file: its inode, size and modification time. */
  record Stamp(Object fileKey, long size, long modifiedNanos) {
    static Stamp of(Path file) throws IOException {
      BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
      return new Stamp(
          a.fileKey(), a.size(), a.lastModifiedTime().to(TimeUnit.NANOSECONDS));
    }
  }
}
