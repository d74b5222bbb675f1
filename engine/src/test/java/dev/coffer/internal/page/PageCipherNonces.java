package dev.coffer.internal.page;

/** Test access to the page cipher's nonce source (for the timing mains). */
public final class PageCipherNonces {
  private PageCipherNonces() {}

  public static void next(byte[] nonce) {
    NonceSource.current().next(nonce);
  }
}
