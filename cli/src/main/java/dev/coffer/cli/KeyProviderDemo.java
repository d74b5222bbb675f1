package dev.coffer.cli;

import dev.coffer.kms.AccessDeniedException;
import dev.coffer.kms.DataKey;
import dev.coffer.kms.EncryptionContext;
import dev.coffer.kms.InvalidCiphertextException;
import dev.coffer.kms.KeyDescription;
import dev.coffer.kms.KeyManagement.CreateKeyRequest;
import dev.coffer.kms.SecretBytes;
import dev.coffer.kms.WrappedKey;
import dev.coffer.kms.audit.AuditRecord;
import dev.coffer.kms.memory.InMemoryKeyProvider;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** The key-provider part of the demo: master key, data key, rotation, denial, audit trail. */
final class KeyProviderDemo {
  private final PrintWriter out;

  KeyProviderDemo(PrintWriter out) {
    this.out = out;
  }

  void run() {
    List<AuditRecord> audit = new CopyOnWriteArrayList<>();
    InMemoryKeyProvider owner = InMemoryKeyProvider.builder().principal("alice").auditSink(audit::add).build();

    KeyDescription key = owner.createKey(CreateKeyRequest.withDescription("coffer demo master key"));
    owner.createAlias("alias/coffer-demo", key.keyId());
    out.printf("1. Created master key %s (alias/coffer-demo) as %s%n", key.arn(), owner.principal());

    EncryptionContext ctx = EncryptionContext.of("store", "demo", "table", "users", "purpose", "page", "version", "1");
    try (DataKey dataKey = owner.generateDataKey("alias/coffer-demo", ctx)) {
      WrappedKey wrapped = dataKey.wrapped();
      out.printf("2. Generated a 256-bit data key; stored only wrapped (%d bytes), context %s%n",
          wrapped.ciphertextBlob().length, ctx);
      try (SecretBytes back = owner.decrypt(wrapped, ctx)) {
        out.printf("3. Unwrapped it again: %s%n", back.contentEquals(dataKey.plaintext()) ? "same key" : "MISMATCH");
      }
      try {
        owner.decrypt(wrapped, EncryptionContext.of("store", "demo", "table", "orders"));
      } catch (InvalidCiphertextException e) {
        out.printf("4. Unwrapping under another encryption context is refused: %s%n", e.errorCode());
      }
      owner.rotateKeyOnDemand(key.keyId());
      WrappedKey rewrapped = owner.reEncrypt(wrapped, ctx, key.keyId());
      out.printf("5. Rotated the master key to version %d and rewrapped the data key without exposing it%n",
          owner.describeKey(key.keyId()).currentKeyVersion());
      try {
        owner.asPrincipal("bob").decrypt(rewrapped, ctx);
      } catch (AccessDeniedException e) {
        out.printf("6. bob may not use the key:%n   %s%n", e.getMessage());
      }
    }
    out.printf("7. Audit trail (%d records):%n", audit.size());
    for (AuditRecord r : audit) {
      out.printf("   %s %-28s %-34s v%d %s%s%n", r.time(), shortPrincipal(r.principal()), r.action(),
          r.keyVersion(), r.outcome(), r.errorCode().isEmpty() ? "" : " " + r.errorCode());
    }
  }

  private static String shortPrincipal(String arn) {
    int i = arn.lastIndexOf(':');
    return i < 0 ? arn : arn.substring(i + 1);
  }
}
