package dev.coffer.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/**
 * The cheapest client there is, to show what the server and loopback cost without the SDK client's
 * own work: requests signed (with the SDK's SigV4 signer) ahead of time, 64 per operation with
 * random keys, then replayed over one keep-alive socket per thread, reading each answer by its
 * {@code Content-Length}. A signature is valid for 15 minutes (the server refuses an older one, as
 * AWS does), so replaying it is allowed within that time and the requests are signed again once
 * they are {@link #RESIGN_AFTER_NANOS} old (the full profile's run is longer than 15 minutes): the
 * call that finds them old signs them, a few milliseconds in one call of tens of thousands. Not a
 * client anyone should use; a measuring stick for the report's "server share" rows.
 */
final class RawHttpTarget implements ServeBenchmark.Target {
  private static final int REQUESTS_PER_OP = 64;
  private static final long RESIGN_AFTER_NANOS = TimeUnit.MINUTES.toNanos(10);

  private final String name;
  private final LongSupplier serverCpu;
  private final URI endpoint;
  private final String accessKey;
  private final String secret;
  private final Map<ServeBenchmark.Op, String[]> bodies = new EnumMap<>(ServeBenchmark.Op.class);
  private volatile Signed signed;
  private final ThreadLocal<Connection> connections;
  private final List<Connection> open = new CopyOnWriteArrayList<>();
  private final AutoCloseable[] resources;

  /**
   * Replays requests to {@code endpoint}; {@link #close()} also closes {@code resources}. {@code
   * serverCpu} reads the server's CPU time so far ({@link ServeBenchmark.Target#serverCpuNanos}).
   */
  RawHttpTarget(
      String name,
      LongSupplier serverCpu,
      URI endpoint,
      String accessKey,
      String secret,
      ServeBenchmark bench,
      AutoCloseable... resources) {
    this.name = name;
    this.serverCpu = serverCpu;
    this.endpoint = endpoint;
    this.resources = resources;
    this.accessKey = accessKey;
    this.secret = secret;
    this.connections = ThreadLocal.withInitial(this::connect);
    SplittableRandom r = new SplittableRandom(42);
    for (ServeBenchmark.Op op : ServeBenchmark.Op.values()) {
      String[] opBodies = new String[REQUESTS_PER_OP];
      for (int i = 0; i < opBodies.length; i++) {
        int p = r.nextInt(bench.partitions());
        int s = r.nextInt(ServeBenchmark.ITEMS_PER_PARTITION);
        String key = "\"pk\":{\"S\":\"p" + p + "\"},\"sk\":{\"N\":\"" + s + "\"}";
        String body =
            switch (op) {
              case PUT_ITEM ->
                  "{\"TableName\":\""
                      + ServeBenchmark.TABLE
                      + "\",\"Item\":{"
                      + key
                      + ",\"v\":{\"S\":\""
                      + bench.payload()
                      + "\"}}}";
              case GET_ITEM ->
                  "{\"TableName\":\"" + ServeBenchmark.TABLE + "\",\"Key\":{" + key + "}}";
              case QUERY ->
                  "{\"TableName\":\""
                      + ServeBenchmark.TABLE
                      + "\",\"KeyConditionExpression\":\"pk = :p\","
                      + "\"ExpressionAttributeValues\":{\":p\":{\"S\":\"p"
                      + p
                      + "\"}}}";
            };
        opBodies[i] = body;
      }
      bodies.put(op, opBodies);
    }
    this.signed = signAll();
  }

  /** Requests signed at {@code nanoTime}, by operation. */
  private record Signed(long nanoTime, Map<ServeBenchmark.Op, byte[][]> requests) {}

  private Signed signAll() {
    long now = System.nanoTime();
    Map<ServeBenchmark.Op, byte[][]> requests = new EnumMap<>(ServeBenchmark.Op.class);
    bodies.forEach(
        (op, opBodies) -> {
          byte[][] ops = new byte[opBodies.length][];
          for (int i = 0; i < ops.length; i++) {
            ops[i] = sign(op, opBodies[i], accessKey, secret);
          }
          requests.put(op, ops);
        });
    return new Signed(now, requests);
  }

  private Signed current() {
    Signed s = signed;
    if (System.nanoTime() - s.nanoTime() < RESIGN_AFTER_NANOS) {
      return s;
    }
    synchronized (this) {
      if (System.nanoTime() - signed.nanoTime() >= RESIGN_AFTER_NANOS) {
        signed = signAll();
      }
      return signed;
    }
  }

  private byte[] sign(ServeBenchmark.Op op, String body, String accessKey, String secret) {
    byte[] payload = body.getBytes(StandardCharsets.UTF_8);
    SdkHttpRequest unsigned =
        SdkHttpRequest.builder()
            .method(SdkHttpMethod.POST)
            .uri(endpoint)
            .putHeader("Host", endpoint.getHost() + ":" + endpoint.getPort())
            .putHeader("Content-Type", "application/x-amz-json-1.0")
            .putHeader("X-Amz-Target", "DynamoDB_20120810." + op.label)
            .build();
    SignedRequest signed =
        AwsV4HttpSigner.create()
            .sign(
                s ->
                    s.identity(AwsCredentialsIdentity.create(accessKey, secret))
                        .request(unsigned)
                        .payload(ContentStreamProvider.fromByteArray(payload))
                        .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "dynamodb")
                        .putProperty(AwsV4HttpSigner.REGION_NAME, "us-east-1"));
    StringBuilder head = new StringBuilder("POST / HTTP/1.1\r\n");
    signed
        .request()
        .forEachHeader(
            (k, vs) -> vs.forEach(v -> head.append(k).append(": ").append(v).append("\r\n")));
    head.append("Content-Length: ").append(payload.length).append("\r\n\r\n");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(head.toString().getBytes(StandardCharsets.ISO_8859_1));
    out.writeBytes(payload);
    return out.toByteArray();
  }

  private Connection connect() {
    try {
      Socket s = new Socket(InetAddress.getLoopbackAddress(), endpoint.getPort());
      s.setTcpNoDelay(true);
      Connection c = new Connection(s, s.getInputStream(), s.getOutputStream(), new byte[1 << 16]);
      open.add(c);
      return c;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public long serverCpuNanos() {
    return serverCpu.getAsLong();
  }

  @Override
  public void run(ServeBenchmark.Op op, SplittableRandom r) {
    byte[][] pool = current().requests().get(op);
    byte[] request = pool[r.nextInt(pool.length)];
    int status;
    try {
      status = send(connections.get(), request);
    } catch (IOException idleClosed) {
      // A keep-alive connection the server closed while this thread measured other targets
      // (dynalite closes
      // idle ones after 5 s): open a new one and send again, as HTTP clients do.
      connections.remove();
      try {
        status = send(connections.get(), request);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    if (status != 200) {
      throw new IllegalStateException(name + " answered HTTP " + status);
    }
  }

  private static int send(Connection c, byte[] request) throws IOException {
    c.out().write(request);
    c.out().flush();
    return c.readResponse();
  }

  @Override
  public void close() {
    for (Connection c : open) {
      try {
        c.socket().close();
      } catch (IOException e) {
        // closing at the end of the run
      }
    }
    for (AutoCloseable r : resources) {
      try {
        r.close();
      } catch (Exception e) {
        // closing what the benchmark opened
      }
    }
  }

  /** One keep-alive connection and its read buffer. */
  private record Connection(Socket socket, InputStream in, OutputStream out, byte[] buffer) {
    /**
     * Reads one response (headers, then {@code Content-Length} bytes of body); returns its status.
     */
    int readResponse() throws IOException {
      int filled = 0;
      int headerEnd = -1;
      while (headerEnd < 0) {
        int n = in.read(buffer, filled, buffer.length - filled);
        if (n < 0) {
          throw new IOException("connection closed");
        }
        filled += n;
        headerEnd = indexOfBlankLine(buffer, filled);
      }
      String head = new String(buffer, 0, headerEnd, StandardCharsets.ISO_8859_1);
      int status = Integer.parseInt(head.substring(9, 12));
      int length = 0;
      for (String line : head.split("\r\n")) {
        if (line.regionMatches(true, 0, "Content-Length:", 0, 15)) {
          length = Integer.parseInt(line.substring(15).trim());
        }
      }
      int have = filled - (headerEnd + 4);
      while (have < length) {
        int n = in.read(buffer, 0, Math.min(buffer.length, length - have));
        if (n < 0) {
          throw new IOException("connection closed");
        }
        have += n;
      }
      return status;
    }

    private static int indexOfBlankLine(byte[] b, int limit) {
      for (int i = 0; i + 3 < limit; i++) {
        if (b[i] == '\r' && b[i + 1] == '\n' && b[i + 2] == '\r' && b[i + 3] == '\n') {
          return i;
        }
      }
      return -1;
    }
  }
}
