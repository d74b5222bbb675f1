package dev.coffer.internal.record;

import dev.coffer.CorruptionException;
import dev.coffer.StorageException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The file that holds a store's rollback anchor outside the store directory: {@code
 * <directory>/<store id hex>.anchor}, the sealed bytes {@link CatalogRecords#sealAnchor} made (what
 * they say is the catalog's business). Written crash-safely (a new file beside it, synced, moved
 * over it atomically, the directory synced), created {@code 0600} in a directory created {@code
 * 0700} where the file system has POSIX permissions; symbolic links are not followed. Not
 * thread-safe (the store state serializes its use).
 */
public final class AnchorFile {
  /** The largest anchor file read: an anchor is well under 100 bytes. */
  private static final int MAX_BYTES = 4096;

  private final Path file;

  private AnchorFile(Path file) {
    this.file = file;
  }

  /** The anchor file of the store {@code storeIdHex} in {@code directory}. */
  public static AnchorFile in(Path directory, String storeIdHex) {
    return new AnchorFile(directory.toAbsolutePath().resolve(storeIdHex + ".anchor"));
  }

  /** The file's path. */
  public Path path() {
    return file;
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
   * Replaces the file's contents with {@code bytes}, crash-safely.
   *
   * @throws StorageException when it cannot be written
   */
  public void write(byte[] bytes) {
    Path dir = file.getParent();
    Path tmp = dir.resolve(file.getFileName() + ".new");
    try {
      createDirectory(dir);
      Files.deleteIfExists(tmp);
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
      throw new StorageException(
          "Cannot write the store's rollback anchor " + file + ": " + e.getMessage(), e);
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
