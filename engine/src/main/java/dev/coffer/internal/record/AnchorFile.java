package dev.coffer.internal.record;

import dev.coffer.CorruptionException;
import dev.coffer.StorageException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The file that holds a store's rollback anchor outside the store directory: {@code
 * <directory>/<store id hex>.anchor}, the sealed bytes {@link CatalogRecords#sealAnchor} made (what
 * they say is the catalog's business).
 *
 * <p><b>Crash safety.</b> {@link #write} writes a new file under a name of its own ({@code <store
 * id hex>.anchor.<random>.tmp}, created new, so two writers never share one), syncs it, moves it
 * over the anchor atomically and syncs the directory: a crash at any point leaves the old anchor or
 * the new one, never a torn one (a temporary file may be left behind; {@link #write} removes those
 * older than {@value #STALE_TEMP_MINUTES} minutes). Files are created {@code 0600} in a directory
 * created {@code 0700} where the file system has POSIX permissions; symbolic links are not
 * followed.
 *
 * <p><b>Several writers.</b> Copies of one store share one anchor file (it is named by the store
 * id). {@link #locked} runs a read-and-write under an exclusive lock, both within this process and
 * between processes (a {@link FileLock} on {@code <store id hex>.anchor.lock}), so the caller can
 * refuse to move an anchor backwards that another copy moved on. Thread-safe.
 */
public final class AnchorFile {
  /** The largest anchor file read: an anchor is well under 100 bytes. */
  private static final int MAX_BYTES = 4096;

  /** Temporary files older than this are left by a crash, and removed by the next write. */
  static final long STALE_TEMP_MINUTES = 10;

  private static final SecureRandom RANDOM = new SecureRandom();

  /** One monitor per anchor path in this process ({@link FileLock} is per process). */
  private static final ConcurrentHashMap<Path, Object> MONITORS = new ConcurrentHashMap<>();

  /** How long a read or write of the anchor waits for another process's lock. */
  private static final Duration LOCK_WAIT = Duration.ofSeconds(30);

  private final Path file;

  private AnchorFile(Path file) {
    this.file = file;
  }

  /** The anchor file of the store {@code storeIdHex} in {@code directory}. */
  public static AnchorFile in(Path directory, String storeIdHex) {
    return new AnchorFile(directory.toAbsolutePath().normalize().resolve(storeIdHex + ".anchor"));
  }

  /** The file's path. */
  public Path path() {
    return file;
  }

  /**
   * The anchor a renewal of the store key writes, sealed with the new catalog key, before it
   * commits (beside this one, {@code <store id>.anchor.renewal}): if the process dies after the
   * commit and before this anchor is rewritten, the open finds the anchor that opens under the key
   * the store has now here. Read and written under this anchor's lock.
   */
  public AnchorFile renewal() {
    return new AnchorFile(file.resolveSibling(file.getFileName() + ".renewal"));
  }

  /**
   * Deletes the file if it exists.
   *
   * @throws StorageException when it cannot be deleted
   */
  public void delete() {
    try {
      Files.deleteIfExists(file);
      syncDirectory(file.getParent());
    } catch (IOException e) {
      throw new StorageException("Cannot delete " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * Runs {@code action} (reads and writes of this anchor) while holding the anchor's lock: no other
   * thread of this process and no other process that takes it runs one at the same time.
   *
   * @throws StorageException when the lock file cannot be created or locked
   */
  public <T> T locked(Supplier<T> action) {
    Path dir = file.getParent();
    Object monitor;
    try {
      createDirectory(dir);
      // one monitor per file, however the directory is named (a symbolic link, a bind mount):
      // two monitors for one file would make the second FileLock of this process fail
      monitor =
          MONITORS.computeIfAbsent(dir.toRealPath().resolve(file.getFileName()), p -> new Object());
    } catch (IOException e) {
      throw new StorageException(
          "Cannot lock the store's rollback anchor " + file + ": " + e.getMessage(), e);
    }
    synchronized (monitor) {
      Path lockFile = dir.resolve(file.getFileName() + ".lock");
      try {
        boolean created = !Files.exists(lockFile, LinkOption.NOFOLLOW_LINKS);
        try (FileChannel ch =
                FileChannel.open(
                    lockFile,
                    StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE,
                    LinkOption.NOFOLLOW_LINKS);
            FileLock lock = lockWithin(ch, lockFile)) {
          if (created) {
            restrict(lockFile, "rw-------");
          }
          return action.get();
        }
      } catch (IOException | OverlappingFileLockException e) {
        throw new StorageException(
            "Cannot lock the store's rollback anchor " + file + ": " + e.getMessage(), e);
      }
    }
  }

  /**
   * The lock of {@code ch}, waited for at most {@link #LOCK_WAIT}: a process that holds it longer
   * (stopped, or stuck on a slow file system) fails this open, check or close instead of hanging
   * it.
   */
  private static FileLock lockWithin(FileChannel ch, Path lockFile) throws IOException {
    long deadline = System.nanoTime() + LOCK_WAIT.toNanos();
    while (true) {
      FileLock lock = ch.tryLock();
      if (lock != null) {
        return lock;
      }
      if (System.nanoTime() - deadline > 0) {
        throw new IOException(
            "another process has held " + lockFile + " for more than " + LOCK_WAIT);
      }
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while waiting for " + lockFile, e);
      }
    }
  }

  /**
   * The file's bytes, or null when there is no file.
   *
   * @throws CorruptionException when it is larger than an anchor can be, or not a regular file
   * @throws StorageException when it cannot be read
   */
  public byte[] read() {
    try {
      if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
        return null;
      }
      if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS) || Files.size(file) > MAX_BYTES) {
        throw new CorruptionException(
            "The store's rollback anchor "
                + file
                + " is not an anchor file (not a regular"
                + " file, or too large)",
            null,
            "rollback anchor");
      }
      return Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      return null;
    } catch (IOException e) {
      throw new StorageException(
          "Cannot read the store's rollback anchor " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * Replaces the file's contents with {@code bytes}, crash-safely: a crash leaves the old contents
   * or the new ones.
   *
   * @throws StorageException when it cannot be written
   */
  public void write(byte[] bytes) {
    Path dir = file.getParent();
    byte[] suffix = new byte[8];
    RANDOM.nextBytes(suffix);
    Path tmp = dir.resolve(file.getFileName() + "." + HexFormat.of().formatHex(suffix) + ".tmp");
    try {
      createDirectory(dir);
      try (FileChannel ch =
          FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        restrict(tmp, "rw-------");
        ByteBuffer buf = ByteBuffer.wrap(bytes);
        while (buf.hasRemaining()) {
          ch.write(buf);
        }
        ch.force(true);
      }
      try {
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
      }
      syncDirectory(dir);
    } catch (IOException e) {
      try {
        Files.deleteIfExists(tmp);
      } catch (IOException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw new StorageException(
          "Cannot write the store's rollback anchor " + file + ": " + e.getMessage(), e);
    }
    removeStaleTemporaryFiles(dir);
  }

  /** Removes this anchor's temporary files that a crash left (older than a writer can be). */
  private void removeStaleTemporaryFiles(Path dir) {
    Instant before = Instant.now().minus(Duration.ofMinutes(STALE_TEMP_MINUTES));
    try (DirectoryStream<Path> temps =
        Files.newDirectoryStream(dir, file.getFileName() + ".*.tmp")) {
      for (Path t : temps) {
        FileTime modified = Files.getLastModifiedTime(t, LinkOption.NOFOLLOW_LINKS);
        if (modified.toInstant().isBefore(before)) {
          Files.deleteIfExists(t);
        }
      }
    } catch (IOException e) {
      // a leftover temporary file is harmless (never read); the next write tries again
    }
  }

  private static void createDirectory(Path dir) throws IOException {
    if (Files.isDirectory(dir)) {
      return;
    }
    try {
      Files.createDirectories(dir);
    } catch (FileAlreadyExistsException e) {
      return;
    }
    restrict(dir, "rwx------");
  }

  private static void restrict(Path path, String permissions) throws IOException {
    try {
      Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(permissions));
    } catch (UnsupportedOperationException e) {
      // not a POSIX file system: the directory's own permissions apply
    }
  }

  private static void syncDirectory(Path dir) {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException e) {
      // some platforms cannot open a directory for syncing; the move itself is atomic
    }
  }
}
