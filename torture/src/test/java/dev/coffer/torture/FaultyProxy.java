package dev.coffer.torture;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP proxy on 127.0.0.1 between the aws-kms provider and the KMS endpoint that breaks the
 * network on demand, request by request (it frames HTTP/1.1 requests by their Content-Length):
 * {@link Mode#DROP} resets the connection when a request arrives (a dropped connection), {@link
 * Mode#STALL} swallows the request and never answers (the client's read timeout fires). Faults
 * apply to the next n requests ({@link #failNext}) or to all until {@link #heal()}. Thread-safe.
 */
final class FaultyProxy implements AutoCloseable {
  /** What happens to a request. */
  enum Mode {
    PASS,
    STALL,
    DROP
  }

  private static final int UNLIMITED = -1;

  private final ServerSocket server;
  private final InetSocketAddress target;
  private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
  private final AtomicLong requests = new AtomicLong();
  private final AtomicLong faulted = new AtomicLong();
  private Mode mode = Mode.PASS;
  private int remaining;

  private FaultyProxy(URI target) throws IOException {
    this.target = new InetSocketAddress(target.getHost(), target.getPort());
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread acceptor = new Thread(this::accept, "faulty-proxy-accept");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /** A proxy in front of {@code target} (an http URI on loopback). */
  static FaultyProxy start(URI target) throws IOException {
    return new FaultyProxy(target);
  }

  /** The proxy's own address, for {@code endpointOverride}. */
  URI uri() {
    return URI.create("http://127.0.0.1:" + server.getLocalPort());
  }

  /** The next {@code n} requests get {@code m}. */
  synchronized void failNext(Mode m, int n) {
    mode = m;
    remaining = n;
  }

  /** Every request gets {@code m} until {@link #heal()}. */
  synchronized void failAll(Mode m) {
    mode = m;
    remaining = UNLIMITED;
  }

  /** Requests pass again. */
  synchronized void heal() {
    mode = Mode.PASS;
    remaining = 0;
  }

  /** Requests that were dropped or stalled so far. */
  long faulted() {
    return faulted.get();
  }

  /** Requests seen so far. */
  long requests() {
    return requests.get();
  }

  private synchronized Mode decide() {
    if (mode == Mode.PASS || remaining == 0) {
      return Mode.PASS;
    }
    if (remaining > 0) {
      remaining--;
    }
    return mode;
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket client = server.accept();
        client.setTcpNoDelay(true); // no Nagle delays on top of the endpoint's
        sockets.add(client);
        Thread t = new Thread(() -> serve(client), "faulty-proxy-conn");
        t.setDaemon(true);
        t.start();
      } catch (IOException e) {
        return; // closed
      }
    }
  }

  private void serve(Socket client) {
    Socket upstream = null;
    try (client) {
      InputStream in = new BufferedInputStream(client.getInputStream());
      for (byte[] request = readRequest(in); request != null; request = readRequest(in)) {
        requests.incrementAndGet();
        Mode m = decide();
        if (m == Mode.DROP) {
          faulted.incrementAndGet();
          client.setSoLinger(true, 0); // close with a reset
          return;
        }
        if (m == Mode.STALL) {
          faulted.incrementAndGet();
          while (in.read() >= 0) {
            // swallow until the client gives up and closes
          }
          return;
        }
        if (upstream == null) {
          upstream = new Socket(target.getAddress(), target.getPort());
          upstream.setTcpNoDelay(true);
          sockets.add(upstream);
          Socket up = upstream;
          Thread pump = new Thread(() -> pump(up, client), "faulty-proxy-pump");
          pump.setDaemon(true);
          pump.start();
        }
        OutputStream out = upstream.getOutputStream();
        out.write(request);
        out.flush();
      }
    } catch (IOException e) {
      // the client or the endpoint went away
    } finally {
      closeQuietly(upstream);
    }
  }

  private static void pump(Socket from, Socket to) {
    byte[] buf = new byte[16384];
    try (InputStream in = from.getInputStream()) {
      OutputStream out = to.getOutputStream();
      for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
        out.write(buf, 0, n);
        out.flush();
      }
    } catch (IOException e) {
      // closed
    } finally {
      closeQuietly(to);
    }
  }

  /** One HTTP/1.1 request (headers and Content-Length body), or null at the end of the stream. */
  private static byte[] readRequest(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    byte[] end = {'\r', '\n', '\r', '\n'};
    while (matched < 4) {
      int b = in.read();
      if (b < 0) {
        return null;
      }
      head.write(b);
      matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
      if (head.size() > 65536) {
        throw new IOException("request headers too long");
      }
    }
    String headers = head.toString(StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT);
    if (headers.contains("transfer-encoding: chunked")) {
      throw new IOException("chunked requests are not framed by this proxy");
    }
    int length = 0;
    for (String line : headers.split("\r\n")) {
      if (line.startsWith("content-length:")) {
        length = Integer.parseInt(line.substring("content-length:".length()).trim());
      }
    }
    byte[] body = in.readNBytes(length);
    if (body.length < length) {
      return null;
    }
    head.write(body);
    return head.toByteArray();
  }

  private static void closeQuietly(Socket s) {
    if (s != null) {
      try {
        s.close();
      } catch (IOException e) {
        // nothing to do
      }
    }
  }

  @Override
  public void close() throws IOException {
    server.close();
    sockets.forEach(FaultyProxy::closeQuietly);
  }
}
