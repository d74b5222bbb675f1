package dev.coffer.server.internal.http;

import java.time.Duration;

/**
 * The front's limits: worker pool and queue, connection cap, timeouts and the drain time of a
 * graceful stop, and what it answers besides its protocols.
 *
 * @param name the prefix of its thread names (e.g. {@code coffer-serve})
 * @param workerThreads threads that run operations
 * @param queueCapacity operations that may wait for a worker; beyond, HTTP 503
 * @param maxConnections open connections; beyond, new ones wait in the accept backlog
 * @param idleTimeout a connection with no traffic for this long is closed
 * @param headerReadTimeout a connection that has sent part of a request's headers but not all of
 *     them this long after its first byte is closed, however slowly it keeps sending
 * @param requestReadTimeout a request whose body has not fully arrived this long after its headers
 *     is answered 408 and its connection closed
 * @param drainTimeout how long a graceful stop waits for running requests
 * @param healthCheck whether {@code GET /} without a target answers 200 (DynamoDB does; KMS does
 *     not)
 */
public record FrontSettings(
    String name,
    int workerThreads,
    int queueCapacity,
    int maxConnections,
    Duration idleTimeout,
    Duration headerReadTimeout,
    Duration requestReadTimeout,
    Duration drainTimeout,
    boolean healthCheck) {}
