package dev.coffer.kms;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * An AWS KMS encryption context: non-secret key-value pairs bound to a ciphertext as associated
 * data. Decrypting needs exactly the same context. Immutable and thread-safe.
 *
 * <p>The canonical encoding ({@link #canonicalBytes()}) is what providers authenticate: pairs
 * sorted by key (UTF-16 order of Java strings, which for the ASCII keys Coffer uses equals byte
 * order), each as {@code u32 len(key) || key || u32 len(value) || value} in UTF-8, preceded by
 * {@code u32 count}.
 */
public final class EncryptionContext {
  private static final EncryptionContext EMPTY = new EncryptionContext(new TreeMap<>());

  private final SortedMap<String, String> pairs;

  private EncryptionContext(SortedMap<String, String> pairs) {
    this.pairs = Collections.unmodifiableSortedMap(pairs);
  }

  /** The empty context. */
  public static EncryptionContext empty() {
    return EMPTY;
  }

  /** A context of the given pairs; keys and values must be non-null and keys non-empty. */
  public static EncryptionContext of(Map<String, String> pairs) {
    TreeMap<String, String> copy = new TreeMap<>();
    pairs.forEach(
        (k, v) -> {
          Objects.requireNonNull(k, "encryption context key");
          Objects.requireNonNull(v, "encryption context value for " + k);
          if (k.isEmpty()) {
            throw new IllegalArgumentException("encryption context keys must not be empty");
          }
          if (!isWellFormed(k) || !isWellFormed(v)) {
            throw new IllegalArgumentException(
                "encryption context keys and values must be well-formed Unicode (no lone surrogates)");
          }
          copy.put(k, v);
        });
    return copy.isEmpty() ? EMPTY : new EncryptionContext(copy);
  }

  /** A context of alternating keys and values. */
  public static EncryptionContext of(String... keysAndValues) {
    if (keysAndValues.length % 2 != 0) {
      throw new IllegalArgumentException("expected key, value pairs");
    }
    TreeMap<String, String> map = new TreeMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      map.put(keysAndValues[i], keysAndValues[i + 1]);
    }
    return of(map);
  }

  /** The pairs, sorted by key. */
  public SortedMap<String, String> asMap() {
    return pairs;
  }

  /** The value for {@code key}, or null. */
  public String get(String key) {
    return pairs.get(key);
  }

  public boolean isEmpty() {
    return pairs.isEmpty();
  }

  /** The canonical encoding described in the class documentation. */
  public byte[] canonicalBytes() {
    ByteArrayOutputStream out = new ByteArrayOutputStream(16 + pairs.size() * 32);
    writeInt(out, pairs.size());
    for (Map.Entry<String, String> e : pairs.entrySet()) {
      writeString(out, e.getKey());
      writeString(out, e.getValue());
    }
    return out.toByteArray();
  }

  /** No lone surrogates: such strings would encode to UTF-8 ambiguously ('?'). */
  private static boolean isWellFormed(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c)) {
        if (i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1))) {
          return false;
        }
        i++;
      } else if (Character.isLowSurrogate(c)) {
        return false;
      }
    }
    return true;
  }

  private static void writeString(ByteArrayOutputStream out, String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    writeInt(out, b.length);
    out.write(b, 0, b.length);
  }

  private static void writeInt(ByteArrayOutputStream out, int v) {
    out.write(v >>> 24);
    out.write(v >>> 16);
    out.write(v >>> 8);
    out.write(v);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof EncryptionContext && ((EncryptionContext) o).pairs.equals(pairs);
  }

  @Override
  public int hashCode() {
    return pairs.hashCode();
  }

  @Override
  public String toString() {
    return pairs.toString();
  }
}
