package dev.coffer.torture;

import dev.coffer.CofferOptions;
import dev.coffer.kms.KeyProvider;
import dev.coffer.kms.SecretBytes;
import dev.coffer.kms.audit.AuditSink;
import dev.coffer.kms.local.LocalKeyProvider;
import java.nio.file.Path;
import java.util.Base64;

/**
 * The torture's keys: a local keystore file protected by a raw 256-bit key (no Argon2id: its cost
 * would dominate a cycle), shared by the parent and every child, so the master keys survive each
 * kill. The raw key reaches a child in the environment variable {@value #KEY_ENV} (the local
 * provider's own variable), never on its command line. The only place the torture names a concrete
 * provider class.
 */
public final class TortureKeys {
  /** The environment variable that carries the keystore key (base64) to a child. */
  public static final String KEY_ENV = "COFFER_KEYSTORE_KEY";

  private TortureKeys() {}

  /**
   * Opens (or creates) the keystore with {@code rawKey}; audit off (a torture makes millions of
   * calls).
   */
  public static LocalKeyProvider open(Path keystore, byte[] rawKey) {
    return LocalKeyProvider.builder()
        .keystore(keystore)
        .rawKey(SecretBytes.wrap(rawKey.clone()))
        .auditSink(AuditSink.none())
        .build();
  }

  /** Opens the keystore with the key from {@value #KEY_ENV}. */
  public static LocalKeyProvider openFromEnvironment(Path keystore) {
    String b64 = System.getenv(KEY_ENV);
    if (b64 == null || b64.isBlank()) {
      throw new IllegalStateException(
          KEY_ENV + " is not set: the parent passes the keystore key in it");
    }
    return open(keystore, Base64.getDecoder().decode(b64.trim()));
  }

  /** The store options of the torture: synced writes, the given page cache, audit off. */
  public static CofferOptions options(KeyProvider keys, String masterKeyId, long pageCacheBytes) {
    return options(keys, masterKeyId, pageCacheBytes, AuditSink.none());
  }

  /**
   * As {@link #options(KeyProvider, String, long)}, with the engine's audit records sent to {@code
   * audit}.
   */
  public static CofferOptions options(
      KeyProvider keys, String masterKeyId, long pageCacheBytes, AuditSink audit) {
    return CofferOptions.builder()
        .keyProvider(keys)
        .masterKeyId(masterKeyId)
        .syncWrites(true)
        .pageCacheBytes(pageCacheBytes)
        .auditSink(audit)
        .build();
  }
}
