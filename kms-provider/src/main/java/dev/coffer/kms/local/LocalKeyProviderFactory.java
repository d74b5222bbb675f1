package dev.coffer.kms.local;

import dev.coffer.kms.KeyProvider;
import dev.coffer.kms.KeyProviderContext;
import dev.coffer.kms.KeyProviderFactory;
import dev.coffer.kms.KmsValidationException;
import dev.coffer.kms.SecretBytes;
import dev.coffer.kms.internal.AesGcm;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

/**
 * Opens a {@link LocalKeyProvider} for {@code local:<keystore path>} (the path may contain spaces).
 * The keystore must exist: a missing one fails with "There is no keystore at ...", so a mistyped
 * path never creates directories and an empty keystore. {@code local:<keystore path>?create} is the
 * explicit creating form: it creates the keystore (and its directory) when absent and opens it
 * otherwise. The secret is read only through {@link KeyProviderContext#environment()}, from exactly
 * one of:
 *
 * <ul>
 *   <li>{@value #PASSPHRASE}: the passphrase;
 *   <li>{@value #KEY_FILE}: a file holding the raw 256-bit key, as 32 bytes or in base64;
 *   <li>{@value #KEY}: the raw 256-bit key in base64.
 * </ul>
 *
 * Stateless and thread-safe.
 */
public final class LocalKeyProviderFactory implements KeyProviderFactory {
  public static final String PASSPHRASE = "COFFER_KEYSTORE_PASSPHRASE";
  public static final String KEY_FILE = "COFFER_KEYSTORE_KEY_FILE";
  public static final String KEY = "COFFER_KEYSTORE_KEY";

  /** The suffix of the creating URI form, {@code local:<keystore path>?create}. */
  public static final String CREATE_SUFFIX = "?create";

  @Override
  public String scheme() {
    return "local";
  }

  @Override
  public String uriForm() {
    return "local:<keystore path>";
  }

  @Override
  public KeyProvider create(String location, KeyProviderContext context) {
    if (location == null || location.isBlank()) {
      throw new KmsValidationException(
          "The local key provider needs a keystore path: local:<keystore path>.", null, null);
    }
    boolean create = location.endsWith(CREATE_SUFFIX);
    String path =
        create ? location.substring(0, location.length() - CREATE_SUFFIX.length()) : location;
    if (path.isBlank()) {
      throw new KmsValidationException(
          "The local key provider needs a keystore path: local:<keystore path>.", null, null);
    }
    Path keystore;
    try {
      keystore = Path.of(path);
    } catch (InvalidPathException e) {
      throw new KmsValidationException(
          "The keystore path '" + location + "' is not a valid path.", null, null);
    }
    LocalKeyProvider.Builder builder =
        LocalKeyProvider.builder().keystore(keystore).createIfMissing(create).context(context);
    String passphrase = nonEmpty(context.environment().apply(PASSPHRASE));
    String keyFile = nonEmpty(context.environment().apply(KEY_FILE));
    String key = nonEmpty(context.environment().apply(KEY));
    List<String> set = new ArrayList<>();
    if (passphrase != null) {
      set.add(PASSPHRASE);
    }
    if (keyFile != null) {
      set.add(KEY_FILE);
    }
    if (key != null) {
      set.add(KEY);
    }
    if (set.isEmpty()) {
      throw new KmsValidationException(
          "The local key provider needs a secret for "
              + keystore
              + ": set "
              + PASSPHRASE
              + ", "
              + KEY_FILE
              + " or "
              + KEY
              + ".",
          null,
          null);
    }
    if (set.size() > 1) {
      throw new KmsValidationException(
          "Set only one of "
              + PASSPHRASE
              + ", "
              + KEY_FILE
              + " and "
              + KEY
              + ", not "
              + String.join(" and ", set)
              + ".",
          null,
          null);
    }
    if (passphrase != null) {
      char[] chars = passphrase.toCharArray();
      try {
        builder.passphrase(chars);
      } finally {
        Arrays.fill(chars, '\0');
      }
    } else {
      try (SecretBytes raw = keyFile != null ? readKeyFile(keyFile) : decodeBase64(key, KEY)) {
        builder.rawKey(raw);
      }
    }
    return builder.build();
  }

  private static SecretBytes readKeyFile(String file) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(Path.of(file));
    } catch (InvalidPathException e) {
      throw new KmsValidationException(
          KEY_FILE + " names a file that cannot be read: " + file + ".", null, null);
    } catch (IOException e) {
      throw new KmsValidationException(
          KEY_FILE
              + " names a file that cannot be read: "
              + file
              + ": "
              + KeystoreFiles.describe(e, Path.of(file))
              + ".",
          null,
          null);
    }
    if (bytes.length == AesGcm.KEY_BYTES) {
      return SecretBytes.wrap(bytes);
    }
    try {
      String text = new String(bytes, StandardCharsets.US_ASCII).strip();
      return decodeBase64(text, KEY_FILE + " (" + file + ")");
    } finally {
      SecretBytes.wipe(bytes);
    }
  }

  private static SecretBytes decodeBase64(String text, String source) {
    byte[] raw;
    try {
      raw = Base64.getDecoder().decode(text.strip());
    } catch (IllegalArgumentException e) {
      throw new KmsValidationException(
          source + " must hold a 256-bit key as 32 raw bytes or in base64.", null, null);
    }
    if (raw.length != AesGcm.KEY_BYTES) {
      SecretBytes.wipe(raw);
      throw new KmsValidationException(
          source + " must hold a 256-bit key (32 bytes), not " + raw.length + " bytes.",
          null,
          null);
    }
    return SecretBytes.wrap(raw);
  }

  private static String nonEmpty(String s) {
    return s == null || s.isEmpty() ? null : s;
  }
}
