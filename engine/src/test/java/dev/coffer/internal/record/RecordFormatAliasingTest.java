package dev.coffer.internal.record;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.coffer.proto.AttributeValue;
import dev.coffer.proto.Item;
import dev.coffer.proto.LeafEntry;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Decoding an opened page or delta record copies nothing: the entries it returns are views of the
 * plaintext array (so that opening a page does not allocate its body twice). Shown by wiping the
 * array after decoding: the views see the zeros. Callers that wipe a plaintext therefore do so only
 * once nothing decoded from it is used any more (as {@code SharedReseal} does).
 */
class RecordFormatAliasingTest {
  private static LeafEntry entry(String sk) {
    return LeafEntry.newBuilder()
        .setSortKey(ByteString.copyFromUtf8(sk))
        .setItem(
            Item.newBuilder()
                .putAttributes("v", AttributeValue.newBuilder().setS("value of " + sk).build()))
        .build();
  }

  @Test
  void aDecodedLeafPageIsAViewOfItsPlaintext() throws Exception {
    List<Entry> entries = new ArrayList<>();
    for (String sk : List.of("a", "b", "c")) {
      entries.add(Entry.of(entry(sk)));
    }
    byte[] plain =
        RecordFormat.encodePage(
            new RecordFormatPropertiesTest.Page(true, entries, List.of(), List.of(), 7, 1, 0));
    RecordFormat.DecodedPage page = RecordFormat.decodePage(plain);
    assertThat(page.entries)
        .extracting(Entry::toProto)
        .containsExactly(entry("a"), entry("b"), entry("c"));

    Arrays.fill(plain, (byte) 0);
    for (Entry e : page.entries) {
      assertThat(e.encoded().toByteArray()).as("a view, not a copy").containsOnly(0);
      assertThat(e.sortKey().toByteArray()).containsOnly(0);
    }
  }

  @Test
  void aDecodedDeltaRecordIsAViewOfItsPlaintext() throws Exception {
    byte[] plain = RecordFormat.encodeDeltaPut(Entry.of(entry("k")));
    DeltaChange d = RecordFormat.decodeDelta(plain, 5);
    assertThat(d.put().toProto()).isEqualTo(entry("k"));

    Arrays.fill(plain, (byte) 0);
    assertThat(d.put().encoded().toByteArray()).containsOnly(0);
  }
}
