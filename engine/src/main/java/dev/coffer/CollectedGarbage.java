package dev.coffer;

/**
 * What {@link Coffer#collectGarbage()} did on a shared record backend (all zero for an embedded
 * store). Immutable.
 *
 * @param partitions the partitions whose trees it walked
 * @param nodesDeleted nodes (and their chunks) no tree reached, older than the grace period
 * @param strayRecordsDeleted records of tables that no longer exist, written by an instance that
 *     had not seen the deletion yet
 * @param indexEntriesAdded partitions a crash had left out of their table's index (Scan could not
 *     find them until now)
 * @param indexEntriesDeleted index entries of partitions that no longer exist
 */
public record CollectedGarbage(
    long partitions,
    long nodesDeleted,
    long strayRecordsDeleted,
    long indexEntriesAdded,
    long indexEntriesDeleted) {}
