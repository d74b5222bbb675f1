package dev.coffer.server.internal.http;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.ManagedSelector;
import org.eclipse.jetty.io.SocketChannelEndPoint;
import org.eclipse.jetty.server.ConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Jetty's {@link ServerConnector} with a deadline on request headers. Jetty's idle timeout restarts
 * with every byte, so a client that sends a request's headers one byte at a time would hold its
 * connection for as long as it likes. Here each connection notes when the first byte of a request
 * arrives (its endpoint's {@code fill}); the handler marks the request started once Jetty has
 * parsed its headers, and done when it is answered; a sweep closes every connection whose headers
 * have not been complete for {@code headerTimeout}. The body has its own deadline in the handler.
 *
 * <p>The cost on the request path is two volatile writes per request; the sweep runs on Jetty's
 * scheduler every quarter of the deadline (at most once a second, at least every 50 ms).
 * Thread-safe.
 */
final class GuardedConnector extends ServerConnector {
  private static final Logger LOG = LoggerFactory.getLogger(GuardedConnector.class);

  private final long headerTimeoutNanos;
  private final long sweepMillis;
  private final Set<GuardedEndPoint> open = ConcurrentHashMap.newKeySet();
  private final AtomicLong headerTimeouts = new AtomicLong();
  private volatile Scheduler.Task sweep;

  GuardedConnector(Server server, Duration headerTimeout, ConnectionFactory... factories) {
    super(server, 1, 1, factories);
    this.headerTimeoutNanos = headerTimeout.toNanos();
    this.sweepMillis = Math.max(50, Math.min(1000, headerTimeout.toMillis() / 4));
  }

  @Override
  protected SocketChannelEndPoint newEndPoint(
      SocketChannel channel, ManagedSelector selector, SelectionKey key) {
    GuardedEndPoint endpoint = new GuardedEndPoint(channel, selector, key, getScheduler());
    endpoint.setIdleTimeout(getIdleTimeout());
    return endpoint;
  }

  @Override
  protected void doStart() throws Exception {
    super.doStart();
    sweep = getScheduler().schedule(this::sweep, sweepMillis, TimeUnit.MILLISECONDS);
  }

  @Override
  protected void doStop() throws Exception {
    Scheduler.Task t = sweep;
    if (t != null) {
      t.cancel();
    }
    super.doStop();
  }

  /** Connections closed because their headers did not arrive in time, since the start. */
  long headerTimeouts() {
    return headerTimeouts.get();
  }

  private void sweep() {
    try {
      long now = System.nanoTime();
      for (GuardedEndPoint e : open) {
        long started = e.headerStart;
        if (started != 0 && !e.inRequest && now - started > headerTimeoutNanos) {
          headerTimeouts.incrementAndGet();
          LOG.debug(
              "coffer serve: closing {}: request headers incomplete after {} ms",
              e.getRemoteSocketAddress(),
              TimeUnit.NANOSECONDS.toMillis(headerTimeoutNanos));
          e.close(
              new TimeoutException(
                  "request headers not received within "
                      + TimeUnit.NANOSECONDS.toMillis(headerTimeoutNanos)
                      + " ms"));
        }
      }
    } finally {
      if (isRunning()) {
        sweep = getScheduler().schedule(this::sweep, sweepMillis, TimeUnit.MILLISECONDS);
      }
    }
  }

  /** Marks the request on {@code endpoint} as having complete headers (the handler got it). */
  static void requestStarted(EndPoint endpoint) {
    if (endpoint instanceof GuardedEndPoint g) {
      g.inRequest = true;
      g.headerStart = 0;
    }
  }

  /**
   * Marks the request on {@code endpoint} as answered: the next bytes start a new header deadline.
   */
  static void requestEnded(EndPoint endpoint) {
    if (endpoint instanceof GuardedEndPoint g) {
      g.inRequest = false;
    }
  }

  /** A socket endpoint that notes when the first byte of a request arrives. */
  private final class GuardedEndPoint extends SocketChannelEndPoint {
    /**
     * {@link System#nanoTime()} of the first byte of a request whose headers are incomplete; 0:
     * none.
     */
    volatile long headerStart;

    /** Whether the handler has the current request (its headers are complete). */
    volatile boolean inRequest;

    GuardedEndPoint(
        SocketChannel channel, ManagedSelector selector, SelectionKey key, Scheduler scheduler) {
      super(channel, selector, key, scheduler);
    }

    @Override
    public void onOpen() {
      super.onOpen();
      open.add(this);
    }

    @Override
    public void onClose(Throwable cause) {
      open.remove(this);
      super.onClose(cause);
    }

    @Override
    public int fill(ByteBuffer buffer) throws IOException {
      int n = super.fill(buffer);
      if (n > 0 && !inRequest && headerStart == 0) {
        long now = System.nanoTime();
        headerStart = now == 0 ? 1 : now;
      }
      return n;
    }
  }
}
