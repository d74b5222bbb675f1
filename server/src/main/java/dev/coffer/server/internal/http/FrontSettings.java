package dev.coffer.server.internal.http;

import java.time.Duration;

/**
 * The front's limits: worker pool and queue, connection cap, timeouts and the drain time of a
 * graceful stop.
 *
 * @param workerThreads threads that run operations
 * @param queueCapacity operations that may wait for a worker; beyond, HTTP 503
 * @param maxConnections open connections; beyond, new ones wait in the accept backlog
 * @param idleTimeout a connection with no traffic for this long is closed
 * @param requestReadTimeout a request whose body has not fully arrived this long after its headers
 *     is answered 408 and its connection closed
 * @param drainTimeout how long a graceful stop waits for running requests
 */
public record FrontSettings(int workerThreads, int queueCapacity, int maxConnections, Duration idleTimeout,
    Duration requestReadTimeout, Duration drainTimeout) {}
