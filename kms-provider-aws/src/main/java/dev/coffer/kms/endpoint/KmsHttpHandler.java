package dev.coffer.kms.endpoint;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.coffer.kms.KeyProviderException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves one HTTP exchange of the KMS JSON 1.1 protocol: checks method, {@code Content-Type} and
 * {@code X-Amz-Target}, reads a bounded body, verifies the SigV4 signature, parses the JSON, runs
 * the operation as the caller and writes the response or KMS's error ({@code {"__type", "message"}}).
 * Never logs bodies (they carry plaintext). Thread-safe.
 */
final class KmsHttpHandler implements HttpHandler {
  private static final Logger LOG = LoggerFactory.getLogger(KmsHttpHandler.class);
  static final String CONTENT_TYPE = "application/x-amz-json-1.1";
  private static final String TARGET_PREFIX = "TrentService.";
  private static final int MAX_BODY_BYTES = 1 << 20;

  private final SigV4Verifier verifier;
  private final Function<String, Caller> callers;
  private final Operations operations;

  KmsHttpHandler(SigV4Verifier verifier, Function<String, Caller> callers, Operations operations) {
    this.verifier = verifier;
    this.callers = callers;
    this.operations = operations;
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      ObjectNode response;
      int status = 200;
      try {
        response = serve(exchange);
      } catch (KmsError e) {
        status = e.status();
        response = error(e.type(), e.getMessage());
      } catch (KeyProviderException e) {
        KmsError k = KmsError.of(e);
        status = k.status();
        response = error(k.type(), k.getMessage());
      } catch (RuntimeException e) {
        LOG.error("KMS endpoint: internal error in {}", exchange.getRequestHeaders().getFirst("X-Amz-Target"), e);
        status = 500;
        response = error("KMSInternalException", "An internal error occurred.");
      }
      write(exchange, status, response);
    }
  }

  private ObjectNode serve(HttpExchange exchange) throws IOException {
    if (!exchange.getRequestMethod().equals("POST")) {
      throw new KmsError("UnknownOperationException", "Only POST requests are supported.", 400);
    }
    byte[] body = readBody(exchange.getRequestBody());
    String accessKeyId = verifier.verify(
        exchange.getRequestMethod(),
        exchange.getRequestURI().getRawPath(),
        exchange.getRequestURI().getRawQuery(),
        exchange.getRequestHeaders(),
        body);
    String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
    Operations.Handler handler = target != null && target.startsWith(TARGET_PREFIX)
        ? operations.get(target.substring(TARGET_PREFIX.length()))
        : null;
    if (handler == null) {
      throw new KmsError("UnknownOperationException", target == null ? "Missing X-Amz-Target."
          : "The operation " + target + " is not supported by this endpoint.", 400);
    }
    String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
    if (contentType == null || !contentType.split(";")[0].trim().equalsIgnoreCase(CONTENT_TYPE)) {
      throw KmsError.serialization("Content-Type must be " + CONTENT_TYPE + ".");
    }
    return handler.handle(Request.parse(body), callers.apply(accessKeyId));
  }

  private static byte[] readBody(InputStream in) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buf = new byte[8192];
    int n;
    while ((n = in.read(buf)) > 0) {
      if (out.size() + n > MAX_BODY_BYTES) {
        throw new KmsError("ValidationException", "The request is larger than " + MAX_BODY_BYTES + " bytes.", 413);
      }
      out.write(buf, 0, n);
    }
    return out.toByteArray();
  }

  static ObjectNode error(String type, String message) {
    ObjectNode e = Shapes.object();
    e.put("__type", type);
    if (message != null) {
      e.put("message", message);
    }
    return e;
  }

  private static void write(HttpExchange exchange, int status, ObjectNode response) throws IOException {
    exchange.getResponseHeaders().set("x-amzn-RequestId", UUID.randomUUID().toString());
    exchange.getResponseHeaders().set("Content-Type", CONTENT_TYPE);
    byte[] bytes = response == null
        ? new byte[0]
        : Shapes.JSON.writeValueAsString(response).getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }
}
