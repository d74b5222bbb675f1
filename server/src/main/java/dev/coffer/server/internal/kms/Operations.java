package dev.coffer.server.internal.kms;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** The operations the endpoint serves, by the name in {@code X-Amz-Target: TrentService.<Name>}. */
final class Operations {
  /** One operation: reads the request, acts as the caller, returns the response (null: empty). */
  @FunctionalInterface
  interface Handler {
    ObjectNode handle(Request request, Caller caller);
  }

  private final Map<String, Handler> handlers = new TreeMap<>();

  private Operations() {}

  /** Every supported operation. */
  static Operations all() {
    Operations ops = new Operations();
    CryptoOperations.register(ops);
    KeyOperations.register(ops);
    return ops;
  }

  void add(String name, Handler handler) {
    handlers.put(name, handler);
  }

  /** The handler for {@code name}, or null. */
  Handler get(String name) {
    return handlers.get(name);
  }

  /** The names, sorted. */
  Set<String> names() {
    return Collections.unmodifiableSet(handlers.keySet());
  }
}
