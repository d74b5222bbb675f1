// Over 400 lines: the front's one handler, its non-blocking body reader and its completion share
// admission, deadlines and the answer, and are read together.
package dev.coffer.server.internal.http;

import dev.coffer.server.internal.auth.SigV4Exception;
import dev.coffer.server.internal.auth.SigV4Verifier;
import dev.coffer.server.internal.http.ProtocolHandler.Answer;
import dev.coffer.server.internal.http.ProtocolHandler.Refusal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.CRC32;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.PreEncodedHttpField;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.Invocable;
import org.eclipse.jetty.util.thread.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one Jetty handler of the server. Per request, on Jetty's I/O threads and without blocking:
 * picks the protocol by {@code X-Amz-Target}, refuses a body over the operation's limit before
 * reading it, reads the body asynchronously under a deadline (a stalled client holds no thread),
 * then hands the call to the bounded worker pool (full: HTTP 503). On the worker: SigV4, then the
 * protocol's operation, then the response, with {@code x-amz-crc32} where the protocol wants it.
 * Never logs bodies. Thread-safe.
 */
final class AwsJsonHandler extends Handler.Abstract.NonBlocking {
  private static final Logger LOG = LoggerFactory.getLogger(AwsJsonHandler.class);
  private static final byte[] HEALTHY =
      "healthy: coffer serve\n".getBytes(StandardCharsets.US_ASCII);

  /**
   * A body over the limit but at most this large is read and dropped before the 413 is sent, so the
   * client sees the answer rather than a reset connection; a larger one is answered at once and its
   * connection closed.
   */
  private static final long MAX_DISCARD_BYTES = 64L << 20;

  private static final String REQUEST_ID = "x-amzn-RequestId";
  private static final String CRC32_HEADER = "x-amz-crc32";

  /** Pre-encoded {@code Content-Type} fields, one per protocol's content type. */
  private static final Map<String, HttpField> CONTENT_TYPES = new ConcurrentHashMap<>();

  private final List<ProtocolHandler> protocols;
  private final SigV4Verifier verifier;
  private final ExecutorService workers;
  private final Duration readTimeout;
  private final boolean healthCheck;
  private final AtomicInteger inFlight = new AtomicInteger();
  private final Object drained = new Object();
  private volatile boolean closing;
  private volatile Scheduler scheduler;

  AwsJsonHandler(
      List<ProtocolHandler> protocols,
      SigV4Verifier verifier,
      ExecutorService workers,
      Duration readTimeout,
      boolean healthCheck) {
    this.protocols = List.copyOf(protocols);
    this.verifier = verifier;
    this.workers = workers;
    this.readTimeout = readTimeout;
    this.healthCheck = healthCheck;
  }

  @Override
  protected void doStart() throws Exception {
    scheduler = getServer().getScheduler();
    super.doStart();
  }

  /** From now on every new request is answered 503 and its connection closed. */
  void beginShutdown() {
    closing = true;
  }

  /** Waits until no request is in progress, at most {@code timeout}; true when none is. */
  boolean awaitDrained(Duration timeout) throws InterruptedException {
    long end = System.nanoTime() + timeout.toNanos();
    synchronized (drained) {
      while (inFlight.get() > 0) {
        long left = end - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        TimeUnit.NANOSECONDS.timedWait(drained, left);
      }
    }
    return true;
  }

  /** Requests in progress (read, queued or running). */
  int inFlight() {
    return inFlight.get();
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    inFlight.incrementAndGet();
    EndPoint endpoint = request.getConnectionMetaData().getConnection().getEndPoint();
    GuardedConnector.requestStarted(endpoint);
    Callback done = new Completion(callback, endpoint);
    try {
      start(request, response, done);
    } catch (RuntimeException e) {
      LOG.error("coffer serve: internal error before the operation ran", e);
      done.failed(e);
    }
    return true;
  }

  private void start(Request request, Response response, Callback done) {
    String target = request.getHeaders().get("X-Amz-Target");
    String method = request.getMethod();
    if (healthCheck && target == null && ("GET".equals(method) || "HEAD".equals(method))) {
      response.setStatus(200);
      response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8");
      response.write(
          true, "HEAD".equals(method) ? ByteBuffer.allocate(0) : ByteBuffer.wrap(HEALTHY), done);
      return;
    }
    ProtocolHandler protocol = protocols.get(0);
    String operation = null;
    if (target != null) {
      for (ProtocolHandler p : protocols) {
        if (target.startsWith(p.targetPrefix())) {
          protocol = p;
          operation = target.substring(p.targetPrefix().length());
          break;
        }
      }
    }
    if (closing) {
      answer(response, done, protocol, protocol.refuse(Refusal.SHUTTING_DOWN, null), true);
      return;
    }
    if (!"POST".equals(method)) {
      answer(
          response,
          done,
          protocol,
          protocol.refuse(Refusal.BAD_REQUEST, "Only POST requests are supported."),
          true);
      return;
    }
    long length = request.getLength();
    if (!protocol.knows(operation)) {
      // Read (and drop) the body before answering: answered with its body unread, the connection
      // would be closed by Jetty after the answer without a "Connection: close" in it, and a client
      // reusing it would fail its next request.
      if (length > MAX_DISCARD_BYTES) {
        answer(response, done, protocol, protocol.refuse(Refusal.UNKNOWN_OPERATION, null), true);
        return;
      }
      new BodyReader(
              request,
              response,
              done,
              protocol,
              target,
              operation,
              0,
              length,
              Refusal.UNKNOWN_OPERATION)
          .start();
      return;
    }
    int max = protocol.maxRequestBytes(operation);
    if (length > MAX_DISCARD_BYTES) {
      answer(response, done, protocol, protocol.refuse(Refusal.TOO_LARGE, tooLarge(max)), true);
      return;
    }
    new BodyReader(request, response, done, protocol, target, operation, max, length, null).start();
  }

  private static String tooLarge(int max) {
    return "The request body exceeds the limit of " + max + " bytes for this operation.";
  }

  /**
   * Reads one request body without blocking, under the read deadline, then queues the call. A body
   * over the operation's limit is read and dropped (up to {@link #MAX_DISCARD_BYTES}), then
   * answered 413. With a refusal ({@code refuseAfter}), the body is read and dropped, then the
   * refusal is answered (the connection stays usable).
   */
  private final class BodyReader implements Runnable, Invocable {
    private final Request request;
    private final Response response;
    private final Callback done;
    private final ProtocolHandler protocol;
    private final String target;
    private final String operation;
    private final int max;
    private final Refusal refuseAfter;
    private final AtomicBoolean settled = new AtomicBoolean();
    private final long startNanos = System.nanoTime();
    private byte[] buffer;
    private int size;
    private long discarded;
    private boolean discarding;

    /** Scheduled only when the body does not arrive with the headers (most small bodies do). */
    private volatile Scheduler.Task deadline;

    BodyReader(
        Request request,
        Response response,
        Callback done,
        ProtocolHandler protocol,
        String target,
        String operation,
        int max,
        long contentLength,
        Refusal refuseAfter) {
      this.request = request;
      this.response = response;
      this.done = done;
      this.protocol = protocol;
      this.target = target;
      this.operation = operation;
      this.max = max;
      this.refuseAfter = refuseAfter;
      this.discarding = refuseAfter != null || contentLength > max;
      this.buffer =
          discarding
              ? null
              : new byte[contentLength >= 0 ? (int) contentLength : Math.min(max, 8192)];
    }

    void start() {
      run();
    }

    @Override
    public InvocationType getInvocationType() {
      return InvocationType.NON_BLOCKING;
    }

    @Override
    public void run() {
      while (!settled.get()) {
        Content.Chunk chunk = request.read();
        if (chunk == null) {
          if (deadline == null) {
            long left = readTimeout.toNanos() - (System.nanoTime() - startNanos);
            deadline = scheduler.schedule(this::timedOut, Math.max(0, left), TimeUnit.NANOSECONDS);
          }
          request.demand(this);
          return;
        }
        if (Content.Chunk.isFailure(chunk)) {
          if (settle()) {
            done.failed(chunk.getFailure());
          }
          chunk.release();
          return;
        }
        ByteBuffer b = chunk.getByteBuffer();
        int n = b.remaining();
        if (!discarding && (long) size + n > max) {
          discarding = true;
          discarded = size;
          buffer = null;
        }
        if (discarding) {
          discarded += n;
          boolean last = chunk.isLast();
          chunk.release();
          if ((last || discarded > MAX_DISCARD_BYTES) && settle()) {
            Answer refusal =
                refuseAfter != null
                    ? protocol.refuse(refuseAfter, null)
                    : protocol.refuse(Refusal.TOO_LARGE, tooLarge(max));
            answer(response, done, protocol, refusal, !last);
          }
          if (last || discarded > MAX_DISCARD_BYTES) {
            return;
          }
          continue;
        }
        if (size + n > buffer.length) {
          buffer =
              Arrays.copyOf(
                  buffer, (int) Math.min(max, Math.max((long) buffer.length * 2, size + n)));
        }
        b.get(buffer, size, n);
        size += n;
        boolean last = chunk.isLast();
        chunk.release();
        if (last) {
          if (settle()) {
            dispatch(size == buffer.length ? buffer : Arrays.copyOf(buffer, size));
          }
          return;
        }
      }
    }

    private boolean settle() {
      if (settled.compareAndSet(false, true)) {
        Scheduler.Task d = deadline;
        if (d != null) {
          d.cancel();
        }
        return true;
      }
      return false;
    }

    private void timedOut() {
      if (settled.compareAndSet(false, true)) {
        answer(response, done, protocol, protocol.refuse(Refusal.READ_TIMEOUT, null), true);
      }
    }

    private void dispatch(byte[] body) {
      try {
        workers.execute(() -> serve(request, response, done, protocol, target, operation, body));
      } catch (RejectedExecutionException e) {
        answer(
            response,
            done,
            protocol,
            protocol.refuse(closing ? Refusal.SHUTTING_DOWN : Refusal.THROTTLED, null),
            closing);
      }
    }
  }

  private void serve(
      Request request,
      Response response,
      Callback done,
      ProtocolHandler protocol,
      String target,
      String operation,
      byte[] body) {
    Answer a;
    HttpFields headers = request.getHeaders();
    try {
      String principal;
      try {
        principal =
            verifier
                .verify(
                    protocol.signingService(),
                    request.getMethod(),
                    request.getHttpURI().getPath(),
                    request.getHttpURI().getQuery(),
                    headers::getValuesList,
                    body)
                .key()
                .principal();
      } catch (SigV4Exception e) {
        answer(response, done, protocol, protocol.authenticationFailed(e), false);
        return;
      }
      a = protocol.handle(target, operation, headers.get(HttpHeader.CONTENT_TYPE), body, principal);
    } catch (RuntimeException e) {
      LOG.error("coffer serve: internal error in {}{}", protocol.targetPrefix(), operation, e);
      done.failed(e);
      return;
    }
    answer(response, done, protocol, a, false);
  }

  private static void answer(
      Response response, Callback done, ProtocolHandler protocol, Answer a, boolean close) {
    response.setStatus(a.status());
    HttpFields.Mutable h = response.getHeaders();
    // A new response has none of these: add them (put would scan for earlier values first); the
    // content type is encoded once per protocol.
    h.add(contentType(protocol.contentType()));
    h.add(new HttpField(REQUEST_ID, protocol.newRequestId()));
    if (protocol.crc32()) {
      CRC32 crc = new CRC32();
      crc.update(a.body());
      h.add(new HttpField(CRC32_HEADER, Long.toString(crc.getValue())));
    }
    h.add(new HttpField.LongValueHttpField(HttpHeader.CONTENT_LENGTH, a.body().length));
    if (close) {
      h.put(HttpHeader.CONNECTION, "close");
    }
    response.write(true, ByteBuffer.wrap(a.body()), done);
  }

  private static HttpField contentType(String value) {
    HttpField f = CONTENT_TYPES.get(value);
    return f != null
        ? f
        : CONTENT_TYPES.computeIfAbsent(
            value, v -> new PreEncodedHttpField(HttpHeader.CONTENT_TYPE, v));
  }

  /** Completes Jetty's callback and counts the request out. */
  private final class Completion implements Callback {
    private final Callback callback;
    private final EndPoint endpoint;
    private final AtomicBoolean completed = new AtomicBoolean();

    Completion(Callback callback, EndPoint endpoint) {
      this.callback = callback;
      this.endpoint = endpoint;
    }

    @Override
    public void succeeded() {
      if (completed.compareAndSet(false, true)) {
        GuardedConnector.requestEnded(
            endpoint); // before Jetty may parse the connection's next request
        try {
          callback.succeeded();
        } finally {
          out();
        }
      }
    }

    @Override
    public void failed(Throwable x) {
      if (completed.compareAndSet(false, true)) {
        GuardedConnector.requestEnded(endpoint);
        try {
          callback.failed(x);
        } finally {
          out();
        }
      }
    }

    @Override
    public InvocationType getInvocationType() {
      return InvocationType.NON_BLOCKING;
    }

    private void out() {
      if (inFlight.decrementAndGet() == 0 && closing) {
        synchronized (drained) {
          drained.notifyAll();
        }
      }
    }
  }
}
