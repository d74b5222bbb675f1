package dev.coffer.cli.matrix;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Another process that holds a store: run in a child JVM, it takes the POSIX lock RocksDB takes on
 * the store's {@code LOCK} file, prints {@code locked}, and keeps it until its standard input
 * closes. For {@link BadInputMatrixTest}'s "store locked by another process" case.
 */
public final class StoreLockHolder {
  private StoreLockHolder() {}

  public static void main(String[] args) throws IOException {
    try (FileChannel channel =
            FileChannel.open(
                Path.of(args[0]), StandardOpenOption.WRITE, StandardOpenOption.CREATE);
        FileLock lock = channel.lock()) {
      System.out.println("locked");
      System.out.flush();
      while (System.in.read() >= 0) {
        // hold the lock until the parent closes our stdin (or dies)
      }
    }
  }
}
