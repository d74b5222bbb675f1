package dev.coffer.bench;

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
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.CRC32;

/**
 * The floor no DynamoDB server can beat: a loopback HTTP/1.1 responder that reads each request
 * (headers, then {@code Content-Length} bytes of body) and writes back a fixed, valid DynamoDB
 * answer for its {@code X-Amz-Target} (the same JSON {@code coffer serve} sends for the benchmark's
 * items, with {@code x-amz-crc32}), checking nothing and storing nothing. The SDK client against it
 * costs what the client and loopback cost; whatever a real server adds is on top. One blocking
 * thread per connection, named {@code floor-responder-*} (so its CPU can be counted). Not a server
 * anyone should use.
 */
final class CannedResponder implements AutoCloseable {
  /** The prefix of the responder's thread names. */
  static final String THREAD_PREFIX = "floor-responder";

  private final ServerSocket listener;
  private final Map<String, byte[]> answers;
  private final List<Socket> open = new CopyOnWriteArrayList<>();
  private final AtomicInteger threads = new AtomicInteger();
  private volatile boolean closed;
  private volatile String firstRequestHead;

  /** Answers for the benchmark's operations, with items of {@code payload}. */
  static CannedResponder start(String payload) {
    String item = "{\"v\":{\"S\":\"" + payload + "\"},\"sk\":{\"N\":\"3\"},\"pk\":{\"S\":\"p17\"}}";
    StringBuilder items = new StringBuilder("[");
    for (int i = 0; i < ServeBenchmark.ITEMS_PER_PARTITION; i++) {
      items.append(i == 0 ? "" : ",").append(item.replace("\"N\":\"3\"", "\"N\":\"" + i + "\""));
    }
    items.append(']');
    return new CannedResponder(
        Map.of(
            "DynamoDB_20120810.PutItem", answer("{}"),
            "DynamoDB_20120810.GetItem", answer("{\"Item\":" + item + "}"),
            "DynamoDB_20120810.Query",
                answer(
                    "{\"Count\":"
                        + ServeBenchmark.ITEMS_PER_PARTITION
                        + ",\"Items\":"
                        + items
                        + ",\"ScannedCount\":"
                        + ServeBenchmark.ITEMS_PER_PARTITION
                        + "}")));
  }

  private static byte[] answer(String json) {
    byte[] body = json.getBytes(StandardCharsets.UTF_8);
    CRC32 crc = new CRC32();
    crc.update(body);
    String head =
        "HTTP/1.1 200 OK\r\n"
            + "Content-Type: application/x-amz-json-1.0\r\n"
            + "x-amzn-RequestId: FLOOR0000000000000000000000000000000000000000000000000\r\n"
            + "x-amz-crc32: "
            + crc.getValue()
            + "\r\nContent-Length: "
            + body.length
            + "\r\n\r\n";
    byte[] h = head.getBytes(StandardCharsets.ISO_8859_1);
    byte[] all = new byte[h.length + body.length];
    System.arraycopy(h, 0, all, 0, h.length);
    System.arraycopy(body, 0, all, h.length, body.length);
    return all;
  }

  private CannedResponder(Map<String, byte[]> answers) {
    this.answers = answers;
    try {
      this.listener = new ServerSocket(0, 64, InetAddress.getLoopbackAddress());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Thread acceptor = new Thread(this::accept, THREAD_PREFIX + "-accept");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  URI endpoint() {
    return URI.create("http://127.0.0.1:" + listener.getLocalPort());
  }

  /** The head of the first request received (to show what the client sends), or null. */
  String firstRequestHead() {
    return firstRequestHead;
  }

  private void accept() {
    while (!closed) {
      try {
        Socket s = listener.accept();
        s.setTcpNoDelay(true);
        open.add(s);
        Thread t = new Thread(() -> serve(s), THREAD_PREFIX + "-" + threads.incrementAndGet());
        t.setDaemon(true);
        t.start();
      } catch (IOException e) {
        return; // closed
      }
    }
  }

  private void serve(Socket s) {
    byte[] buf = new byte[1 << 16];
    try (s) {
      InputStream in = s.getInputStream();
      OutputStream out = s.getOutputStream();
      int filled = 0;
      while (true) {
        int headerEnd;
        while ((headerEnd = blankLine(buf, filled)) < 0) {
          int n = in.read(buf, filled, buf.length - filled);
          if (n < 0) {
            return;
          }
          filled += n;
        }
        String head = new String(buf, 0, headerEnd, StandardCharsets.ISO_8859_1);
        if (firstRequestHead == null) {
          firstRequestHead = head;
        }
        int length = 0;
        String target = "";
        boolean expectContinue = false;
        for (String line : head.split("\r\n")) {
          int colon = line.indexOf(':');
          if (colon < 0) {
            continue;
          }
          String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
          String value = line.substring(colon + 1).trim();
          switch (name) {
            case "content-length" -> length = Integer.parseInt(value);
            case "x-amz-target" -> target = value;
            case "expect" -> expectContinue = value.equalsIgnoreCase("100-continue");
            default -> {}
          }
        }
        if (expectContinue) {
          out.write("HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
          out.flush();
        }
        int consumed = headerEnd + 4 + length;
        while (filled < consumed) {
          int n = in.read(buf, filled, buf.length - filled);
          if (n < 0) {
            return;
          }
          filled += n;
        }
        byte[] a = answers.get(target);
        if (a == null) {
          throw new IllegalStateException("the floor responder has no answer for " + target);
        }
        out.write(a);
        out.flush();
        System.arraycopy(buf, consumed, buf, 0, filled - consumed);
        filled -= consumed;
      }
    } catch (SocketException e) {
      // closed by the client or by close()
    } catch (IOException e) {
      if (!closed) {
        throw new UncheckedIOException(e);
      }
    }
  }

  private static int blankLine(byte[] b, int limit) {
    for (int i = 0; i + 3 < limit; i++) {
      if (b[i] == '\r' && b[i + 1] == '\n' && b[i + 2] == '\r' && b[i + 3] == '\n') {
        return i;
      }
    }
    return -1;
  }

  @Override
  public void close() {
    closed = true;
    try {
      listener.close();
    } catch (IOException e) {
      // closing at the end of the run
    }
    for (Socket s : open) {
      try {
        s.close();
      } catch (IOException e) {
        // closing at the end of the run
      }
    }
  }
}
