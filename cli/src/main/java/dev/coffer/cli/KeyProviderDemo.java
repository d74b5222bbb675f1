package dev.coffer.cli;

import dev.coffer.kms.DataKey;
import dev.coffer.kms.EncryptionContext;
import dev.coffer.kms.InvalidCiphertextException;
import dev.coffer.kms.KeyManagement;
import dev.coffer.kms.KeyProvider;
import dev.coffer.kms.SecretBytes;
import dev.coffer.kms.WrappedKey;
import java.io.PrintWriter;

/**
 * The key-provider part of the demo, on the demo's master key: a data key generated under an
 * encryption context, unwrapped, refused under another context, and rewrapped after the master key
 * rotates without its plaintext leaving the provider.
 */
final class KeyProviderDemo {
  private final PrintWriter out;

  KeyProviderDemo(PrintWriter out) {
    this.out = out;
  }

  void run(KeyProvider owner, KeyManagement admin, String keyId, String step) {
    EncryptionContext ctx =
        EncryptionContext.of("store", "demo", "table", "users", "purpose", "page", "version", "1");
    out.printf("%s Key provider, directly: GenerateDataKey under %s%n", step, ctx);
    try (DataKey dataKey = owner.generateDataKey(keyId, ctx)) {
      WrappedKey wrapped = dataKey.wrapped();
      out.printf(
          "   a 256-bit data key; only its wrapped form (%d bytes) would be stored%n",
          wrapped.ciphertextBlob().length);
      try (SecretBytes back = owner.decrypt(wrapped, ctx)) {
        out.printf(
            "   Decrypt under the same context: %s%n",
            back.contentEquals(dataKey.plaintext()) ? "the same key" : "MISMATCH");
      }
      try {
        owner.decrypt(
            wrapped,
            EncryptionContext.of(
                "store", "demo", "table", "orders", "purpose", "page", "version", "1"));
        out.printf("   UNEXPECTED: decrypt under another context succeeded%n");
      } catch (InvalidCiphertextException e) {
        out.printf("   Decrypt under another context (table=orders): refused, %s%n", e.errorCode());
      }
      int before = versionOf(admin, keyId);
      admin.rotateKeyOnDemand(keyId);
      int after = versionOf(admin, keyId);
      WrappedKey rewrapped = owner.reEncrypt(wrapped, ctx, keyId);
      try (SecretBytes back = owner.decrypt(rewrapped, ctx)) {
        out.printf(
            "   RotateKeyOnDemand: master key version %d -> %d; ReEncrypt rewrapped the data key under v%d"
                + " without exposing it (%s)%n",
            before,
            after,
            after,
            back.contentEquals(dataKey.plaintext()) ? "same key inside" : "MISMATCH");
      }
    }
  }

  private static int versionOf(KeyManagement admin, String keyId) {
    for (var d : admin.listKeys()) {
      if (d.arn().equals(keyId) || d.keyId().equals(keyId)) {
        return d.currentKeyVersion();
      }
    }
    return 0;
  }
}
