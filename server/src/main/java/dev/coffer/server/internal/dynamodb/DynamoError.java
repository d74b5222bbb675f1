package dev.coffer.server.internal.dynamodb;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * An error the DynamoDB protocol answers with: the full {@code __type} (e.g. {@code
 * com.amazon.coral.validate#ValidationException}), the message and the HTTP status. Thrown inside
 * the protocol only; carries no stack trace. Some errors carry more members than the message
 * ({@code Item} of a ConditionalCheckFailedException, {@code CancellationReasons} of a
 * TransactionCanceledException): {@link #extra()}.
 */
final class DynamoError extends RuntimeException {
  private static final long serialVersionUID = 1L;

  static final String DYNAMODB = "com.amazonaws.dynamodb.v20120810#";
  static final String CORAL_SERVICE = "com.amazon.coral.service#";
  static final String CORAL_VALIDATE = "com.amazon.coral.validate#";

  private final String type;
  private final int status;
  private final boolean capitalMessage;
  private final ObjectNode extra;

  DynamoError(String type, String message, int status) {
    this(type, message, status, false);
  }

  private DynamoError(String type, String message, int status, boolean capitalMessage) {
    this(type, message, status, capitalMessage, null);
  }

  /** An error with more body members ({@code extra}, written after the message). */
  DynamoError(String type, String message, int status, boolean capitalMessage, ObjectNode extra) {
    super(message, null, false, false);
    this.type = type;
    this.status = status;
    this.capitalMessage = capitalMessage;
    this.extra = extra;
  }

  static DynamoError validation(String message) {
    return new DynamoError(CORAL_VALIDATE + "ValidationException", message, 400);
  }

  /**
   * A body member of the wrong JSON type (DynamoDB writes this one's message as {@code Message}).
   */
  static DynamoError serialization(String message) {
    return new DynamoError(CORAL_SERVICE + "SerializationException", message, 400, true);
  }

  static DynamoError notFound(String message) {
    return new DynamoError(DYNAMODB + "ResourceNotFoundException", message, 400);
  }

  static DynamoError inUse(String message) {
    return new DynamoError(DYNAMODB + "ResourceInUseException", message, 400);
  }

  static DynamoError unknownOperation() {
    return new DynamoError(CORAL_SERVICE + "UnknownOperationException", null, 400);
  }

  static DynamoError accessDenied(String message) {
    return new DynamoError(CORAL_SERVICE + "AccessDeniedException", message, 400);
  }

  static DynamoError internal(String message) {
    return new DynamoError(DYNAMODB + "InternalServerError", message, 500);
  }

  /** The full {@code __type}. */
  String type() {
    return type;
  }

  int status() {
    return status;
  }

  /** Members of the error body besides {@code __type} and the message, or null. */
  ObjectNode extra() {
    return extra;
  }

  /** Whether the message member is {@code Message} rather than {@code message}. */
  boolean capitalMessage() {
    return capitalMessage;
  }
}
