package dev.coffer.internal.verify;

import com.google.protobuf.ByteString;
import dev.coffer.AttributeValue;
import dev.coffer.Coffer;
import dev.coffer.EngineAccess;
import dev.coffer.Item;
import dev.coffer.internal.catalog.TableContext;
import dev.coffer.internal.model.ItemCodec;
import dev.coffer.internal.model.KeyCodec;
import dev.coffer.internal.record.Entry;
import dev.coffer.internal.record.PageContent;
import dev.coffer.proto.LeafEntry;
import java.util.List;
import java.util.concurrent.locks.Lock;

/**
 * Pages that authenticate but whose content is wrong, as a writer with a bug could seal them: built
 * here and sealed by the table's own records at a partition's node, as every page is.
 */
final class SealedPages {
  private SealedPages() {}

  /** The partition token of partition key {@code pk} (an S) of {@code table}. */
  static byte[] token(Coffer coffer, String table, String pk) {
    return EngineAccess.table(coffer, table)
        .keys()
        .tokens()
        .token(KeyCodec.partitionKeyBytes(AttributeValue.s(pk)));
  }

  /** The leaf entry of {@code item}, whose sort key attribute {@code sk} is an N. */
  static Entry entry(Item item) {
    return Entry.of(
        LeafEntry.newBuilder()
            .setSortKey(ByteString.copyFrom(KeyCodec.encodeSortKey(item.get("sk"))))
            .setItem(ItemCodec.toProto(item))
            .build());
  }

  /** A leaf page; {@code height} is the tree's when it is the root, else 0. */
  record Leaf(List<Entry> entries, long nextNodeId, int height) implements PageContent {
    @Override
    public boolean isLeaf() {
      return true;
    }

    @Override
    public List<ByteString> separators() {
      return List.of();
    }

    @Override
    public List<Long> children() {
      return List.of();
    }

    @Override
    public long deltaSeqBase() {
      return 0;
    }
  }

  /** An inner page; {@code height} is the tree's when it is the root, else 0. */
  record Inner(List<ByteString> separators, List<Long> children, long nextNodeId, int height)
      implements PageContent {
    @Override
    public boolean isLeaf() {
      return false;
    }

    @Override
    public List<Entry> entries() {
      return List.of();
    }

    @Override
    public long deltaSeqBase() {
      return 0;
    }
  }

  /** Seals {@code page} as node {@code nodeId} of partition {@code pk} of {@code table}. */
  static void put(Coffer coffer, String table, String pk, long nodeId, PageContent page) {
    TableContext t = EngineAccess.table(coffer, table);
    byte[] token = token(coffer, table, pk);
    Lock lock = EngineAccess.partitions(coffer).locks().forToken(token).writeLock();
    lock.lock();
    try {
      t.records().putNode(token, nodeId, page);
    } finally {
      lock.unlock();
    }
  }
}
