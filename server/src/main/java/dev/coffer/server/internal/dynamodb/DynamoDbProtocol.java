package dev.coffer.server.internal.dynamodb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.coffer.CancellationReason;
import dev.coffer.Coffer;
import dev.coffer.CofferException;
import dev.coffer.ConditionalCheckFailedException;
import dev.coffer.TransactionCanceledException;
import dev.coffer.kms.KeyProviderException;
import dev.coffer.server.PrincipalKeyAccess;
import dev.coffer.server.internal.auth.SigV4Exception;
import dev.coffer.server.internal.http.ProtocolHandler;
import dev.coffer.server.internal.json.JsonBytes;
import dev.coffer.server.internal.json.StrictJson;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * DynamoDB's JSON 1.0 protocol ({@code X-Amz-Target: DynamoDB_20120810.<Operation>}, {@code
 * application/x-amz-json-1.0}) over an open {@link Coffer} store. Every answer carries the {@code
 * x-amz-crc32} the SDKs check; errors are {@code {"__type": "<namespace>#<Name>", "message": ...}}
 * with DynamoDB's namespaces, names, statuses and wording.
 *
 * <p>Before any operation other than ListTables, DescribeTable and DescribeTimeToLive, the caller's
 * principal must pass {@link PrincipalKeyAccess}: a principal that may not use the store's master
 * key gets {@code AccessDeniedException} (or the key's state error) and the store is not touched.
 *
 * <p>Adding an operation is adding an {@link Operation} to the map built in the constructor.
 * Thread-safe.
 */
public final class DynamoDbProtocol implements ProtocolHandler {
  private static final Logger LOG = LoggerFactory.getLogger(DynamoDbProtocol.class);

  /** The target prefix. */
  public static final String TARGET_PREFIX = "DynamoDB_20120810.";

  private static final String CONTENT_TYPE = "application/x-amz-json-1.0";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> BATCHES =
      Set.of("BatchGetItem", "BatchWriteItem", "TransactGetItems", "TransactWriteItems");
  private static final Set<String> CONTROL =
      Set.of(
          "CreateTable",
          "DescribeTable",
          "ListTables",
          "DeleteTable",
          "UpdateTable",
          "DescribeTimeToLive");
  private static final Set<String> NO_KEY_USE =
      Set.of("ListTables", "DescribeTable", "DescribeTimeToLive");

  /** DynamoDB's request cap, for batch and transaction calls. */
  static final int MAX_BATCH_REQUEST_BYTES = 16 << 20;

  /** Room for one 400 KB item in JSON (escapes, base64) and its expressions. */
  static final int MAX_ITEM_REQUEST_BYTES = 4 << 20;

  static final int MAX_CONTROL_REQUEST_BYTES = 1 << 20;

  private final Map<String, Operation> operations = new TreeMap<>();
  private final PrincipalKeyAccess access;

  /**
   * @param region and {@code account} name the tables in their ARNs
   * @param access decides whether a principal may use the master key
   */
  public DynamoDbProtocol(Coffer coffer, String region, String account, PrincipalKeyAccess access) {
    this.access = access;
    ServiceContext ctx = new ServiceContext(coffer, region, account);
    new TableOperations(ctx).register(operations);
    new ItemOperations(ctx).register(operations);
    new ReadOperations(ctx).register(operations);
    new WriteOperations(ctx).register(operations);
    new BatchWriteOperations(ctx).register(operations);
    new TransactOperations(ctx).register(operations);
  }

  @Override
  public String targetPrefix() {
    return TARGET_PREFIX;
  }

  @Override
  public String signingService() {
    return "dynamodb";
  }

  @Override
  public boolean knows(String operation) {
    return operation != null && operations.containsKey(operation);
  }

  /** The operations served, sorted. */
  public Set<String> operations() {
    return operations.keySet();
  }

  @Override
  public int maxRequestBytes(String operation) {
    if (BATCHES.contains(operation)) {
      return MAX_BATCH_REQUEST_BYTES;
    }
    return CONTROL.contains(operation) ? MAX_CONTROL_REQUEST_BYTES : MAX_ITEM_REQUEST_BYTES;
  }

  @Override
  public boolean crc32() {
    return true;
  }

  @Override
  public String contentType() {
    return CONTENT_TYPE;
  }

  @Override
  public Answer handle(
      String target, String operation, String requestContentType, byte[] body, String principal) {
    try {
      String type = mediaType(requestContentType);
      if (!type.equalsIgnoreCase(CONTENT_TYPE) && !type.equalsIgnoreCase("application/json")) {
        throw DynamoError.serialization("The Content-Type must be " + CONTENT_TYPE + ".");
      }
      JsonNode json;
      try {
        json = StrictJson.parse(body);
      } catch (StrictJson.JsonSyntaxException e) {
        throw DynamoError.serialization(e.getMessage());
      }
      if (!json.isObject()) {
        throw DynamoError.serialization(
            "Start of structure or map found where not expected: the request must be a"
                + " JSON object.");
      }
      Operation op = operations.get(operation);
      if (!NO_KEY_USE.contains(operation)) {
        access.check(principal);
      }
      ObjectNode response = op.run(new DynamoRequest(json));
      return new Answer(200, JsonBytes.of(response));
    } catch (DynamoError e) {
      return error(e);
    } catch (CofferException e) {
      return error(engineError(e, operation));
    } catch (KeyProviderException e) {
      return error(keyError(e));
    } catch (IllegalStateException e) {
      LOG.warn("coffer serve: {} refused: {}", operation, e.getMessage());
      return error(
          new DynamoError(
              DynamoError.DYNAMODB + "InternalServerError",
              "The store is not available (it is closing).",
              500));
    } catch (RuntimeException e) {
      LOG.error("coffer serve: internal error in DynamoDB {}", operation, e);
      return error(DynamoError.internal("Internal server error"));
    }
  }

  /**
   * The media type of a {@code Content-Type} value (before any parameter), trimmed; "" for null.
   */
  private static String mediaType(String contentType) {
    if (contentType == null) {
      return "";
    }
    int semicolon = contentType.indexOf(';');
    return (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim();
  }

  private static DynamoError engineError(CofferException e, String operation) {
    String code = e.errorCode() == null ? "" : e.errorCode();
    return switch (code) {
      case "ValidationException" -> DynamoError.validation(e.getMessage());
      case "ResourceNotFoundException" -> DynamoError.notFound(e.getMessage());
      case "ResourceInUseException" -> DynamoError.inUse(e.getMessage());
      case "ConditionalCheckFailedException" ->
          e instanceof ConditionalCheckFailedException c
              ? conditionFailed(c)
              : new DynamoError(DynamoError.DYNAMODB + code, e.getMessage(), 400);
      case "TransactionCanceledException" ->
          e instanceof TransactionCanceledException t
              ? cancelled(t)
              : new DynamoError(DynamoError.DYNAMODB + code, e.getMessage(), 400, true, null);
      case "IdempotentParameterMismatchException", "TransactionInProgressException" ->
          new DynamoError(DynamoError.DYNAMODB + code, e.getMessage(), 400);
      default -> {
        LOG.error("coffer serve: the store failed in DynamoDB {}: {}", operation, code, e);
        yield DynamoError.internal(
            "Internal server error (" + (code.isEmpty() ? "store failure" : code) + ")");
      }
    };
  }

  /**
   * DynamoDB's ConditionalCheckFailedException, with the item when ALL_OLD was asked for on
   * failure.
   */
  private static DynamoError conditionFailed(ConditionalCheckFailedException e) {
    ObjectNode extra = null;
    if (e.item().isPresent()) {
      extra = JSON.createObjectNode();
      extra.set("Item", AttributeJson.json(e.item().get()));
    }
    return new DynamoError(
        DynamoError.DYNAMODB + "ConditionalCheckFailedException",
        e.getMessage(),
        400,
        false,
        extra);
  }

  /**
   * DynamoDB's TransactionCanceledException: {@code Message} and {@code CancellationReasons}, one
   * per action in request order, each {@code {"Code": ..., "Message": ..., "Item": ...}} (only
   * {@code Code} for an action that would have succeeded).
   */
  private static DynamoError cancelled(TransactionCanceledException e) {
    ObjectNode extra = JSON.createObjectNode();
    ArrayNode reasons = extra.putArray("CancellationReasons");
    for (CancellationReason r : e.cancellationReasons()) {
      ObjectNode o = reasons.addObject();
      r.item().ifPresent(i -> o.set("Item", AttributeJson.json(i)));
      o.put("Code", r.code());
      if (r.message() != null) {
        o.put("Message", r.message());
      }
    }
    return new DynamoError(
        DynamoError.DYNAMODB + "TransactionCanceledException", e.getMessage(), 400, true, extra);
  }

  /**
   * A key-provider refusal: AccessDeniedException as such; the key's state (disabled, pending
   * deletion, not found) under its KMS name; transient failures as a retryable 500.
   */
  private static DynamoError keyError(KeyProviderException e) {
    String code = e.errorCode() == null ? "" : e.errorCode();
    if (code.equals("AccessDeniedException")) {
      return DynamoError.accessDenied(e.getMessage());
    }
    if (e.retryable()) {
      return DynamoError.internal("The key provider is unavailable: " + e.getMessage());
    }
    return new DynamoError(
        DynamoError.DYNAMODB + (code.isEmpty() ? "KMSAccessDeniedException" : code),
        e.getMessage(),
        400);
  }

  private static Answer error(DynamoError e) {
    ObjectNode body = JSON.createObjectNode();
    body.put("__type", e.type());
    if (e.getMessage() != null) {
      body.put(e.capitalMessage() ? "Message" : "message", e.getMessage());
    }
    if (e.extra() != null) {
      body.setAll(e.extra());
    }
    return new Answer(e.status(), JsonBytes.of(body));
  }

  @Override
  public Answer refuse(Refusal refusal, String detail) {
    return error(
        switch (refusal) {
          case THROTTLED ->
              new DynamoError(
                  "com.amazon.coral.availability#ThrottlingException",
                  "Rate of requests exceeds the allowed throughput.",
                  503);
          case SHUTTING_DOWN ->
              new DynamoError(
                  "com.amazon.coral.availability#ThrottlingException",
                  "The server is shutting down.",
                  503);
          case TOO_LARGE ->
              new DynamoError(
                  DynamoError.CORAL_SERVICE + "RequestEntityTooLarge",
                  detail == null ? "Request entity too large" : detail,
                  413);
          case READ_TIMEOUT ->
              new DynamoError(
                  DynamoError.CORAL_SERVICE + "RequestTimeoutException",
                  "The request body did not arrive in time.",
                  408);
          case UNKNOWN_OPERATION -> DynamoError.unknownOperation();
          case BAD_REQUEST -> DynamoError.serialization(detail == null ? "Bad request." : detail);
        });
  }

  @Override
  public Answer authenticationFailed(SigV4Exception e) {
    return error(new DynamoError(DynamoError.CORAL_SERVICE + e.errorType(), e.getMessage(), 400));
  }

  @Override
  public void close() {}
}
