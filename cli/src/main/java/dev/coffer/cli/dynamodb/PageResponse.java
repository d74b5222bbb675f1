package dev.coffer.cli.dynamodb;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.coffer.Item;
import dev.coffer.Key;
import dev.coffer.KeySchema;
import dev.coffer.Page;
import dev.coffer.ValidationException;
import dev.coffer.cli.output.AwsJson;
import dev.coffer.server.CapacityUnits;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * The response of Query and Scan as the AWS CLI prints it. With neither {@code --limit} nor {@code
 * --exclusive-start-key} the CLI follows every page and prints them as one ({@code Items}, summed
 * {@code Count} and {@code ScannedCount}, {@code "ConsumedCapacity": null}); with either, it prints
 * the one page the service returned, with its {@code LastEvaluatedKey}. With {@code --select COUNT}
 * there is no {@code Items}. With {@code --return-consumed-capacity} the {@code ConsumedCapacity}
 * is the first page's, as the AWS CLI prints it when it follows pages (botocore keeps the first
 * page's value of a key it does not aggregate). The items come from the engine filtered and
 * projected. Stateless.
 */
final class PageResponse {
  private PageResponse() {}

  /** Checks {@code --limit} as DynamoDB does. */
  static void checkLimit(Integer limit) {
    if (limit != null && limit < 1) {
      throw new ValidationException(
          "1 validation error detected: Value '"
              + limit
              + "' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1");
    }
  }

  /**
   * Reads one page, or all of them when {@code follow}.
   *
   * @param read reads the page after a key (null for the first)
   * @param countOnly whether the request selected COUNT (the response has no Items)
   * @param capacity the {@code --return-consumed-capacity} option
   * @param table the table name
   * @param consistentRead whether the read is strongly consistent (for the capacity units)
   * @param whole whether each page holds every item it read (no filter, no projection, not COUNT),
   *     so that its capacity can be counted from the page itself
   * @param readAgain reads again, unfiltered and unprojected, the given number of items after a key
   *     (null for the first page): the items a page READ, which its capacity counts
   */
  static ObjectNode read(
      Function<Key, Page> read,
      boolean follow,
      KeySchema schema,
      boolean countOnly,
      CapacityOption capacity,
      String table,
      boolean consistentRead,
      boolean whole,
      BiFunction<Key, Integer, List<Item>> readAgain) {
    capacity.mode(); // checked before anything is read
    ObjectNode out = AwsJson.object();
    ArrayNode items = countOnly ? null : out.putArray("Items");
    int count = 0;
    int scanned = 0;
    Key after = null;
    Double firstUnits = null;
    do {
      Page page = read.apply(after);
      if (firstUnits == null && capacity.wanted()) {
        // the items READ count, before the filter and the projection (as coffer serve counts)
        List<Item> readItems =
            whole || page.scannedCount() == 0
                ? (whole ? page.items() : List.of())
                : readAgain.apply(after, page.scannedCount());
        firstUnits = CapacityUnits.pageUnits(readItems, consistentRead);
      }
      for (Item i : page.items()) {
        items.add(DynamoJson.json(i));
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
    if (firstUnits != null) {
      capacity.put(out, table, firstUnits);
    } else if (follow) {
      out.putNull("ConsumedCapacity");
    }
    return out;
  }
}
