package dev.coffer.internal.page;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.WireFormat;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The RocksDB value under a node's key: a {@code coffer.v1.StoredNode}, i.e. the sealed page
 * followed by the leaf's sealed delta records, each as field 1 ({@code repeated bytes records}).
 * A page is written as one record; a delta record is appended by a RocksDB merge of one record,
 * which the column family's merge operator concatenates, and concatenated encodings of this message
 * are the encoding of the message holding all their records. Read and written here without
 * protobuf builders. Stateless.
 */
public final class NodeRecords {
  private static final int TAG_RECORD = (1 << 3) | WireFormat.WIRETYPE_LENGTH_DELIMITED;

  private NodeRecords() {}

  /** The encoding of a {@code StoredNode} holding the one record {@code sealed}. */
  public static byte[] of(byte[] sealed) {
    int prefix = 1 + CodedOutputStream.computeUInt32SizeNoTag(sealed.length);
    byte[] out = new byte[prefix + sealed.length];
    out[0] = (byte) TAG_RECORD;
    try {
      CodedOutputStream cos = CodedOutputStream.newInstance(out, 1, prefix - 1);
      cos.writeUInt32NoTag(sealed.length);
      cos.checkNoSpaceLeft();
    } catch (IOException e) {
      throw new IllegalStateException("record prefix size miscomputed", e);
    }
    System.arraycopy(sealed, 0, out, prefix, sealed.length);
    return out;
  }

  /** The encoding of a {@code StoredNode} holding {@code records} in order. */
  public static byte[] of(List<byte[]> records) {
    int size = 0;
    for (byte[] r : records) {
      size += 1 + CodedOutputStream.computeUInt32SizeNoTag(r.length) + r.length;
    }
    byte[] out = new byte[size];
    try {
      CodedOutputStream cos = CodedOutputStream.newInstance(out);
      for (byte[] r : records) {
        cos.writeByteArray(1, r);
      }
      cos.checkNoSpaceLeft();
    } catch (IOException e) {
      throw new IllegalStateException("stored node size miscomputed", e);
    }
    return out;
  }

  /**
   * The records of a stored node value, in order (the page first).
   *
   * @throws IOException when the value is not a well-formed {@code StoredNode} of at least one record
   */
  public static List<byte[]> split(byte[] value) throws IOException {
    CodedInputStream in = CodedInputStream.newInstance(value);
    List<byte[]> records = new ArrayList<>(2);
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      if (tag != TAG_RECORD) {
        throw new IOException("unexpected field tag " + tag + " in a stored node");
      }
      records.add(in.readByteArray());
    }
    if (records.isEmpty()) {
      throw new IOException("a stored node without records");
    }
    return records;
  }
}
