package dev.coffer.kms.local;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Pattern;

/**
 * The file handling under {@link KeystoreFileStore}: the two locks (JVM-wide and on the sibling
 * {@code .lock} file), the generation record in that lock file, leftover temporary files, directory
 * fsync, owner-only permissions, and the identity of one version of the file. Stateless apart from
 * the JVM-wide lock table; thread-safe.
 *
 * <p>{@link #describe} turns an I/O failure into words (the path and what is wrong with it), so no
 * keystore message carries a Java exception's name.
 */
final class KeystoreFiles {
  /** A Java class name in an exception's text (never put into a keystore message). */
  private static final Pattern JAVA_NAME =
      Pattern.compile("\\b(java|javax|sun|jdk)\\.[a-z]|[A-Za-z](Exception|Error)\\b");

  private static final ConcurrentHashMap<Path, ReentrantLock> PROCESS_LOCKS =
      new ConcurrentHashMap<>();

  /** Owner read and write only, where the file system has POSIX permissions. */
  static final FileAttribute<?>[] PRIVATE_FILE = privateFile();

  private KeystoreFiles() {}

  static void deleteLeftoverTemporaryFiles(Path file) throws IOException {
    try (DirectoryStream<Path> leftovers =
        Files.newDirectoryStream(
            file.getParent(), globQuote(file.getFileName().toString()) + ".tmp-*")) {
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
  static <T> T locked(ReentrantLock processLock, Path lockFile, Path file, IoBody<T> body)
      throws IOException {
    processLock.lock();
    try (FileChannel ch =
            FileChannel.open(
                lockFile,
                StandardOpenOption.CREATE,
                StandardOpenOption.READ,
                StandardOpenOption.WRITE);
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
        return new FileAttribute<?>[] {
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))
        };
      }
    } catch (RuntimeException e) {
      // Fall through: default permissions.
    }
    return new FileAttribute<?>[0];
  }

  /**
   * What went wrong in {@code e}, in words that name the path concerned (the file the exception
   * names, or {@code file}): "a part of the path /a/b is not a directory", "permission denied on
   * /a/b", ... Never a Java class name: the operating system's reason is quoted as it stands when
   * it is not one of the common ones, and a reason that names a Java class is not quoted at all.
   */
  static String describe(IOException e, Path file) {
    String path = file.toString();
    String reason = e.getMessage();
    if (e instanceof FileSystemException fse) {
      path = fse.getFile() != null ? fse.getFile() : path;
      reason = fse.getReason();
      if (e instanceof NoSuchFileException) {
        return path + " does not exist";
      }
      if (e instanceof AccessDeniedException) {
        return "permission denied on " + path;
      }
      if (e instanceof NotDirectoryException) {
        return path + " is not a directory";
      }
      if (e instanceof FileAlreadyExistsException) {
        return path + " is in the way (it exists and is not a directory)";
      }
      if (e instanceof FileSystemLoopException) {
        return "the path " + path + " loops through symbolic links";
      }
    }
    if (reason == null || reason.isBlank()) {
      return "an input/output error on " + path;
    }
    String r = reason.strip();
    if (JAVA_NAME.matcher(r).find()) {
      return "an input/output error on " + path;
    }
    switch (r.toLowerCase(Locale.ROOT)) {
      case "not a directory":
        return "a part of the path " + path + " is not a directory";
      case "is a directory":
        return path + " is a directory, not a file";
      case "permission denied":
      case "operation not permitted":
        return "permission denied on " + path;
      case "no such file or directory":
        return path + " does not exist";
      case "read-only file system":
        return "the file system of " + path + " is read-only";
      case "no space left on device":
        return "no space is left on the device of " + path;
      case "too many levels of symbolic links":
        return "the path " + path + " loops through symbolic links";
      case "file name too long":
        return "the path " + path + " is too long";
      case "input/output error":
        return "an input/output error on " + path;
      default:
        // The operating system's own words (strerror): keep them, never the exception's class.
        return "the operating system reports \"" + printable(r) + "\" for " + path;
    }
  }

  /** {@code text} with control characters replaced by spaces, at most 200 characters. */
  private static String printable(String text) {
    StringBuilder sb = new StringBuilder();
    text.codePoints()
        .limit(200)
        .forEach(c -> sb.appendCodePoint(Character.isISOControl(c) ? ' ' : c));
    return sb.toString();
  }

  /** What identifies one version of the file: its inode, size and modification time. */
  record Stamp(Object fileKey, long size, long modifiedNanos) {
    static Stamp of(Path file) throws IOException {
      BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
      return new Stamp(a.fileKey(), a.size(), a.lastModifiedTime().to(TimeUnit.NANOSECONDS));
    }
  }
}
