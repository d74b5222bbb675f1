package dev.coffer.server.internal.http;

import dev.coffer.server.internal.auth.SigV4Verifier;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP/1.1 side of the server, on Jetty 12's core API (no servlets): one connector on
 * 127.0.0.1, a small Jetty thread pool for I/O and parsing only, and a separate bounded pool of
 * workers with a bounded queue for the operations (see {@link AwsJsonHandler}).
 *
 * <p>Limits: request headers at most 16 KiB (Jetty answers 431 beyond) and complete within {@link
 * FrontSettings#headerReadTimeout()} of their first byte (else the connection is closed: {@link
 * GuardedConnector}), at most {@link FrontSettings#maxConnections()} connections (beyond, the
 * acceptor pauses), connections idle for {@link FrontSettings#idleTimeout()} are closed, a body
 * must arrive within {@link FrontSettings#requestReadTimeout()}. Accepted sockets have {@code
 * TCP_NODELAY} set, and each answer is written as one buffer of headers and body.
 *
 * <p>{@link #close()} is graceful: the listening socket closes at once (new connections are
 * refused), requests already received finish (new ones on open connections get 503 with {@code
 * Connection: close}), then Jetty and the workers stop. Thread-safe.
 */
public final class HttpFront implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(HttpFront.class);
  private static final int MAX_HEADER_BYTES = 16 * 1024;

  private final Server server;
  private final GuardedConnector connector;
  private final ThreadPoolExecutor workers;
  private final AwsJsonHandler handler;
  private final Duration drainTimeout;
  private final Object closeLock = new Object();
  private boolean closed;

  /**
   * Binds {@code 127.0.0.1:port} (0: a free port) and starts serving.
   *
   * @throws UncheckedIOException when the port cannot be bound
   */
  public HttpFront(
      int port, FrontSettings settings, SigV4Verifier verifier, List<ProtocolHandler> protocols) {
    this.drainTimeout = settings.drainTimeout();
    AtomicInteger n = new AtomicInteger();
    ThreadFactory daemons =
        r -> {
          Thread t = new Thread(r, settings.name() + "-worker-" + n.incrementAndGet());
          t.setDaemon(true);
          return t;
        };
    this.workers =
        new ThreadPoolExecutor(
            settings.workerThreads(),
            settings.workerThreads(),
            60,
            TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(settings.queueCapacity()),
            daemons,
            new ThreadPoolExecutor.AbortPolicy());
    QueuedThreadPool io = new QueuedThreadPool(16, 4);
    io.setName(settings.name() + "-io");
    io.setDaemon(true);
    this.server = new Server(io);
    HttpConfiguration http = new HttpConfiguration();
    http.setSendServerVersion(false);
    http.setSendXPoweredBy(false);
    http.setSendDateHeader(true);
    http.setRequestHeaderSize(MAX_HEADER_BYTES);
    // Jetty caches header fields per connection to share their parsed values between requests; AWS
    // requests change Authorization, X-Amz-Date and the SDK's invocation ids every time, so the
    // cache
    // only ever adds (a trie insert per header per request, ~5% of a GetItem's server time).
    http.setHeaderCacheSize(0);
    http.setIdleTimeout(settings.idleTimeout().toMillis());
    this.connector =
        new GuardedConnector(server, settings.headerReadTimeout(), new HttpConnectionFactory(http));
    connector.setHost("127.0.0.1");
    connector.setPort(port);
    connector.setIdleTimeout(settings.idleTimeout().toMillis());
    connector.setAcceptedTcpNoDelay(true);
    connector.setAcceptQueueSize(256);
    server.addConnector(connector);
    server.addBean(new NetworkConnectionLimit(settings.maxConnections(), server));
    this.handler =
        new AwsJsonHandler(
            protocols, verifier, workers, settings.requestReadTimeout(), settings.healthCheck());
    server.setHandler(handler);
    server.setStopTimeout(
        0); // draining is done above (AwsJsonHandler); idle keep-alive connections just close
    try {
      server.start();
    } catch (Exception e) {
      stopQuietly();
      workers.shutdownNow();
      if (e instanceof IOException io2) {
        throw new UncheckedIOException(
            "cannot bind 127.0.0.1:" + port + ": " + io2.getMessage(), io2);
      }
      throw new IllegalStateException(
          "cannot start the HTTP server on 127.0.0.1:" + port + ": " + e, e);
    }
  }

  /** The bound port. */
  public int port() {
    return connector.getLocalPort();
  }

  /** Connections closed because their request headers did not arrive in time. */
  public long headerTimeouts() {
    return connector.headerTimeouts();
  }

  /** Requests being read, queued or run. */
  public int inFlight() {
    return handler.inFlight();
  }

  /**
   * Graceful stop: refuses new connections at once and new requests on open ones with 503, waits up
   * to the drain timeout for the requests in progress, then stops Jetty and the workers.
   * Idempotent.
   */
  @Override
  public void close() {
    synchronized (closeLock) {
      if (closed) {
        return;
      }
      closed = true;
      handler.beginShutdown();
      connector.close(); // the listening socket: new connections are refused from now on
      try {
        if (!handler.awaitDrained(drainTimeout)) {
          LOG.warn(
              "coffer serve: {} request(s) still running after {}; stopping anyway",
              handler.inFlight(),
              drainTimeout);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      workers.shutdown();
      stopQuietly();
      try {
        if (!workers.awaitTermination(drainTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
          workers.shutdownNow();
        }
      } catch (InterruptedException e) {
        workers.shutdownNow();
        Thread.currentThread().interrupt();
      }
    }
  }

  private void stopQuietly() {
    try {
      server.stop();
    } catch (Exception e) {
      LOG.warn("coffer serve: error while stopping the HTTP server", e);
    }
  }
}
