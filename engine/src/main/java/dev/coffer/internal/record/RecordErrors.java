package dev.coffer.internal.record;

import java.security.GeneralSecurityException;

/** The wording of record failures, one place for the messages every reader gives. */
final class RecordErrors {
  static final String NOT_AN_ENVELOPE = "A stored record is not a well-formed sealed envelope";
  static final String FAILED_AUTHENTICATION =
      "A stored record failed authentication: it was modified, damaged, or moved from elsewhere";

  private RecordErrors() {}

  static String unknownEnvelope(int version) {
    return "A stored record has unknown envelope format version " + version;
  }

  static String olderEnvelopeRefused(int version) {
    return "A stored record is in envelope format "
        + version
        + ", which this table no longer accepts: every record of it was re-sealed in envelope format "
        + RecordFormat.ENVELOPE_VERSION
        + ", so this one was put back from an older copy of the store";
  }

  /** A ClientRequestToken record of an older envelope format, once the store refuses them. */
  static String olderTokenEnvelopeRefused() {
    return "A ClientRequestToken record is in envelope format "
        + RecordFormat.ENVELOPE_VERSION_AES_GCM
        + ", which this store no longer accepts: every table of it refuses envelope format "
        + RecordFormat.ENVELOPE_VERSION_AES_GCM
        + " and this code seals token records in format "
        + RecordFormat.ENVELOPE_VERSION
        + " only, so this one was put back from an older copy of the store";
  }

  static String unknownKeyVersion(int version) {
    return "A stored record names data-key version " + version + ", which this table does not have";
  }

  /**
   * {@code message} (an unknown key version) on a shared backend, where the catalog was read again
   * before giving up.
   */
  static String stillUnknown(String message) {
    return message + " (not even after reading the shared catalog again)";
  }

  static String undecryptable(GeneralSecurityException e) {
    return "A stored record could not be decrypted: " + e.getMessage();
  }
}
