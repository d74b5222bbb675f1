package dev.coffer.kms.testkit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/**
 * A tiny HTTP server on 127.0.0.1 that answers the n-th request (0-based) with what a script says:
 * a status and JSON body, or a dropped connection. It does not check signatures. One connection per
 * request ({@code Connection: close}); every socket read times out after 5 s. For errors a real KMS
 * endpoint cannot be made to produce (throttling, unavailability, network failures).
 */
public final class ScriptedKmsServer implements AutoCloseable {
  /** One answer. */
  public record Reply(int status, String body, boolean drop) {
    public static Reply json(int status, String body) {
      return new Reply(status, body, false);
    }

    /** A KMS error: {@code {"__type": type, "message": message}}. */
    public static Reply error(int status, String type, String message) {
      return json(status, "{\"__type\":\"" + type + "\",\"message\":\"" + message + "\"}");
    }

    /** Close the connection after reading the request, without answering. */
    public static Reply dropConnection() {
      return new Reply(0, null, true);
    }
  }

  private final ServerSocket socket;
  private final IntFunction<Reply> script;
  private final AtomicInteger requests = new AtomicInteger();
  private final Thread thread;

  private ScriptedKmsServer(IntFunction<Reply> script) throws IOException {
    this.script = script;
    this.socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    this.thread = new Thread(this::serve, "scripted-kms");
    thread.setDaemon(true);
    thread.start();
  }

  /** Starts a server that answers request n with {@code script.apply(n)}. */
  public static ScriptedKmsServer start(IntFunction<Reply> script) {
    try {
      return new ScriptedKmsServer(script);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public URI uri() {
    return URI.create("http://127.0.0.1:" + socket.getLocalPort());
  }

  /** How many requests arrived. */
  public int requests() {
    return requests.get();
  }

  private void serve() {
    while (!socket.isClosed()) {
      try (Socket s = socket.accept()) {
        s.setSoTimeout(5000);
        if (!readRequest(s.getInputStream())) {
          continue;
        }
        Reply reply = script.apply(requests.getAndIncrement());
        if (reply.drop()) {
          s.setSoLinger(true, 0);
          continue;
        }
        byte[] body = reply.body().getBytes(StandardCharsets.UTF_8);
        String head =
            "HTTP/1.1 "
                + reply.status()
                + " "
                + (reply.status() == 200 ? "OK" : "Error")
                + "\r\n"
                + "Content-Type: application/x-amz-json-1.1\r\n"
                + "x-amzn-RequestId: scripted-"
                + requests.get()
                + "\r\n"
                + "Content-Length: "
                + body.length
                + "\r\n"
                + "Connection: close\r\n\r\n";
        OutputStream out = s.getOutputStream();
        out.write(head.getBytes(StandardCharsets.US_ASCII));
        out.write(body);
        out.flush();
      } catch (SocketException e) {
        if (socket.isClosed()) {
          return;
        }
      } catch (IOException e) {
        // a client that went away; serve the next one
      }
    }
  }

  /** Reads headers and a Content-Length body; false when the client sent nothing. */
  private static boolean readRequest(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int b;
    while ((b = in.read()) >= 0) {
      head.write(b);
      byte[] h = head.toByteArray();
      int n = h.length;
      if (n >= 4 && h[n - 4] == '\r' && h[n - 3] == '\n' && h[n - 2] == '\r' && h[n - 1] == '\n') {
        break;
      }
    }
    if (head.size() == 0) {
      return false;
    }
    int length = 0;
    for (String line : head.toString(StandardCharsets.US_ASCII).split("\r\n")) {
      if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
        length = Integer.parseInt(line.substring(15).trim());
      }
    }
    in.readNBytes(length);
    return true;
  }

  @Override
  public void close() {
    try {
      socket.close();
      thread.join(5000);
    } catch (IOException e) {
      // closing
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
