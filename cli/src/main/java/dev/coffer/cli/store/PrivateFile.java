package dev.coffer.cli.store;

import dev.coffer.cli.CliInputException;
import dev.coffer.cli.input.Excerpt;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;

/**
 * A file that receives plaintext (an export): created new, readable and writable by its owner only
 * (mode 0600 from the moment it exists, on file systems with POSIX permissions), never through a
 * symbolic link. Without {@code replace} an existing path, a symbolic link included (even one that
 * points nowhere), is refused; with it the data is written to a new file beside the target and
 * renamed over it, which replaces a link itself and never the file it points to. Until {@link
 * #commit()} nothing is at the target (replace) or a partial file is (new), which {@link #close()}
 * deletes. Not thread-safe.
 */
final class PrivateFile implements AutoCloseable {
  private static final String OPTION = "--output-file";

  private final Path target;
  private final Path written;
  private final boolean replace;
  private final FileChannel channel;
  private boolean committed;

  private PrivateFile(Path target, Path written, boolean replace, FileChannel channel) {
    this.target = target;
    this.written = written;
    this.replace = replace;
    this.channel = channel;
  }

  /**
   * Checks, before any work, that {@code target} can be created: it must not exist unless {@code
   * replace}, and must not be a directory.
   *
   * @throws CliInputException (bad usage) when it cannot
   */
  static void checkTarget(Path target, boolean replace) {
    if (Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
      throw CliInputException.parameter(OPTION, Excerpt.of(target.toString()) + " is a directory");
    }
    if (!replace && Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
      throw exists(target);
    }
  }

  /**
   * Creates the file (or, with {@code replace}, a new file beside {@code target}), mode 0600.
   *
   * @throws CliInputException when it exists and {@code replace} is not set
   * @throws IOException when it cannot be created
   */
  static PrivateFile create(Path target, boolean replace) throws IOException {
    checkTarget(target, replace);
    Path written = target;
    FileChannel channel;
    if (replace) {
      Path dir = target.toAbsolutePath().getParent();
      written =
          Files.createTempFile(
              dir, "." + target.getFileName() + ".", ".partial", ownerOnly(target));
      channel = FileChannel.open(written, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
    } else {
      try {
        channel =
            FileChannel.open(
                target,
                EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                ownerOnly(target));
      } catch (FileAlreadyExistsException e) {
        throw exists(target); // created by someone else since checkTarget
      }
    }
    return new PrivateFile(target, written, replace, channel);
  }

  /** Where to write. Closing it flushes it and neither closes nor commits the file. */
  OutputStream stream() {
    return new FilterOutputStream(Channels.newOutputStream(channel)) {
      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
      }

      @Override
      public void close() throws IOException {
        flush();
      }
    };
  }

  /** Flushes the file to disk and, with replace, renames it over the target. */
  void commit() throws IOException {
    channel.force(true);
    channel.close();
    if (replace) {
      Files.move(
          written, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
    committed = true;
  }

  /** Deletes what was written unless {@link #commit()} succeeded. */
  @Override
  public void close() throws IOException {
    channel.close();
    if (!committed) {
      Files.deleteIfExists(written);
    }
  }

  private static FileAttribute<?>[] ownerOnly(Path file) {
    if (!file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
      return new FileAttribute<?>[0]; // no POSIX modes here: the directory's permissions apply
    }
    return new FileAttribute<?>[] {
      PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))
    };
  }

  private static CliInputException exists(Path target) {
    return CliInputException.parameter(
        OPTION,
        Excerpt.of(target.toString())
            + " exists: pass --overwrite to replace it (export never writes through an existing file or link)");
  }
}
