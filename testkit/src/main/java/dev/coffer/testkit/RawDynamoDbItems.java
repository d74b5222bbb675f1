package dev.coffer.testkit;

import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;

/**
 * The no-plaintext check of a store kept in DynamoDB (or dynalite): reads every item of a DynamoDB
 * table back raw through the AWS SDK and searches every attribute name and value (binary as is;
 * strings, numbers, sets, lists and maps as their text and bytes) for marker strings in UTF-8,
 * UTF-16LE and UTF-16BE.
 *
 * <p>The AWS SDK's {@code dynamodb} client is a {@code provided} dependency of the test kit: a
 * module that calls this class brings it on its own test class path. Thread-safe (stateless).
 */
public final class RawDynamoDbItems {
  private static final List<Charset> CHARSETS =
      List.of(StandardCharsets.UTF_8, StandardCharsets.UTF_16LE, StandardCharsets.UTF_16BE);

  /**
   * What one search saw.
   *
   * @param items the items read
   * @param hits one line per marker found: the marker, the encoding and the attribute it was in
   */
  public record Search(int items, List<String> hits) {}

  private RawDynamoDbItems() {}

  /** Reads every item of {@code table} (all Scan pages) and searches it for {@code markers}. */
  public static Search search(DynamoDbClient client, String table, Collection<String> markers) {
    List<String> hits = new ArrayList<>();
    Map<String, AttributeValue> start = null;
    int items = 0;
    do {
      Map<String, AttributeValue> startKey = start;
      ScanResponse r = client.scan(s -> s.tableName(table).exclusiveStartKey(startKey));
      for (Map<String, AttributeValue> item : r.items()) {
        items++;
        for (Map.Entry<String, AttributeValue> a : item.entrySet()) {
          find(a.getKey().getBytes(StandardCharsets.UTF_8), markers, "name " + a.getKey(), hits);
          find(raw(a.getValue()), markers, "value of " + a.getKey(), hits);
        }
      }
      start =
          r.hasLastEvaluatedKey() && !r.lastEvaluatedKey().isEmpty() ? r.lastEvaluatedKey() : null;
    } while (start != null);
    return new Search(items, hits);
  }

  private static void find(
      byte[] field, Collection<String> markers, String where, List<String> hits) {
    for (String marker : markers) {
      for (Charset cs : CHARSETS) {
        if (indexOf(field, marker.getBytes(cs)) >= 0) {
          hits.add(marker + " (" + cs + ") in the " + where);
        }
      }
    }
  }

  /**
   * The bytes of any attribute value: binary as is, strings and numbers as their text, sets and
   * lists joined, maps with their keys.
   */
  private static byte[] raw(AttributeValue v) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    if (v.b() != null) {
      out.writeBytes(v.b().asByteArray());
    }
    if (v.s() != null) {
      out.writeBytes(v.s().getBytes(StandardCharsets.UTF_8));
    }
    if (v.n() != null) {
      out.writeBytes(v.n().getBytes(StandardCharsets.UTF_8));
    }
    v.ss().forEach(s -> out.writeBytes(s.getBytes(StandardCharsets.UTF_8)));
    v.bs().forEach(b -> out.writeBytes(b.asByteArray()));
    v.l().forEach(x -> out.writeBytes(raw(x)));
    v.m()
        .forEach(
            (k, x) -> {
              out.writeBytes(k.getBytes(StandardCharsets.UTF_8));
              out.writeBytes(raw(x));
            });
    return out.toByteArray();
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i <= haystack.length - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
