package dev.coffer.server.internal.dynamodb;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One DynamoDB operation: reads its request, acts on the store, returns the response body (an empty
 * object when DynamoDB answers {@code {}}). Throws {@link DynamoError}, or the engine's and key
 * provider's exceptions, which the protocol maps to DynamoDB's errors. Implementations are
 * stateless and thread-safe; a new operation (UpdateItem, TransactWriteItems, ...) is one more
 * implementation registered in {@link DynamoDbProtocol}.
 */
@FunctionalInterface
interface Operation {
  ObjectNode run(DynamoRequest request);
}
