package dev.coffer.kms.local;

import dev.coffer.kms.audit.AuditSink;
import java.nio.file.Path;

/**
 * Run in a child process by {@link LocalKeyProviderTest}: opens a keystore and creates keys with
 * aliases {@code alias/<prefix>-<i>}. Arguments: keystore path, passphrase, prefix, count.
 */
public final class KeystoreWriterMain {
  private KeystoreWriterMain() {}

  public static void main(String[] args) {
    try (LocalKeyProvider p =
        LocalKeyProvider.builder()
            .keystore(Path.of(args[0]))
            .passphrase(args[1].toCharArray())
            .argon2id(19456, 2, 1)
            .auditSink(AuditSink.none())
            .build()) {
      LocalKeyProviderTest.createKeys(p, args[2], Integer.parseInt(args[3]));
    }
  }
}
