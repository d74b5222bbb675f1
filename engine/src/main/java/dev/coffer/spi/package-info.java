/**
 * The record-backend SPI: how Coffer stores its sealed records somewhere other than its embedded
 * RocksDB, in a store that several Coffer instances (separate JVMs, separate hosts) share.
 *
 * <p>A backend is a very small key-value store with DynamoDB's shape: {@linkplain BackendRecord
 * records} addressed by a binary partition key and a binary sort key, holding an opaque binary
 * value and a 64-bit version the caller chooses. It needs only:
 *
 * <ul>
 *   <li>strongly consistent point reads ({@link RecordBackend#get});
 *   <li>the records of one partition in ascending unsigned sort-key order ({@link
 *       RecordBackend#query});
 *   <li>single-record writes and deletes, each atomic, under a {@link WriteCondition} (none, the
 *       record is absent, it exists, it has version v), failing with {@link
 *       ConditionFailedException} when the condition does not hold, and returning the record they
 *       replaced ({@link RecordBackend#put}, {@link RecordBackend#delete});
 *   <li>an unordered pass over every record, split into segments ({@link RecordBackend#scan}).
 * </ul>
 *
 * Everything Coffer needs for many writers on one store (copy-on-write nodes under fresh ids, a
 * conditional swap of each partition's root, leases, a sorted index of partitions) is built on
 * these in the engine; a backend never sees a plaintext byte, a key, or a reason to decide
 * anything. Backends are found by URI scheme through {@link java.util.ServiceLoader} ({@link
 * RecordBackendFactory}, {@link RecordBackends}), as key providers are; {@code
 * coffer-store-dynamodb} provides {@code dynamodb:}.
 *
 * <p>See {@code docs/scale-out.md} for the layout Coffer writes into a backend and the concurrency
 * protocol.
 */
package dev.coffer.spi;
