package dev.coffer.internal.record;

/**
 * A difference {@code verify} found between a table's records and its freshness map ({@link
 * FreshStore#verifyFreshness}), or the store's ClientRequestToken records and theirs ({@link
 * FreshStore#verifyTokens}): a record the map lists another version of, lists but is missing, or
 * does not list; or a node of the map itself that is missing or not the one its parent lists.
 *
 * @param token the partition token of the record, or null for a map node or a key that is not a
 *     node's
 * @param nodeId the record's node id, or -1
 * @param location where it is, for messages
 * @param message what is wrong
 */
public record FreshMismatch(byte[] token, long nodeId, String location, String message) {}
