package dev.coffer.internal.partition;

import com.google.protobuf.ByteString;
import dev.coffer.internal.catalog.TableContext;

/** Point look-ups: the leaf whose range holds a sort key. The caller holds the partition lock. */
public final class TreePathReader {
  private TreePathReader() {}

  /** The leaf for {@code sortKey}, or null when the partition is empty. */
  public static Node leafFor(NodeReader reader, TableContext t, byte[] token, ByteString sortKey) {
    Node root = reader.read(t, token, 0);
    return root == null ? null : TreePath.descend(reader, t, token, root, sortKey).leaf();
  }
}
