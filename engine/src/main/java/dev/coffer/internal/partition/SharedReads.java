package dev.coffer.internal.partition;

import com.google.protobuf.ByteString;
import dev.coffer.internal.catalog.TableContext;

/**
 * Point look-ups under a root the caller read itself, with its version (a shared backend's
 * validated reads: {@code TransactionReader}). Stateless.
 */
public final class SharedReads {
  private SharedReads() {}

  /**
   * The leaf for {@code sortKey} in the tree under {@code root}; the other nodes come from {@code
   * reader}.
   */
  public static Node leafUnder(
      NodeReader reader, TableContext t, byte[] token, Node root, ByteString sortKey) {
    return TreePath.descend(reader, t, token, root, sortKey).leaf();
  }
}
