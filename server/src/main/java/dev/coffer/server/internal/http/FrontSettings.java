package dev.coffer.server.internal.http;

import java.time.Duration;
import java.util.Objects;

/**
 * The front's limits: worker pool and queue, connection cap, timeouts and the drain time of a
 * graceful stop, and what it answers besides its protocols. The public builders of the servers that
 * share the front ({@code CofferServer}, {@code KmsEndpoint}) hold one of these and change it
 * through the {@code with} methods, which check each value once for both.
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
    boolean healthCheck) {

  /**
   * Settings with the server's own defaults for the pool, the queue, the connections and the drain,
   * and 60 s idle, 10 s header and 10 s body read timeouts for every server.
   */
  public static FrontSettings defaults(
      String name,
      int workerThreads,
      int queueCapacity,
      int maxConnections,
      Duration drainTimeout,
      boolean healthCheck) {
    return new FrontSettings(
        name,
        workerThreads,
        queueCapacity,
        maxConnections,
        Duration.ofSeconds(60),
        Duration.ofSeconds(10),
        Duration.ofSeconds(10),
        drainTimeout,
        healthCheck);
  }

  /**
   * @param option the builder method's name, for the message
   * @throws IllegalArgumentException unless 1 to 1024
   */
  public FrontSettings withWorkerThreads(String option, int threads) {
    if (threads < 1 || threads > 1024) {
      throw new IllegalArgumentException(option + " must be 1 to 1024, was " + threads);
    }
    return new FrontSettings(
        name,
        threads,
        queueCapacity,
        maxConnections,
        idleTimeout,
        headerReadTimeout,
        requestReadTimeout,
        drainTimeout,
        healthCheck);
  }

  /**
   * @throws IllegalArgumentException unless 1 to 1,000,000
   */
  public FrontSettings withQueueCapacity(int capacity) {
    if (capacity < 1 || capacity > 1_000_000) {
      throw new IllegalArgumentException("queueCapacity must be 1 to 1000000, was " + capacity);
    }
    return new FrontSettings(
        name,
        workerThreads,
        capacity,
        maxConnections,
        idleTimeout,
        headerReadTimeout,
        requestReadTimeout,
        drainTimeout,
        healthCheck);
  }

  /**
   * @throws IllegalArgumentException below 1
   */
  public FrontSettings withMaxConnections(int connections) {
    if (connections < 1) {
      throw new IllegalArgumentException("maxConnections must be at least 1, was " + connections);
    }
    return new FrontSettings(
        name,
        workerThreads,
        queueCapacity,
        connections,
        idleTimeout,
        headerReadTimeout,
        requestReadTimeout,
        drainTimeout,
        healthCheck);
  }

  /**
   * @throws IllegalArgumentException unless positive
   */
  public FrontSettings withIdleTimeout(Duration timeout) {
    return new FrontSettings(
        name,
        workerThreads,
        queueCapacity,
        maxConnections,
        positive(timeout, "idleTimeout"),
        headerReadTimeout,
        requestReadTimeout,
        drainTimeout,
        healthCheck);
  }

  /**
   * @throws IllegalArgumentException unless positive
   */
  public FrontSettings withHeaderReadTimeout(Duration timeout) {
    return new FrontSettings(
        name,
        workerThreads,
        queueCapacity,
        maxConnections,
        idleTimeout,
        positive(timeout, "headerReadTimeout"),
        requestReadTimeout,
        drainTimeout,
        healthCheck);
  }

  /**
   * @throws IllegalArgumentException unless positive
   */
  public FrontSettings withRequestReadTimeout(Duration timeout) {
    return new FrontSettings(
        name,
        workerThreads,
        queueCapacity,
        maxConnections,
        idleTimeout,
        headerReadTimeout,
        positive(timeout, "requestReadTimeout"),
        drainTimeout,
        healthCheck);
  }

  /**
   * @throws IllegalArgumentException unless positive
   */
  public FrontSettings withDrainTimeout(Duration timeout) {
    return new FrontSettings(
        name,
        workerThreads,
        queueCapacity,
        maxConnections,
        idleTimeout,
        headerReadTimeout,
        requestReadTimeout,
        positive(timeout, "drainTimeout"),
        healthCheck);
  }

  /**
   * @throws NullPointerException if {@code d} is null
   * @throws IllegalArgumentException unless positive
   */
  public static Duration positive(Duration d, String name) {
    Objects.requireNonNull(d, name);
    if (d.isZero() || d.isNegative()) {
      throw new IllegalArgumentException(name + " must be positive, was " + d);
    }
    return d;
  }
}
