package dev.coffer.internal.record;

/** Writes a store header as raw bytes, bypassing the sealed state (tests of damaged headers). */
public final class RawHeaders {
  private RawHeaders() {}

  /** Replaces the store header of {@code store} with {@code header}, as an attacker could. */
  public static void write(RecordStore store, byte[] header) {
    store.put(store.storeNamespace(), RecordKeys.HEADER, header);
  }
}
