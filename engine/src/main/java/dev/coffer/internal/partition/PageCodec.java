package dev.coffer.internal.partition;

import com.google.protobuf.CodedInputStream;
import dev.coffer.CorruptionException;
import dev.coffer.internal.catalog.TableContext;
import dev.coffer.internal.page.AssociatedData;
import dev.coffer.internal.page.PageCipher;
import dev.coffer.internal.page.RecordKind;
import dev.coffer.proto.DeltaRecord;
import dev.coffer.proto.PageBody;

/**
 * Seals and opens a table's pages and delta records: protobuf body, AES-256-GCM under the page
 * key of the table's primary data-key version, associated data binding store, table, partition,
 * node and (for deltas) sequence number. Bodies are parsed with aliasing, so item bytes are not
 * copied out of the decrypted buffer. Stateless and thread-safe.
 */
final class PageCodec {
  private static final int BODY_FORMAT = 1;

  private PageCodec() {}

  static byte[] sealPage(TableContext t, byte[] token, long nodeId, PageBody body) {
    int version = t.countSeal();
    byte[] ad = AssociatedData.of(RecordKind.PAGE, version, t.storeId(), t.tableId(), token, nodeId, 0);
    return PageCipher.seal(t.keys().pageKey(version), version, ad, body.toByteArray());
  }

  static byte[] sealDelta(TableContext t, byte[] token, long nodeId, long seq, DeltaRecord delta) {
    int version = t.countSeal();
    byte[] ad = AssociatedData.of(RecordKind.DELTA, version, t.storeId(), t.tableId(), token, nodeId, seq);
    return PageCipher.seal(t.keys().pageKey(version), version, ad, delta.toByteArray());
  }

  static PageBody openPage(TableContext t, byte[] token, long nodeId, byte[] sealed) {
    String where = PageLocation.page(token, nodeId);
    byte[] plain = PageCipher.open(sealed, t.keys()::pageKey,
        v -> AssociatedData.of(RecordKind.PAGE, v, t.storeId(), t.tableId(), token, nodeId, 0), t.name(), where);
    try {
      PageBody body = PageBody.parseFrom(aliasing(plain));
      if (body.getFormatVersion() != BODY_FORMAT || (!body.hasLeaf() && !body.hasInner())) {
        throw new CorruptionException("A page has an unknown body format", t.name(), where);
      }
      return body;
    } catch (java.io.IOException e) {
      throw new CorruptionException("A page body is malformed", t.name(), where, e);
    }
  }

  static DeltaRecord openDelta(TableContext t, byte[] token, long nodeId, long seq, byte[] sealed) {
    String where = PageLocation.delta(token, nodeId, seq);
    byte[] plain = PageCipher.open(sealed, t.keys()::pageKey,
        v -> AssociatedData.of(RecordKind.DELTA, v, t.storeId(), t.tableId(), token, nodeId, seq), t.name(), where);
    try {
      DeltaRecord delta = DeltaRecord.parseFrom(aliasing(plain));
      if (delta.getFormatVersion() != BODY_FORMAT || delta.getChangeCase() == DeltaRecord.ChangeCase.CHANGE_NOT_SET) {
        throw new CorruptionException("A delta record has an unknown format", t.name(), where);
      }
      return delta;
    } catch (java.io.IOException e) {
      throw new CorruptionException("A delta record is malformed", t.name(), where, e);
    }
  }

  private static CodedInputStream aliasing(byte[] plain) {
    CodedInputStream in = CodedInputStream.newInstance(plain);
    in.enableAliasing(true);
    return in;
  }
}
