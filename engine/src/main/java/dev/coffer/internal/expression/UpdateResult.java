package dev.coffer.internal.expression;

import dev.coffer.Item;

/**
 * The outcome of applying an update expression to an item: the item to store, and what DynamoDB's
 * ReturnValues modes return. {@code updatedOld} and {@code updatedNew} hold the paths the update
 * wrote (SET, REMOVE, ADD, DELETE targets), projected from the old and the new item in DynamoDB's
 * shape; either may be empty (no Attributes in the response). ALL_OLD is the old item itself,
 * ALL_NEW is {@code item}.
 *
 * @param item the new item, validated (key, size, nesting) and ready to store; null when there is
 *     still no item (an update of only REMOVE and DELETE actions on an item that does not exist)
 * @param updatedOld UPDATED_OLD: the written paths as they were (empty when there was no item);
 *     null when the caller did not ask for it
 * @param updatedNew UPDATED_NEW: the written paths as they are now; null when not asked for
 */
public record UpdateResult(Item item, Item updatedOld, Item updatedNew) {}
