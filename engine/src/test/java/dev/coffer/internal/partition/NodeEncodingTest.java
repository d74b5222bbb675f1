package dev.coffer.internal.partition;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.coffer.AttributeValue;
import dev.coffer.Item;
import dev.coffer.internal.model.ItemCodec;
import dev.coffer.proto.InnerPage;
import dev.coffer.proto.LeafEntry;
import dev.coffer.proto.LeafPage;
import dev.coffer.proto.PageBody;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Leaves written from encoded entries are exactly what protobuf writes for the same page body. */
class NodeEncodingTest {
  private static LeafEntry entry(int i) {
    Item item = Item.builder().string("pk", "p").number("sk", i).string("v", "x".repeat(i * 7))
        .put("m", AttributeValue.m(java.util.Map.of("a", AttributeValue.n(i)))).build();
    return LeafEntry.newBuilder().setSortKey(ByteString.copyFrom(new byte[] {(byte) i})).setItem(ItemCodec.toProto(item))
        .build();
  }

  @Test
  void leafEncodingEqualsProtobufs() throws Exception {
    for (int n : new int[] {0, 1, 3, 40}) {
      List<LeafEntry> protos = new ArrayList<>();
      List<Entry> entries = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        protos.add(entry(i));
        entries.add(Entry.of(entry(i)));
      }
      for (long base : new long[] {0, 1, 300}) {
        for (long next : new long[] {0, 1, 1L << 40}) {
          Node node = Node.leaf(entries, next, next == 0 ? 0 : 2, 7, 0);
          PageBody expected = PageBody.newBuilder().setFormatVersion(1).setNextNodeId(next).setHeight(next == 0 ? 0 : 2)
              .setDeltaSeqBase(base).setLeaf(LeafPage.newBuilder().addAllEntries(protos)).build();
          assertThat(node.encode(base)).isEqualTo(expected.toByteArray());
          assertThat(node.toBody(base)).isEqualTo(expected);
          Node back = Node.fromBody(PageBody.parseFrom(node.encode(base)));
          assertThat(back.entries()).extracting(Entry::toProto).isEqualTo(protos);
          assertThat(back.bytes()).isEqualTo(node.bytes());
        }
      }
    }
  }

  @Test
  void parsedEntriesKeepTheirBytesAndSortKeys() throws Exception {
    LeafEntry e = entry(5);
    Entry parsed = Entry.parse(e.toByteString());
    assertThat(parsed.sortKey()).isEqualTo(e.getSortKey());
    assertThat(parsed.item()).isEqualTo(e.getItem());
    assertThat(parsed.encodedSize()).isEqualTo(e.getSerializedSize());
  }

  @Test
  void innerEncodingEqualsProtobufs() {
    Node node = Node.inner(List.of(ByteString.copyFromUtf8("m")), List.of(1L, 2L), 3, 2, 0);
    PageBody expected = PageBody.newBuilder().setFormatVersion(1).setNextNodeId(3).setHeight(2)
        .setInner(InnerPage.newBuilder().addSeparators(ByteString.copyFromUtf8("m")).addChildren(1).addChildren(2))
        .build();
    assertThat(node.encode(0)).isEqualTo(expected.toByteArray());
  }
}
