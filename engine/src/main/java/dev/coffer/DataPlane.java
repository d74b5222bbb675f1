package dev.coffer;

import dev.coffer.internal.catalog.TableContext;
import dev.coffer.internal.expression.Cond;
import dev.coffer.internal.expression.UpdateAst;
import dev.coffer.internal.model.ItemSizes;
import dev.coffer.internal.query.ItemChange;
import dev.coffer.internal.txn.IdempotencyTokens;
import dev.coffer.internal.txn.TransactionReader;
import dev.coffer.internal.txn.TransactionWriter;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * The multi-table item operations of {@link Coffer} (BatchGetItem, BatchWriteItem,
 * TransactWriteItems, TransactGetItems): DynamoDB's request validation, in DynamoDB's order, then
 * the translation of the public request types into the engine's ({@link ItemChange}, {@link
 * TransactionWriter.Action}, {@link TransactionReader.Get}). Also the translation of single-item
 * requests for {@link Table}. Thread-safe.
 */
final class DataPlane {
  /** DynamoDB's limits. */
  static final int MAX_TRANSACT_ITEMS = 100;

  static final int MAX_BATCH_WRITE = 25;
  static final int MAX_BATCH_GET = 100;
  static final long MAX_BATCH_GET_BYTES = 16L << 20;
  static final int MAX_TOKEN_LENGTH = 36;

  private final Coffer coffer;
  private final TransactionWriter writer;
  private final TransactionReader reader;
  private final IdempotencyTokens tokens;

  DataPlane(
      Coffer coffer, TransactionWriter writer, TransactionReader reader, IdempotencyTokens tokens) {
    this.coffer = coffer;
    this.writer = writer;
    this.reader = reader;
    this.tokens = tokens;
  }

  // ------------------------------------------------------------------------- single-item requests

  static Cond tree(Condition c) {
    return c == null ? null : c.tree();
  }

  static UpdateAst tree(Update u) {
    return u == null ? null : u.tree();
  }

  static UnaryOperator<Item> projector(Projection p) {
    return p == null ? null : p::apply;
  }

  /** PutItem's and DeleteItem's ReturnValues: NONE or ALL_OLD, as DynamoDB refuses the others. */
  static void checkPutOrDeleteReturnValues(ReturnValue r) {
    if (r != ReturnValue.NONE && r != ReturnValue.ALL_OLD) {
      throw new ValidationException("ReturnValues can only be ALL_OLD or NONE");
    }
  }

  // ------------------------------------------------------------------------------ BatchWriteItem

  BatchWriteItemResponse batchWriteItem(BatchWriteItemRequest request) {
    Map<String, List<WriteRequest>> items = request.requestItems();
    if (items.isEmpty()) {
      throw new ValidationException(
          "1 validation error detected: Value '{}' at 'requestItems' failed to satisfy"
              + " constraint: Member must have length greater than or equal to 1");
    }
    int total = 0;
    for (Map.Entry<String, List<WriteRequest>> e : items.entrySet()) {
      int size = e.getValue().size();
      if (size < 1 || size > MAX_BATCH_WRITE) {
        throw new ValidationException(
            "1 validation error detected: Value at 'requestItems' failed to satisfy"
                + " constraint: Map value must satisfy constraint: [Member must have length less than or equal to 25,"
                + " Member must have length greater than or equal to 1] (table "
                + e.getKey()
                + ": "
                + size
                + " requests)");
      }
      total += size;
    }
    if (total > MAX_BATCH_WRITE) {
      throw new ValidationException("Too many items requested for the BatchWriteItem call");
    }
    List<TransactionWriter.Action> actions = new ArrayList<>();
    Map<String, TableContext> tables = new LinkedHashMap<>();
    for (Map.Entry<String, List<WriteRequest>> e : items.entrySet()) {
      TableContext t = coffer.context(e.getKey());
      tables.put(e.getKey(), t);
      Set<Key> keys = new HashSet<>();
      for (WriteRequest w : e.getValue()) {
        ItemChange change;
        try {
          change =
              w.isPut()
                  ? ItemChange.put(w.item(), t.schema(), null, false)
                  : new ItemChange(ItemChange.Kind.DELETE, w.key(), null, null, null, false);
          change.validate(t.schema());
        } catch (ValidationException invalid) {
          if (invalid
                  .getMessage()
                  .startsWith("One or more parameter values were invalid: Missing the key")
              || invalid
                  .getMessage()
                  .startsWith("One or more parameter values were invalid: Type mismatch")) {
            // DynamoDB's BatchWriteItem words every key mismatch one way
            throw new ValidationException(
                "The provided key element does not match the schema", invalid);
          }
          throw invalid;
        }
        if (!keys.add(change.key())) {
          throw new ValidationException("Provided list of item keys contains duplicates");
        }
        actions.add(new TransactionWriter.Action(t, change));
      }
    }
    coffer.onTables(
        tables.values(),
        true,
        () -> {
          writer.writeBatch(actions);
          return null;
        });
    return BatchWriteItemResponse.allProcessed();
  }

  // -------------------------------------------------------------------------------- BatchGetItem

  BatchGetItemResponse batchGetItem(BatchGetItemRequest request) {
    Map<String, KeysAndAttributes> items = request.requestItems();
    if (items.isEmpty()) {
      throw new ValidationException(
          "1 validation error detected: Value '{}' at 'requestItems' failed to satisfy"
              + " constraint: Member must have length greater than or equal to 1");
    }
    int total = 0;
    Map<String, TableContext> tables = new LinkedHashMap<>();
    for (Map.Entry<String, KeysAndAttributes> e : items.entrySet()) {
      List<Key> keys = e.getValue().keys();
      if (keys.isEmpty() || keys.size() > MAX_BATCH_GET) {
        throw new ValidationException(
            "1 validation error detected: Value at 'requestItems."
                + e.getKey()
                + ".member.keys' failed to satisfy constraint: Member must have length "
                + (keys.isEmpty() ? "greater than or equal to 1" : "less than or equal to 100"));
      }
      Set<Key> seen = new HashSet<>();
      for (Key k : keys) {
        if (!seen.add(k)) {
          throw new ValidationException("Provided list of item keys contains duplicates");
        }
        if (++total > MAX_BATCH_GET) {
          throw new ValidationException("Too many items requested for the BatchGetItem call");
        }
      }
    }
    for (Map.Entry<String, KeysAndAttributes> e : items.entrySet()) {
      TableContext t = coffer.context(e.getKey());
      for (Key k : e.getValue().keys()) {
        try {
          ItemSizes.validateKey(k, t.schema());
        } catch (ValidationException invalid) {
          throw new ValidationException(
              "The provided key element does not match the schema", invalid);
        }
      }
      tables.put(e.getKey(), t);
    }
    return coffer.onTables(
        tables.values(),
        false,
        () -> {
          Map<String, List<Item>> responses = new LinkedHashMap<>();
          Map<String, KeysAndAttributes> unprocessed = new LinkedHashMap<>();
          long bytes = 0;
          for (Map.Entry<String, KeysAndAttributes> e : items.entrySet()) {
            TableContext t = tables.get(e.getKey());
            KeysAndAttributes ka = e.getValue();
            List<Item> found = new ArrayList<>();
            List<Key> left = new ArrayList<>();
            for (Key k : ka.keys()) {
              if (!left.isEmpty()) {
                left.add(k);
                continue;
              }
              Item item = coffer.items().get(t, k, null);
              if (item == null) {
                continue;
              }
              long size = ItemSizes.sizeOf(item);
              if (bytes + size > MAX_BATCH_GET_BYTES) {
                left.add(
                    k); // DynamoDB's 16 MB response cap: the rest comes back as UnprocessedKeys
                continue;
              }
              bytes += size;
              found.add(ka.projection() == null ? item : ka.projection().apply(item));
            }
            responses.put(e.getKey(), found);
            if (!left.isEmpty()) {
              unprocessed.put(e.getKey(), ka.toBuilder().keys(left).build());
            }
          }
          return BatchGetItemResponse.of(responses, unprocessed);
        });
  }

  // -------------------------------------------------------------------------- TransactWriteItems

  TransactWriteItemsResponse transactWriteItems(TransactWriteItemsRequest request) {
    List<TransactWriteItem> items = request.transactItems();
    String token = request.clientRequestToken();
    List<String> violations = new ArrayList<>();
    if (items.isEmpty()) {
      violations.add(
          "Value '[]' at 'transactItems' failed to satisfy constraint: Member must have length greater"
              + " than or equal to 1");
    } else if (items.size() > MAX_TRANSACT_ITEMS) {
      violations.add(
          "Value at 'transactItems' failed to satisfy constraint: Member must have length less than or"
              + " equal to 100 ("
              + items.size()
              + " actions)");
    }
    if (token != null && (token.isEmpty() || token.length() > MAX_TOKEN_LENGTH)) {
      violations.add(
          "Value at 'clientRequestToken' failed to satisfy constraint: Member must have length "
              + (token.isEmpty() ? "greater than or equal to 1" : "less than or equal to 36"));
    }
    if (!violations.isEmpty()) {
      throw new ValidationException(
          violations.size()
              + " validation error"
              + (violations.size() > 1 ? "s" : "")
              + " detected: "
              + String.join("; ", violations));
    }
    Map<String, TableContext> tables = new LinkedHashMap<>();
    List<TransactionWriter.Action> actions = new ArrayList<>(items.size());
    Map<String, Set<Key>> seen = new HashMap<>();
    for (TransactWriteItem w : items) {
      TableContext t = tables.computeIfAbsent(w.tableName(), coffer::context);
      boolean returnOld =
          w.returnValuesOnConditionCheckFailure() == ReturnValuesOnConditionCheckFailure.ALL_OLD;
      ItemChange change;
      switch (w.kind()) {
        case PUT:
          change = ItemChange.put(w.item(), t.schema(), tree(w.condition()), returnOld);
          break;
        case UPDATE:
          change =
              new ItemChange(
                  ItemChange.Kind.UPDATE,
                  w.key(),
                  null,
                  tree(w.condition()),
                  tree(w.update()),
                  returnOld);
          break;
        case DELETE:
          change =
              new ItemChange(
                  ItemChange.Kind.DELETE, w.key(), null, tree(w.condition()), null, returnOld);
          break;
        default:
          change =
              new ItemChange(
                  ItemChange.Kind.CONDITION_CHECK,
                  w.key(),
                  null,
                  tree(w.condition()),
                  null,
                  returnOld);
      }
      change.validate(t.schema());
      if (!seen.computeIfAbsent(w.tableName(), n -> new HashSet<>()).add(change.key())) {
        throw new ValidationException(
            "Transaction request cannot include multiple operations on one item");
      }
      actions.add(new TransactionWriter.Action(t, change));
    }
    if (token == null) {
      coffer.onTables(
          tables.values(),
          true,
          () -> {
            writer.write(actions);
            return null;
          });
      return TransactWriteItemsResponse.applied();
    }
    byte[] hash = fingerprint(items);
    // the look-up reads (and may delete) a token record: after the access checks, under the
    // lifecycle lock, as every other read of the store
    if (coffer.onTables(tables.values(), false, () -> tokens.begin(token, hash))) {
      return TransactWriteItemsResponse.applied(); // applied within the last 10 minutes: not again
    }
    boolean finished = false;
    try {
      coffer.onTables(
          tables.values(),
          true,
          () -> {
            writer.write(actions, tokens.recordOf(token, hash)); // the token commits with them
            // still under the lifecycle lock: the sweep that may follow reads and deletes records
            tokens.finish(token, IdempotencyTokens.Outcome.APPLIED);
            return null;
          });
      finished = true;
      return TransactWriteItemsResponse.applied();
    } catch (TransactionCanceledException cancelled) {
      tokens.finish(token, IdempotencyTokens.Outcome.CANCELLED); // in memory only
      finished = true;
      throw cancelled;
    } finally {
      if (!finished) {
        tokens.finish(token, null); // any other failure: the token is free again (memory only)
      }
    }
  }

  /**
   * A SHA-256 of every part of the actions, in order (their {@code toString} is complete and
   * deterministic).
   */
  private static byte[] fingerprint(List<TransactWriteItem> items) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      for (TransactWriteItem w : items) {
        byte[] part = w.toString().getBytes(StandardCharsets.UTF_8);
        sha.update(
            new byte[] {
              (byte) (part.length >>> 24),
              (byte) (part.length >>> 16),
              (byte) (part.length >>> 8),
              (byte) part.length
            });
        sha.update(part);
      }
      return sha.digest();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from the JDK", e);
    }
  }

  // ---------------------------------------------------------------------------- TransactGetItems

  TransactGetItemsResponse transactGetItems(TransactGetItemsRequest request) {
    List<TransactGetItem> items = request.transactItems();
    if (items.isEmpty()) {
      throw new ValidationException(
          "1 validation error detected: Value '[]' at 'transactItems' failed to satisfy"
              + " constraint: Member must have length greater than or equal to 1");
    }
    if (items.size() > MAX_TRANSACT_ITEMS) {
      throw new ValidationException(
          "1 validation error detected: Value at 'transactItems' failed to satisfy"
              + " constraint: Member must have length less than or equal to 100 ("
              + items.size()
              + " gets)");
    }
    Map<String, TableContext> tables = new LinkedHashMap<>();
    Map<String, Set<Key>> seen = new HashMap<>();
    List<TransactionReader.Get> gets = new ArrayList<>(items.size());
    for (TransactGetItem g : items) {
      TableContext t = tables.computeIfAbsent(g.tableName(), coffer::context);
      ItemSizes.validateKey(g.key(), t.schema());
      if (!seen.computeIfAbsent(g.tableName(), n -> new HashSet<>()).add(g.key())) {
        throw new ValidationException(
            "Transaction request cannot include multiple operations on one item");
      }
      gets.add(new TransactionReader.Get(t, g.key(), projector(g.projection())));
    }
    List<Item> found = coffer.onTables(tables.values(), false, () -> reader.read(gets));
    List<Optional<Item>> responses = new ArrayList<>(found.size());
    for (Item i : found) {
      responses.add(Optional.ofNullable(i));
    }
    return TransactGetItemsResponse.of(responses);
  }
}
