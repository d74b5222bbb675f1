package dev.coffer.server.internal.auth;

import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The access keys a server accepts: each access key id maps to its secret and the principal its
 * requests act as (a name such as {@code bob}, {@code root}, or an ARN). Thread-safe.
 */
public final class AccessKeys {
  /** One access key. */
  public record Entry(String accessKeyId, String secret, String principal) {
    public Entry {
      Objects.requireNonNull(accessKeyId, "accessKeyId");
      Objects.requireNonNull(secret, "secret");
      Objects.requireNonNull(principal, "principal");
    }

    @Override
    public String toString() {
      return "AccessKey[" + accessKeyId + " -> " + principal + "]"; // never the secret
    }
  }

  private final Map<String, Entry> keys = new ConcurrentHashMap<>();

  /**
   * Adds an access key.
   *
   * @throws IllegalArgumentException when a field is blank or the id was already added
   */
  public void add(String accessKeyId, String secret, String principal) {
    if (accessKeyId == null
        || accessKeyId.isBlank()
        || secret == null
        || secret.isEmpty()
        || principal == null
        || principal.isBlank()) {
      throw new IllegalArgumentException("access key id, secret and principal must not be empty");
    }
    if (keys.putIfAbsent(accessKeyId, new Entry(accessKeyId, secret, principal)) != null) {
      throw new IllegalArgumentException("access key " + accessKeyId + " was already added");
    }
  }

  /**
   * Adds an access key, or replaces the one with the same id (requests in flight signed with the
   * old secret may then fail).
   *
   * @return the entry it replaced, or null
   * @throws IllegalArgumentException when a field is blank
   */
  public Entry put(String accessKeyId, String secret, String principal) {
    if (accessKeyId == null
        || accessKeyId.isBlank()
        || secret == null
        || secret.isEmpty()
        || principal == null
        || principal.isBlank()) {
      throw new IllegalArgumentException("access key id, secret and principal must not be empty");
    }
    return keys.put(accessKeyId, new Entry(accessKeyId, secret, principal));
  }

  /** The entry of {@code accessKeyId}, or null. */
  public Entry get(String accessKeyId) {
    return keys.get(accessKeyId);
  }

  /** Whether no key was added. */
  public boolean isEmpty() {
    return keys.isEmpty();
  }
}
