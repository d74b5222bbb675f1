package dev.coffer.internal.partition;

import java.util.HexFormat;

/** Formats where a record sits, for error messages: {@code partition <token hex> node <id>}. */
final class PageLocation {
  private PageLocation() {}

  static String page(byte[] token, long nodeId) {
    return "partition " + HexFormat.of().formatHex(token) + " node " + nodeId;
  }

  static String delta(byte[] token, long nodeId, long seq) {
    return page(token, nodeId) + " delta " + seq;
  }
}
