package dev.coffer.cli.dynamodb;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.coffer.Item;
import dev.coffer.Key;
import dev.coffer.KeySchema;
import dev.coffer.Page;
import dev.coffer.Projection;
import dev.coffer.ValidationException;
import dev.coffer.cli.output.AwsJson;
import java.util.function.Function;

/**
 * The response of Query and Scan as the AWS CLI prints it. With neither {@code --limit} nor {@code
 * --exclusive-start-key} the CLI follows every page and prints them as one ({@code Items}, summed
 * {@code Count} and {@code ScannedCount}, {@code "ConsumedCapacity": null}); with either, it prints
 * the one page the service returned, with its {@code LastEvaluatedKey}. Stateless.
 */
final class PageResponse {
  private PageResponse() {}

  /** Checks {@code --limit} as DynamoDB does. */
  static void checkLimit(Integer limit) {
    if (limit != null && limit < 1) {
      throw new ValidationException("1 validation error detected: Value '" + limit
          + "' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1");
    }
  }

  /**
   * Reads one page, or all of them when {@code follow}.
   *
   * @param read reads the page after a key (null for the first)
   * @param projection the projection to apply to each item, or null for whole items
   */
  static ObjectNode read(Function<Key, Page> read, boolean follow, KeySchema schema, Projection projection) {
    ObjectNode out = AwsJson.object();
    ArrayNode items = out.putArray("Items");
    int count = 0;
    int scanned = 0;
    Key after = null;
    do {
      Page page = read.apply(after);
      for (Item i : page.items()) {
        items.add(DynamoJson.json(projection == null ? i : projection.apply(i)));
      }
      count += page.count();
      scanned += page.scannedCount();
      after = page.lastEvaluatedKey().orElse(null);
    } while (follow && after != null);
    out.put("Count", count);
    out.put("ScannedCount", scanned);
    if (after != null) {
      out.set("LastEvaluatedKey", DynamoJson.json(after, schema));
    }
    if (follow) {
      out.putNull("ConsumedCapacity");
    }
    return out;
  }
}
