package dev.coffer;

import dev.coffer.internal.model.Strings;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A DynamoDB item: attribute names to values, key attributes included. Immutable and thread-safe;
 * made with {@link #builder()} or {@link #of(Map)}, which check every name as DynamoDB does
 * (non-empty, valid Unicode, shorter than 64 KiB of UTF-8; {@link ValidationException} otherwise).
 * Its values are {@link AttributeValue}s, so nothing in an item is nested deeper than 32 levels.
 */
public final class Item {
  private static final Item EMPTY = new Item(Map.of());

  private final Map<String, AttributeValue> attributes;

  private Item(Map<String, AttributeValue> attributes) {
    this.attributes = attributes;
  }

  /** An item of the given attributes (copied). */
  public static Item of(Map<String, AttributeValue> attributes) {
    return builder().putAll(attributes).build();
  }

  /** An item with no attributes. */
  public static Item empty() {
    return EMPTY;
  }

  public static Builder builder() {
    return new Builder(new LinkedHashMap<>());
  }

  /** A builder starting from this item's attributes. */
  public Builder toBuilder() {
    return new Builder(new LinkedHashMap<>(attributes));
  }

  /** The value of {@code name}, or null when absent. */
  public AttributeValue get(String name) {
    return attributes.get(name);
  }

  /** Whether the item has the attribute. */
  public boolean has(String name) {
    return attributes.containsKey(name);
  }

  /** All attributes (unmodifiable, in insertion order). */
  public Map<String, AttributeValue> attributes() {
    return attributes;
  }

  /** The number of attributes. */
  public int size() {
    return attributes.size();
  }

  /** A new item with only the named attributes that exist in this one. */
  public Item project(Collection<String> names) {
    Map<String, AttributeValue> out = new LinkedHashMap<>();
    for (String n : names) {
      AttributeValue v = attributes.get(n);
      if (v != null) {
        out.put(n, v);
      }
    }
    return new Item(Collections.unmodifiableMap(out));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Item && ((Item) o).attributes.equals(attributes);
  }

  @Override
  public int hashCode() {
    return attributes.hashCode();
  }

  /** DynamoDB JSON of the attribute map, names sorted. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    AttributeValueJson.appendMap(sb, attributes);
    return sb.toString();
  }

  /** Builds an {@link Item}. Not thread-safe. */
  public static final class Builder {
    private Map<String, AttributeValue> attributes;

    /**
     * Whether an item built by {@link #build()} holds {@link #attributes}: the next change copies
     * them first (copy on write), so a built item never changes and {@code build()} copies nothing.
     */
    private boolean shared;

    private Builder(Map<String, AttributeValue> attributes) {
      this.attributes = attributes;
    }

    private Map<String, AttributeValue> owned() {
      if (shared) {
        attributes = new LinkedHashMap<>(attributes);
        shared = false;
      }
      return attributes;
    }

    /**
     * Sets an attribute.
     *
     * @throws ValidationException when the name is empty, not valid Unicode (an unpaired UTF-16
     *     surrogate), or 64 KiB or longer in UTF-8
     */
    public Builder put(String name, AttributeValue value) {
      owned()
          .put(
              Strings.checkAttributeName(name),
              Objects.requireNonNull(value, () -> "value of " + name));
      return this;
    }

    public Builder putAll(Map<String, AttributeValue> values) {
      values.forEach(this::put);
      return this;
    }

    public Builder string(String name, String value) {
      return put(name, AttributeValue.s(value));
    }

    public Builder number(String name, long value) {
      return put(name, AttributeValue.n(value));
    }

    public Builder number(String name, String value) {
      return put(name, AttributeValue.n(value));
    }

    public Builder bytes(String name, byte[] value) {
      return put(name, AttributeValue.b(value));
    }

    public Builder bool(String name, boolean value) {
      return put(name, AttributeValue.bool(value));
    }

    public Builder remove(String name) {
      owned().remove(name);
      return this;
    }

    public Item build() {
      if (attributes.isEmpty()) {
        return EMPTY;
      }
      shared = true;
      return new Item(Collections.unmodifiableMap(attributes));
    }
  }
}
